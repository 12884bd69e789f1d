"""A case's reviews and case notes, with their events."""

from __future__ import annotations

import itertools
import json
import random
from datetime import date, timedelta

from earlyhelp.casework.models import CaseNote, Review
from earlyhelp.demo import texts
from earlyhelp.demo.caserun import CaseRun
from earlyhelp.demo.context import Context, payload
from earlyhelp.demo.timeline import Timeline
from earlyhelp.demo.timing import between, office_hours
from earlyhelp.domain.codes import NoteKind
from earlyhelp.domain.events import EventKind

CONTACT_KINDS = (
    (NoteKind.HOME_VISIT, 45),
    (NoteKind.PHONE_CALL, 25),
    (NoteKind.SCHOOL_VISIT, 18),
    (NoteKind.OFFICE_VISIT, 12),
)
_CONTACT_KINDS = tuple(kind for kind, _ in CONTACT_KINDS)
_CONTACT_CUMULATIVE = tuple(itertools.accumulate(weight for _, weight in CONTACT_KINDS))
# The event payload of each kind of note, encoded once (see BulkWriter: str is JSON text).
_NOTE_DATA = {kind: json.dumps({"kind": kind}) for kind in NoteKind}


def write_reviews(ctx: Context, rng: random.Random, run: CaseRun) -> None:
    scale = rng.randint(3, 6)
    for day in run.t.reviews:
        scale = min(10, scale + rng.choice((0, 1, 1, 2)))
        moment = office_hours(rng, day, 9, 15)
        worker = run.holder_on(day).worker
        ctx.writer.add(
            Review,
            {
                "case_id": run.id,
                "review_date": day,
                "scale": scale,
                "summary": rng.choice(texts.REVIEW),
                "created_at": moment,
                "created_by_id": worker.user_id,
            },
        )
        ctx.event(
            kind=EventKind.REVIEW_RECORDED,
            moment=moment,
            actor=worker,
            data=payload(("scale", scale)),
            **run.refs(),
        )


def _note_days(rng: random.Random, t: Timeline) -> list[tuple[date, str]]:
    """Contact every two to four weeks while the case is worked; oversight, meetings."""
    found: list[tuple[date, str]] = []
    day = t.opened + timedelta(days=between(rng, 1, 6))
    while day <= t.active_until:
        found.append((day, rng.choices(_CONTACT_KINDS, cum_weights=_CONTACT_CUMULATIVE)[0]))
        day += timedelta(days=between(rng, 14, 30))
    day = t.opened + timedelta(days=between(rng, 30, 60))
    while day <= t.active_until:
        found.append((day, NoteKind.MANAGEMENT_OVERSIGHT))
        day += timedelta(days=between(rng, 60, 90))
    found.extend((r, NoteKind.MEETING) for r in t.reviews if rng.random() < 0.3)
    contact_on = t.started + timedelta(days=3) if t.started is not None else None
    if contact_on is not None and contact_on <= t.active_until and rng.random() < 0.4:
        found.append((contact_on, NoteKind.PROFESSIONAL_CONTACT))
    if rng.random() < 0.2 and t.opened + timedelta(days=1) <= t.active_until:
        found.append((t.opened + timedelta(days=1), NoteKind.CASE_RECORDING))
    found.sort()
    return found


def write_notes(ctx: Context, rng: random.Random, run: CaseRun) -> list[tuple[date, str]]:
    found = _note_days(rng, run.t)
    for day, kind in found:
        holding = run.holder_on(day)
        author = holding.team.leader if kind == NoteKind.MANAGEMENT_OVERSIGHT else holding.worker
        moment = office_hours(rng, day, 9, 15)
        ctx.writer.add(
            CaseNote,
            {
                "case_id": run.id,
                "occurred_on": day,
                "kind": kind,
                "text": texts.pick(rng, texts.NOTES[kind], run.child, run.parent),
                "author_id": author.user_id if author else None,
                "author_name": author.signature if author else "",
                "created_at": moment,
                "created_by_id": author.user_id if author else None,
            },
        )
        ctx.event(
            kind=EventKind.NOTE_ADDED,
            moment=moment,
            actor=author,
            data=_NOTE_DATA[kind],
            **run.refs(),
        )
    return found
