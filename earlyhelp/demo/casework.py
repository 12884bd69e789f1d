"""Write one case: allocation history, assessment, plan, reviews, notes, closure, events.

The dates come from `timeline.plan_timeline`; this module and `plans`/`recording` turn
them into records, with the case events the live services would have written at each step.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from earlyhelp.casework.models import (
    Allocation,
    Assessment,
    Case,
    LinkedNotification,
    ScsReferral,
)
from earlyhelp.demo import texts
from earlyhelp.demo.caserun import CaseRun, Holding
from earlyhelp.demo.context import Context
from earlyhelp.demo.notifications import Referral
from earlyhelp.demo.organisation import District, Team
from earlyhelp.demo.people import Household
from earlyhelp.demo.plans import write_plan
from earlyhelp.demo.recording import write_notes, write_reviews
from earlyhelp.demo.referrals import refer_while_open
from earlyhelp.demo.timeline import Timeline, plan_timeline
from earlyhelp.demo.timing import at, minutes_later, office_hours
from earlyhelp.domain.codes import (
    CONTACT_NOTE_KINDS,
    ClosureReason,
    Service,
    TriageDecision,
)
from earlyhelp.domain.events import EventKind

REALLOCATION_SHARE = 0.12
NEW_CONCERN_SHARE = 0.2


def choose_team(rng: random.Random, district: District, decision: str, age: int) -> Team:
    """Early Help Unit casework, or targeted open access: youth hub (11+) or children's centre."""
    if decision == TriageDecision.ASSESS_OPEN_ACCESS and district.youth_hub is not None:
        return district.youth_hub if age >= 8 else rng.choice(district.centres)
    return rng.choice(district.early_help_units)


def run_case(
    ctx: Context, rng: random.Random, household: Household, referrals: list[Referral]
) -> Timeline:
    """Open, work and (unless still open at the end) close a case; return its dates."""
    first = referrals[0]
    triaged = first.triaged or first.received
    district = household.district
    team = choose_team(rng, district, first.decision, first.child.age_on(triaged.date()))
    t = plan_timeline(
        rng,
        notified=first.received.date(),
        opened=triaged.date(),
        open_access=team.service != Service.EARLY_HELP_UNIT,
        authoriser=team.id in ctx.authorisers,
    )
    holdings = _holdings(rng, district, team, t)
    case_id = ctx.writer.next_id(Case)
    run = CaseRun(case_id, f"C{case_id:07d}", household, first, holdings, t)
    _write_allocations(ctx, rng, run, triaged)
    notes = write_notes(ctx, rng, run)
    _write_assessment(ctx, rng, run)
    write_plan(ctx, rng, run)
    write_reviews(ctx, rng, run)
    _write_closure(ctx, rng, run)
    _write_case(ctx, run, triaged, notes)
    for sibling in referrals[1:]:
        link(ctx, run, sibling)
    _maybe_new_concern(ctx, rng, run)
    return t


def _maybe_new_concern(ctx: Context, rng: random.Random, run: CaseRun) -> None:
    """Now and then a new notification arrives while the case is open: linked to it."""
    t = run.t
    latest = t.end - timedelta(days=8)
    if rng.random() >= NEW_CONCERN_SHARE or latest <= t.opened + timedelta(days=7):
        return
    day = t.opened + timedelta(days=rng.randint(7, (latest - t.opened).days))
    referral = refer_while_open(ctx, rng, run.household, day, run.referral.level or 3)
    if referral is not None:
        link(ctx, run, referral)


def _holdings(rng: random.Random, district: District, team: Team, t: Timeline) -> list[Holding]:
    worker = team.pick_caseholder(rng)
    holdings = [Holding(team, worker, t.opened, None, "Case opened")]
    length = (t.active_until - t.opened).days
    if length < 30 or rng.random() >= REALLOCATION_SHARE:
        return holdings
    on = t.opened + timedelta(days=rng.randint(14, length - 1))
    new_team, reason = team, "Caseload balancing in the unit"
    movable = team.service == Service.EARLY_HELP_UNIT and len(district.early_help_units) > 1
    if movable and rng.random() < 0.2:
        new_team = rng.choice([u for u in district.early_help_units if u is not team])
        reason = "Family moved nearer another unit's base"
    others = [w for w in new_team.caseholders if w is not worker] or new_team.caseholders
    holdings[0].end = on
    holdings.append(Holding(new_team, rng.choice(others), on, None, reason))
    return holdings


