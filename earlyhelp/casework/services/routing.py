"""Triage routing: record the decision at the front door and carry it out in casework."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from earlyhelp.audit.services import Actor, Refs, case_event_record
from earlyhelp.casework.models import Case, LinkedNotification, ScsReferral
from earlyhelp.casework.services.lifecycle import open_case
from earlyhelp.common import clock
from earlyhelp.common.errors import InvalidInput
from earlyhelp.domain.codes import ASSESSMENT_DECISIONS, TriageDecision
from earlyhelp.domain.events import EventKind
from earlyhelp.frontdoor.models import Notification
from earlyhelp.frontdoor.services import notification_triage
from earlyhelp.organisation.models import OrgUnit, User, Worker


@dataclass(frozen=True)
class RouteResult:
    notification: Notification
    case: Case | None = None
    linked_case: Case | None = None
    scs_referral: ScsReferral | None = None


def _family_open_case(family_id: int) -> Case | None:
    return Case.objects.filter(family_id=family_id, closed_on__isnull=True).first()


def _check_route_inputs(decision: str, unit: OrgUnit | None, family_id: int) -> None:
    if decision in ASSESSMENT_DECISIONS and unit is None:
        raise InvalidInput({"unit": ["Choose the unit that will hold the case."]})
    if decision == TriageDecision.ALREADY_OPEN and _family_open_case(family_id) is None:
        raise InvalidInput(
            {"decision": ["The family has no open case to link to: choose another decision."]}
        )


@transaction.atomic
def notification_route(
    *,
    user: User,
    notification: Notification,
    version: int,
    threshold_level: int | None,
    decision: str,
    decision_reason: str,
    unit: OrgUnit | None = None,
    worker: Worker | None = None,
    scs_reason: str = "",
    triaged_at: datetime | None = None,
) -> RouteResult:
    """Triage a notification and act on the decision, all or nothing.

    `ASSESS_*` opens a case allocated to `unit` (and `worker`, if chosen now);
    `ALREADY_OPEN` links the notification to the family's open case; `STEP_UP_SCS`
    records the referral to Specialist Children's Services.
    """
    _check_route_inputs(decision, unit, notification.family_id)
    if decision == TriageDecision.STEP_UP_SCS and not (scs_reason or decision_reason).strip():
        raise InvalidInput({"scs_reason": ["Say why the family needs social care."]})
    triaged = notification_triage(
        user=user,
        notification=notification,
        version=version,
        threshold_level=threshold_level,
        decision=decision,
        decision_reason=decision_reason,
        triaged_at=triaged_at,
    )
    today = clock.local_date(triaged.triaged_at or clock.now())
    if decision in ASSESSMENT_DECISIONS and unit is not None:
        case = open_case(
            user=user,
            family=triaged.family,
            unit=unit,
            worker=worker,
            opened_on=today,
            notification=triaged,
        )
        return RouteResult(notification=triaged, case=case)
    if decision == TriageDecision.ALREADY_OPEN:
        return RouteResult(notification=triaged, linked_case=_link(user, triaged, today))
    if decision == TriageDecision.STEP_UP_SCS:
        referral = ScsReferral.objects.create(
            family_id=triaged.family_id,
            notification=triaged,
            referred_on=today,
            reason=(scs_reason or decision_reason).strip(),
            referred_by_id=user.pk,
            referred_by_name=user.get_username(),
        )
        _event(user, triaged, EventKind.STEPPED_UP, {"reason": referral.reason})
        return RouteResult(notification=triaged, scs_referral=referral)
    return RouteResult(notification=triaged)


def _link(user: User, notification: Notification, today: object) -> Case:
    case = _family_open_case(notification.family_id)
    if case is None:  # checked before triage; the family's case closed meanwhile
        raise InvalidInput({"decision": ["The family's case has just been closed."]})
    LinkedNotification.objects.create(case=case, notification=notification, linked_on=today)
    case_event_record(
        actor=Actor.of(user),
        kind=EventKind.NOTIFICATION_LINKED,
        occurred_on=today,  # type: ignore[arg-type]
        refs=Refs(family_id=case.family_id, case_id=case.pk, notification_id=notification.pk),
        data={"linked": notification.notification_ref},
    )
    return case


def _event(user: User, notification: Notification, kind: str, data: dict[str, object]) -> None:
    case_event_record(
        actor=Actor.of(user),
        kind=kind,
        occurred_on=clock.local_date(notification.triaged_at or clock.now()),
        refs=Refs(
            family_id=notification.family_id,
            person_id=notification.person_id,
            notification_id=notification.pk,
        ),
        data=data,
    )
