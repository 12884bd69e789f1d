"""Writes at the front door: receiving notifications and recording triage decisions.

Routing a decision onwards (opening a case, linking to an open case, referring to
social care) belongs to casework: `earlyhelp.casework.services.notification_route`.
"""

from __future__ import annotations

from datetime import datetime

from django.db import transaction

from earlyhelp.audit.models import Action
from earlyhelp.audit.services import (
    Actor,
    Refs,
    case_event_record,
    change_record,
    diff,
    snapshot,
)
from earlyhelp.common import clock
from earlyhelp.common.errors import InvalidInput, PermissionRefused
from earlyhelp.common.locking import bump, lock_current
from earlyhelp.common.references import next_reference
from earlyhelp.common.transactions import service_atomic
from earlyhelp.common.validation import full_clean_or_raise
from earlyhelp.domain.codes import Category, Source, TriageDecision
from earlyhelp.domain.events import EventKind
from earlyhelp.domain.workingdays import triage_due_date
from earlyhelp.frontdoor.models import Notification
from earlyhelp.frontdoor.policies import may_submit, may_triage
from earlyhelp.organisation.models import User
from earlyhelp.people.models import Person


def notification_reference_next() -> str:
    """The next notification reference (N and seven digits), never given out before."""
    return next_reference(Notification, field="notification_ref", prefix="N")


def _refs(notification: Notification) -> Refs:
    return Refs(
        family_id=notification.family_id,
        person_id=notification.person_id,
        notification_id=notification.pk,
    )


def _check_codes(source: str, category: str) -> None:
    errors: dict[str, list[str]] = {}
    if source not in Source.__members__:
        errors["source"] = ["Choose who the notification came from."]
    if category not in Category.__members__:
        errors["category"] = ["Choose the kind of notification."]
    if errors:
        raise InvalidInput(errors)


@service_atomic
def notification_create(
    *,
    user: User,
    person: Person,
    received_at: datetime,
    source: str,
    category: str,
    reason: str,
    what_has_been_tried: str = "",
    family_consent: bool | None = None,
    referrer_name: str = "",
    referrer_organisation: str = "",
    referrer_email: str = "",
    referrer_phone: str = "",
    urgent: bool = False,
    notification_ref: str = "",
) -> Notification:
    """A new notification; `notification_ref` is one already given out from the
    notifications' sequence (a queued partner submission's), else a new one is taken."""
    if not may_submit(user):
        raise PermissionRefused("You cannot submit notifications.")
    _check_codes(source, category)
    if received_at > clock.now():
        raise InvalidInput({"received_at": ["The date received cannot be in the future."]})
    if not reason.strip():
        raise InvalidInput({"reason": ["Say why early help is needed."]})
    notification = Notification(
        notification_ref=notification_ref or notification_reference_next(),
        person=person,
        family_id=person.family_id,
        received_at=received_at,
        source=source,
        category=category,
        reason=reason.strip(),
        what_has_been_tried=what_has_been_tried.strip(),
        family_consent=family_consent,
        referrer_name=referrer_name,
        referrer_organisation=referrer_organisation,
        referrer_email=referrer_email,
        referrer_phone=referrer_phone,
        submitted_by_id=user.pk,
        urgent=urgent,
        due_on=triage_due_date(clock.local_date(received_at), category, urgent=urgent),
        created_by_id=user.pk,
        updated_by_id=user.pk,
    )
    full_clean_or_raise(notification)
    notification.save()
    actor = Actor.of(user)
    change_record(
        actor=actor, instance=notification, action=Action.CREATE, refs=_refs(notification)
    )
    kind = (
        EventKind.STEP_DOWN_RECEIVED
        if category == Category.SCS_STEP_DOWN
        else EventKind.NOTIFICATION_RECEIVED
    )
    case_event_record(
        actor=actor,
        kind=kind,
        occurred_on=clock.local_date(received_at),
        refs=_refs(notification),
        data={"source": source, "category": category, "ref": notification.notification_ref},
    )
    return notification