def _write_allocations(ctx: Context, rng: random.Random, run: CaseRun, triaged: datetime) -> None:
    closed = run.t.closed
    for n, holding in enumerate(run.holdings):
        leader = holding.team.leader
        ctx.writer.add(
            Allocation,
            {
                "case_id": run.id,
                "unit_id": holding.team.id,
                "worker_id": holding.worker.id,
                "started_on": holding.start,
                "ended_on": holding.end or closed,
                "reason": holding.reason,
                "allocated_by_id": leader.user_id if leader else None,
                "allocated_by_name": leader.signature if leader else "",
            },
        )
        data = {"unit": holding.team.name, "worker": holding.worker.name}
        if n == 0:
            moment = minutes_later(rng, triaged, 5, 60)
            ctx.event(
                kind=EventKind.CASE_OPENED,
                moment=moment,
                actor=run.referral.officer,
                data={**data, "ref": run.ref},
                **run.refs(),
            )
        else:
            ctx.day_event(
                rng,
                holding.start,
                kind=EventKind.CASE_ALLOCATED,
                actor=leader,
                data={**data, "reason": holding.reason},
                **run.refs(),
            )


def _write_assessment(ctx: Context, rng: random.Random, run: CaseRun) -> None:
    t = run.t
    if t.started is None:
        return
    worker = run.holder_on(t.started).worker
    started = office_hours(rng, t.started, 9, 12)
    fields = {
        name: texts.pick(rng, options, run.child, run.parent)
        for name, options in texts.ASSESSMENT.items()
    }
    completed = office_hours(rng, t.completed, 12, 15) if t.completed else None
    ctx.writer.add(
        Assessment,
        {
            "case_id": run.id,
            "started_on": t.started,
            "completed_on": t.completed,
            "scale": rng.randint(2, 6) if t.completed else None,
            **fields,
            "created_at": started,
            "updated_at": completed or started,
            "created_by_id": worker.user_id,
            "version": 2 if completed else 1,
        },
    )
    ctx.event(kind=EventKind.ASSESSMENT_STARTED, moment=started, actor=worker, **run.refs())
    if completed is not None:
        ctx.event(
            kind=EventKind.ASSESSMENT_COMPLETED,
            moment=completed,
            actor=run.holder_on(t.completed).worker,
            **run.refs(),
        )


def _write_closure(ctx: Context, rng: random.Random, run: CaseRun) -> None:
    t = run.t
    if t.closed is None:
        return
    worker = run.holder_on(t.closed).worker
    moment = office_hours(rng, t.closed, 15, 17)
    summary = texts.fill(texts.CLOSURE[t.reason], run.child, run.parent)
    ctx.event(
        kind=EventKind.CASE_CLOSED,
        moment=moment,
        actor=worker,
        data={"reason": t.reason, "summary": summary},
        **run.refs(),
    )
    if t.reason == ClosureReason.STEP_UP_SCS:
        ctx.writer.add(
            ScsReferral,
            {
                "family_id": run.household.id,
                "case_id": run.id,
                "referred_on": t.closed,
                "reason": texts.SCS_REASON,
                "referred_by_id": worker.user_id,
                "referred_by_name": worker.signature,
            },
        )
        ctx.event(
            kind=EventKind.STEPPED_UP,
            moment=moment,
            actor=worker,
            data={"reason": texts.SCS_REASON},
            **run.refs(),
        )


def _write_case(
    ctx: Context, run: CaseRun, triaged: datetime, notes: list[tuple[date, str]]
) -> None:
    t = run.t
    last = run.holdings[-1]
    contacts = [day for day, kind in notes if kind in CONTACT_NOTE_KINDS]
    authoriser = ctx.authorisers.get(last.team.id)
    updates = 1 + sum(d is not None for d in (t.started, t.completed, t.plan, t.closed))
    ctx.writer.add(
        Case,
        {
            "id": run.id,
            "case_ref": run.ref,
            "notification_id": run.referral.notification_id,
            "family_id": run.household.id,
            "unit_id": last.team.id,
            "worker_id": last.worker.id,
            "opened_on": t.opened,
            "assessment_started_on": t.started,
            "assessment_completed_on": t.completed,
            "plan_agreed_on": t.plan,
            "last_review_on": t.reviews[-1] if t.reviews else None,
            "last_contact_on": max(contacts) if contacts else None,
            "closed_on": t.closed,
            "closure_reason": t.reason,
            "closure_summary": texts.fill(texts.CLOSURE[t.reason], run.child, run.parent)
            if t.closed
            else "",
            "closure_authorised_by_id": authoriser.user_id
            if authoriser and t.reason == ClosureReason.CONSENT_WITHDRAWN
            else None,
            "created_at": triaged,
            "updated_at": max(triaged, at(t.active_until, 17 * 60)),
            "version": updates + len(t.reviews) + len(contacts),
        },
    )


def link(ctx: Context, run: CaseRun, referral: Referral) -> None:
    """A notification triaged ALREADY_OPEN, linked to the open case."""
    if referral.triaged is None:
        return
    ctx.writer.add(
        LinkedNotification,
        {
            "case_id": run.id,
            "notification_id": referral.notification_id,
            "linked_on": referral.triaged.date(),
        },
    )
    ctx.event(
        kind=EventKind.NOTIFICATION_LINKED,
        moment=referral.triaged,
        actor=referral.officer,
        family_id=run.household.id,
        case_id=run.id,
        person_id=referral.child.id,
        notification_id=referral.notification_id,
        data={"linked": f"N{referral.notification_id:07d}"},
    )
