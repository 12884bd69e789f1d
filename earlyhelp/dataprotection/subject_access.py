"""A subject access export: everything held about one person, readable and machine-readable.

The person (and every record merged into them), their household, relationships,
notifications about them, step-down proposals, the cases of their household with
assessment, plan, reviews, notes and allocations, referrals to social care, the family's
consents, and the audit about them: changes, case events and who looked at their record.
The data protection officer reviews third parties' information before release.

Who may take one is decided by the caller (`selectors.person_for_subject_access`); taking
one is logged (`subject_access_export`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import models
from django.db.models import Q
from django.template.loader import render_to_string

from earlyhelp.audit.models import AccessAction, AccessLog, CaseEvent, ChangeRecord
from earlyhelp.audit.services import Actor, Refs, access_record
from earlyhelp.casework.models import (
    Allocation,
    Assessment,
    Case,
    CaseNote,
    Plan,
    PlanAction,
    PlanOutcome,
    Review,
    ScsReferral,
)
from earlyhelp.common import clock
from earlyhelp.common.snapshots import plain, snapshot
from earlyhelp.domain.codes import LABELS
from earlyhelp.frontdoor.models import Notification, StepDownProposal
from earlyhelp.people.models import Family, FamilyConsent, Person, Relationship
from earlyhelp.people.selectors import person_history_ids

FORMAT_VERSION = 1


def _row(instance: models.Model) -> dict[str, object]:
    return {"id": instance.pk, **snapshot(instance)}


def _rows(rows: Iterable[models.Model]) -> list[dict[str, object]]:
    return [_row(r) for r in rows]


def _audit_rows(rows: Iterable[models.Model], fields: tuple[str, ...]) -> list[dict[str, object]]:
    return [{"id": r.pk, **{f: plain(getattr(r, f)) for f in fields}} for r in rows]


def _case(case: Case) -> dict[str, object]:
    plan = Plan.objects.filter(case=case).first()
    outcomes = []
    if plan is not None:
        for outcome in PlanOutcome.objects.filter(plan=plan).order_by("position", "pk"):
            outcomes.append(
                {
                    **_row(outcome),
                    "actions": _rows(PlanAction.objects.filter(outcome=outcome).order_by("pk")),
                }
            )
    assessment = Assessment.objects.filter(case=case).first()
    return {
        **_row(case),
        "unit": case.unit.name,
        "lead_practitioner": case.worker.name if case.worker else "",
        "allocations": _rows(Allocation.objects.filter(case=case).order_by("started_on", "pk")),
        "assessment": _row(assessment) if assessment else None,
        "plan": {**_row(plan), "outcomes": outcomes} if plan else None,
        "reviews": _rows(Review.objects.filter(case=case).order_by("review_date", "pk")),
        "notes": _rows(CaseNote.objects.filter(case=case).order_by("occurred_on", "pk")),
    }


def subject_access_document(person: Person) -> dict[str, Any]:
    """Everything held about the person, as plain JSON-ready values."""
    ids = person_history_ids(person)
    people = list(Person.objects.filter(pk__in=ids).order_by("pk"))
    family_ids = sorted({p.family_id for p in people})
    cases = list(
        Case.objects.filter(family_id__in=family_ids)
        .select_related("unit", "worker")
        .order_by("opened_on", "pk")
    )
    case_ids = [c.pk for c in cases]
    notifications = list(Notification.objects.filter(person_id__in=ids).order_by("received_at"))
    about = (
        Q(person_id__in=ids)
        | Q(family_id__in=family_ids, person_id__isnull=True)
        | Q(case_id__in=case_ids)
        | Q(notification_id__in=[n.pk for n in notifications])
    )
    access_about = (
        Q(person_id__in=ids)
        | Q(family_id__in=family_ids, person_id__isnull=True)
        | Q(case_id__in=case_ids)
    )
    return {
        "format": "earlyhelp-subject-access",
        "format_version": FORMAT_VERSION,
        "generated_at": plain(clock.now()),
        "person_ref": person.person_ref,
        "person": _row(person),
        "records_merged_into_this_one": [_row(p) for p in people if p.pk != person.pk],
        "households": _rows(Family.objects.filter(pk__in=family_ids).order_by("pk")),
        "household_members": [
            {"id": p.pk, "person_ref": p.person_ref, "name": p.full_name, "family_id": p.family_id}
            for p in Person.objects.filter(family_id__in=family_ids).exclude(pk__in=ids)
        ],
        "relationships": _rows(
            Relationship.objects.filter(Q(person_id__in=ids) | Q(other_id__in=ids)).order_by("pk")
        ),
        "notifications": _rows(notifications),
        "step_down_proposals": _rows(StepDownProposal.objects.filter(person_id__in=ids)),
        "cases": [_case(c) for c in cases],
        "referrals_to_social_care": _rows(ScsReferral.objects.filter(family_id__in=family_ids)),
        "consents": _rows(FamilyConsent.objects.filter(family_id__in=family_ids).order_by("pk")),
        "change_history": _audit_rows(
            ChangeRecord.objects.filter(about).order_by("at", "pk"),
            ("at", "actor_name", "entity", "entity_id", "action", "changes"),
        ),
        "case_events": _audit_rows(
            CaseEvent.objects.filter(about).order_by("occurred_on", "at", "pk"),
            ("occurred_on", "kind", "actor_name", "data"),
        ),
        "access_log": _audit_rows(
            AccessLog.objects.filter(access_about).order_by("at", "pk"),
            ("at", "actor_name", "action", "what", "reason"),
        ),
    }


# --- the readable document -------------------------------------------------------------------

SECTION_TITLES = {
    "person": "The person",
    "records_merged_into_this_one": "Other records of the same person, merged into this one",
    "households": "Household",
    "household_members": "Other members of the household",
    "relationships": "Relationships",
    "notifications": "Requests for early help (notifications)",
    "step_down_proposals": "Step-down from Specialist Children's Services",
    "cases": "Early help cases",
    "referrals_to_social_care": "Referrals to Specialist Children's Services",
    "consents": "Consent to share information",
    "change_history": "Changes to the records",
    "case_events": "Timeline",
    "access_log": "Who has looked at the record",
}


@dataclass(frozen=True)
class Item:
    title: str
    fields: list[tuple[str, str]]
    children: list[Section]


@dataclass(frozen=True)
class Section:
    title: str
    items: list[Item]


def _words(name: str) -> str:
    return name.replace("_id", "").replace("_", " ").capitalize()


def _shown(value: object) -> str:
    if value in (None, "", [], {}):
        return ""
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(value, dict):
        return "; ".join(f"{_words(str(k))}: {_shown(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_shown(v) for v in value)
    text = str(value)
    return LABELS.get(text, text)


def _item(title: str, row: dict[str, Any]) -> Item:
    fields = [
        (_words(k), _shown(v))
        for k, v in row.items()
        if not isinstance(v, list | dict) or k in {"changes", "data"}
    ]
    children = [
        Section(title=_words(k), items=[_item(_words(k), child) for child in v if child])
        for k, v in row.items()
        if isinstance(v, list) and v and isinstance(v[0], dict)
    ]
    children += [
        Section(title=_words(k), items=[_item(_words(k), v)])
        for k, v in row.items()
        if isinstance(v, dict) and k not in {"changes", "data"}
    ]
    return Item(title=title, fields=[f for f in fields if f[1]], children=children)


def readable_sections(document: dict[str, Any]) -> list[Section]:
    sections = []
    for key, title in SECTION_TITLES.items():
        value = document.get(key)
        rows = value if isinstance(value, list) else [value] if value else []
        sections.append(
            Section(title=title, items=[_item(f"{title} {n}", r) for n, r in enumerate(rows, 1)])
        )
    return sections


def render_html(document: dict[str, Any]) -> str:
    return render_to_string(
        "dataprotection/subject_access_document.html",
        {"document": document, "sections": readable_sections(document)},
    )


def render_json(document: dict[str, Any]) -> str:
    return json.dumps(document, ensure_ascii=False, indent=2, sort_keys=False) + "\n"


def subject_access_export(
    *, actor: Actor, person: Person, ip_address: str | None = None, how: str = "page"
) -> dict[str, Any]:
    """The document, with the export recorded in the access log."""
    document = subject_access_document(person)
    access_record(
        actor=actor,
        action=AccessAction.EXPORT,
        what=f"subject access export of {person.person_ref} ({how})",
        refs=Refs(family_id=person.family_id, person_id=person.pk),
        ip_address=ip_address,
    )
    return document


def write_files(document: dict[str, Any], directory: Path) -> tuple[Path, Path]:
    directory.mkdir(parents=True, exist_ok=True)
    stem = f"subject-access-{document['person_ref']}"
    json_path, html_path = directory / f"{stem}.json", directory / f"{stem}.html"
    json_path.write_text(render_json(document), encoding="utf-8")
    html_path.write_text(render_html(document), encoding="utf-8")
    return json_path, html_path