def _check_decision(
    threshold_level: int | None, decision: str, triaged_at: datetime, notification: Notification
) -> None:
    errors: dict[str, list[str]] = {}
    if threshold_level not in (1, 2, 3, 4):
        errors["threshold_level"] = ["Choose the level of need, from 1 to 4."]
    if decision not in TriageDecision.__members__:
        errors["decision"] = ["Choose what happens next."]
    if triaged_at < notification.received_at:
        errors["triaged_at"] = ["Triage cannot be before the notification was received."]
    if triaged_at > clock.now():
        errors["triaged_at"] = ["The triage time cannot be in the future."]
    if errors:
        raise InvalidInput(errors)


@transaction.atomic
def notification_triage(
    *,
    user: User,
    notification: Notification,
    version: int,
    threshold_level: int | None,
    decision: str,
    decision_reason: str,
    triaged_at: datetime | None = None,
) -> Notification:
    """Record the level of need and the decision. Call through `notification_route`."""
    if not may_triage(user):
        raise PermissionRefused("Only triage officers record triage decisions.")
    triaged_at = triaged_at or clock.now()
    current = lock_current(
        Notification, pk=notification.pk, version=version, what="notification", seen=notification
    )
    if not current.is_pending:
        raise InvalidInput({"decision": ["This notification has already been triaged."]})
    _check_decision(threshold_level, decision, triaged_at, current)
    before = snapshot(current)
    current.threshold_level = threshold_level
    current.triage_decision = decision
    current.decision_reason = decision_reason.strip()
    current.triaged_at = triaged_at
    current.triaged_by_id = user.pk
    current.triaged_by_name = user.get_username()
    bump(current, user_id=user.pk)
    full_clean_or_raise(current)
    current.save()
    actor = Actor.of(user)
    change_record(
        actor=actor,
        instance=current,
        action=Action.UPDATE,
        changes=diff(before, snapshot(current)),
        refs=_refs(current),
    )
    case_event_record(
        actor=actor,
        kind=EventKind.NOTIFICATION_TRIAGED,
        occurred_on=clock.local_date(triaged_at),
        refs=_refs(current),
        data={"decision": decision, "level": threshold_level, "reason": current.decision_reason},
    )
    return current


@transaction.atomic
def notification_referrer_informed(
    *, user: User, notification: Notification, version: int, how: str
) -> Notification:
    """Record that the referrer was told the outcome (by email, phone …)."""
    if not may_triage(user):
        raise PermissionRefused("Only triage officers record what the referrer was told.")
    current = lock_current(
        Notification, pk=notification.pk, version=version, what="notification", seen=notification
    )
    if current.is_pending:
        raise InvalidInput({"how": ["Triage the notification before telling the referrer."]})
    if not how.strip():
        raise InvalidInput({"how": ["Say how the referrer was told (for example: email)."]})
    before = snapshot(current)
    current.referrer_informed_at = clock.now()
    current.referrer_informed_how = how.strip()
    bump(current, user_id=user.pk)
    current.save()
    actor = Actor.of(user)
    change_record(
        actor=actor,
        instance=current,
        action=Action.UPDATE,
        changes=diff(before, snapshot(current)),
        refs=_refs(current),
    )
    case_event_record(
        actor=actor,
        kind=EventKind.REFERRER_INFORMED,
        occurred_on=clock.local_date(current.referrer_informed_at),
        refs=_refs(current),
        data={"how": current.referrer_informed_how},
    )
    return current


def notification_screening_start(*, user: User, notification: Notification) -> bool:
    """Mark a pending notification as being screened, the first time triage opens it.

    Not a change of content (no new version, so an open triage form stays valid): the
    referrer is told "being screened", and other triage officers see who has it.
    """
    if not may_triage(user) or not notification.is_pending:
        return False
    started = Notification.objects.filter(
        pk=notification.pk, screening_started_at__isnull=True, triaged_at__isnull=True
    ).update(screening_started_at=clock.now(), screening_started_by_name=user.get_username())
    return started == 1
