"""Write a notification with its triage, and the events the front door records."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from earlyhelp.casework.models import ScsReferral
from earlyhelp.demo import panels, texts
from earlyhelp.demo.context import Context, payload
from earlyhelp.demo.organisation import StaffMember
from earlyhelp.demo.people import Household, Member
from earlyhelp.demo.timing import minutes_later
from earlyhelp.domain.codes import Category, Source, TriageDecision
from earlyhelp.domain.events import EventKind
from earlyhelp.frontdoor.models import Notification

INFORMED_HOW = ("Email", "Email", "Phone call", "Letter")
REFERRER_NAMES = ("Sam", "Alex", "Jo", "Chris", "Nicky", "Pat", "Lee", "Ashley")


@dataclass(slots=True)
class Referral:
    """One child's notification and what triage decided (no decision while pending)."""

    child: Member
    received: datetime
    source: str
    category: str
    due: date
    officer: StaffMember
    triaged: datetime | None = None
    decision: str = ""
    level: int | None = None
    notification_id: int = 0


def write_notification(
    ctx: Context,
    rng: random.Random,
    household: Household,
    referral: Referral,
    *,
    refers_to_scs: bool = True,
) -> int:
    """Write the notification and its events; return its id.

    A referral stepped up at triage writes one referral to SCS, with its first child's
    notification (`refers_to_scs`).
    """
    organisation, referrer = _referrer(ctx, rng, household, referral.source)
    submitter = ctx.partner_actor if organisation == ctx.partner.organisation else None
    notification_id = ctx.writer.next_id(Notification)
    referral.notification_id = notification_id
    child, parent = referral.child.given_name, household.parent_name
    reasons = texts.CATEGORY_REASONS.get(referral.category) or texts.REASONS[referral.source]
    row: dict[str, Any] = {
        "id": notification_id,
        "notification_ref": f"N{notification_id:07d}",
        "family_id": household.id,
        "person_id": referral.child.id,
        "received_at": referral.received,
        "source": referral.source,
        "category": referral.category,
        "reason": texts.pick(rng, reasons, child, parent),
        "what_has_been_tried": texts.pick(rng, texts.TRIED, child, parent),
        "family_consent": None if referral.source == Source.POLICE else True,
        "referrer_name": referrer,
        "referrer_organisation": organisation,
        "referrer_email": _email(referrer),
        "referrer_phone": f"01632 960{rng.randrange(1000):03d}",
        "submitted_by_id": submitter.user_id if submitter else None,
        "due_on": referral.due,
        "created_at": referral.received,
        "created_by_id": submitter.user_id if submitter else None,
    }
    refs = {"family_id": household.id, "person_id": referral.child.id}
    _received_event(ctx, referral, submitter, refs | {"notification_id": notification_id})
    triaged = referral.triaged
    if triaged is not None:
        informed = minutes_later(rng, triaged, 10, 150)
        how = rng.choice(INFORMED_HOW)
        row.update(_triage_fields(referral, informed, how))
        refs["notification_id"] = notification_id
        _triage_events(ctx, referral, triaged, (informed, how), refs)
        if referral.decision == TriageDecision.STEP_UP_SCS and refers_to_scs:
            _step_up(ctx, referral.officer, triaged, household.id, refs)
    ctx.writer.add(Notification, row)
    if referral.category == Category.SCS_STEP_DOWN:
        ctx.step_downs[household.district.index, f"{referral.received:%Y-%m}"] += 1
        panels.accepted(ctx, rng, household, referral.child, (notification_id, referral.received))
    return notification_id


def _triage_fields(referral: Referral, informed: datetime, how: str) -> dict[str, object]:
    return {
        "triaged_at": referral.triaged,
        "triage_decision": referral.decision,
        "threshold_level": referral.level,
        "decision_reason": texts.DECISIONS[referral.decision],
        "triaged_by_id": referral.officer.user_id,
        "triaged_by_name": referral.officer.signature,
        "referrer_informed_at": informed,
        "referrer_informed_how": how,
        "updated_at": informed,
        "updated_by_id": referral.officer.user_id,
        "version": 3,
    }


def _received_event(
    ctx: Context, referral: Referral, submitter: StaffMember | None, refs: dict[str, int]
) -> None:
    kind = (
        EventKind.STEP_DOWN_RECEIVED
        if referral.category == Category.SCS_STEP_DOWN
        else EventKind.NOTIFICATION_RECEIVED
    )
    data = {
        "source": referral.source,
        "category": referral.category,
        "ref": f"N{refs['notification_id']:07d}",
    }
    ctx.event(kind=kind, moment=referral.received, actor=submitter, data=data, **refs)


def _triage_events(
    ctx: Context,
    referral: Referral,
    triaged: datetime,
    informed: tuple[datetime, str],
    refs: dict[str, int],
) -> None:
    triage = payload(
        ("decision", referral.decision),
        ("level", referral.level),
        ("reason", texts.DECISIONS[referral.decision]),
    )
    officer = referral.officer
    ctx.event(
        kind=EventKind.NOTIFICATION_TRIAGED,
        moment=triaged,
        actor=officer,
        data=triage,
        **refs,
    )
    moment, how = informed
    ctx.event(
        kind=EventKind.REFERRER_INFORMED,
        moment=moment,
        actor=officer,
        data=payload(("how", how)),
        **refs,
    )


def _step_up(
    ctx: Context, officer: StaffMember, triaged: datetime, family_id: int, refs: dict[str, int]
) -> None:
    """Triage referred the family to Specialist Children's Services."""
    ctx.writer.add(
        ScsReferral,
        {
            "family_id": family_id,
            "notification_id": refs["notification_id"],
            "referred_on": triaged.date(),
            "reason": texts.SCS_REASON,
            "referred_by_id": officer.user_id,
            "referred_by_name": officer.signature,
        },
    )
    ctx.event(
        kind=EventKind.STEPPED_UP,
        moment=triaged,
        actor=officer,
        data={"reason": texts.SCS_REASON},
        **refs,
    )


def _referrer(
    ctx: Context, rng: random.Random, household: Household, source: str
) -> tuple[str, str]:
    """The referring organisation and person (both synthetic)."""
    if source == Source.SELF_OR_FAMILY:
        return "", f"{household.parent_name} {household.surname}"
    district = household.district.spec
    town = rng.choice(district.towns)
    organisation = {
        Source.SCHOOL: lambda: rng.choice(household.district.schools),
        Source.EARLY_YEARS: lambda: f"{town} Pre-school",
        Source.HEALTH: lambda: f"{town} Health Visiting Team",
        Source.POLICE: lambda: "Kent Police",
        Source.SCS: lambda: f"Specialist Children's Services, {district.name}",
        Source.LA_SERVICE: lambda: f"{district.name} Council",
        Source.VOLUNTARY: lambda: f"{town} Food Bank",
        Source.HOUSING: lambda: f"{town} Housing Association",
    }.get(source, lambda: "")()
    return organisation, f"{rng.choice(REFERRER_NAMES)} {ctx.families.last_name(rng)}"


def _email(name: str) -> str:
    local = ".".join(part.lower() for part in name.split() if part.isalpha())
    return f"{local}@example.org" if local else ""
