"""What a partner may know of the notifications they sent: their progress, never content.

Every partner is told when their notification was received, when triage started
screening it, and that a decision was made (within the triage timescale). What was
decided, which unit it was allocated to and when the case closed are told only while the
family's consent to share with the referrer (`SHARE_WITH_REFERRER`, for the partner's
organisation or for any) is in force.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import QuerySet

from earlyhelp.casework.models import Case, LinkedNotification
from earlyhelp.common import clock
from earlyhelp.common.errors import NotFound
from earlyhelp.common.queries import unique_or_none
from earlyhelp.domain.codes import ConsentPurpose, label
from earlyhelp.domain.submissions import STAGE_LABELS, Answers, Stage, partner_stage
from earlyhelp.domain.workingdays import triage_due_date
from earlyhelp.frontdoor import selectors as frontdoor
from earlyhelp.frontdoor.models import Notification, PartnerSubmission
from earlyhelp.organisation.models import User
from earlyhelp.people.selectors import families_sharing


@dataclass(frozen=True, slots=True)
class PartnerView:
    notification_ref: str
    received_at: datetime
    due_on: date
    child_name: str  # as the partner typed it (from their own submission), else initials
    stage: Stage
    screening_started_at: datetime | None
    decided_at: datetime | None
    shared: bool
    outcome: str = ""
    unit_name: str = ""
    closed_on: date | None = None
    family_id: int | None = None  # for the access log: never shown
    person_id: int | None = None

    @property
    def stage_label(self) -> str:
        return STAGE_LABELS[self.stage]

    @property
    def decided_in_time(self) -> bool | None:
        if self.decided_at is None:
            return None
        return self.decided_at.date() <= self.due_on


def _own(user: User) -> QuerySet[Notification]:
    """The notifications this account sent (a partner's own, never others'), in scope."""
    return frontdoor.notification_list(user=user).filter(submitted_by_id=user.pk)


@dataclass(frozen=True, slots=True)
class _Allocation:
    """The case a notification went to, as far as a partner may be told of it."""

    unit_name: str
    closed_on: date | None


def _cases_by_notification(ids: list[int]) -> dict[int, _Allocation]:
    """The case each notification opened (the first, in cases' order), else the open case
    it was linked to."""
    cases: dict[int, _Allocation] = {}
    opened = Case.objects.filter(notification_id__in=ids)
    for notification_id, unit_name, closed_on in opened.values_list(
        "notification_id", "unit__name", "closed_on"
    ):
        cases.setdefault(notification_id, _Allocation(unit_name, closed_on))
    linked = LinkedNotification.objects.filter(notification_id__in=ids)
    for notification_id, unit_name, closed_on in linked.values_list(
        "notification_id", "case__unit__name", "case__closed_on"
    ):
        cases.setdefault(notification_id, _Allocation(unit_name, closed_on))
    return cases


def _name_as_typed(answers: dict[str, object]) -> str:
    return f"{answers.get('child_given_name', '')} {answers.get('child_family_name', '')}"


def _typed_name(notification: Notification) -> str:
    submission = getattr(notification, "partner_submission", None)
    if submission is not None:
        return _name_as_typed(submission.answers)
    person = notification.person
    return f"{person.given_name[:1]}. {person.family_name[:1]}."


def _view(notification: Notification, case: _Allocation | None, shared: bool) -> PartnerView:
    stage = partner_stage(
        screening_started=notification.screening_started_at is not None,
        triaged=not notification.is_pending,
        allocated=case is not None,
        closed=case is not None and case.closed_on is not None,
    )
    if not shared and stage in {Stage.ALLOCATED, Stage.CLOSED}:
        stage = Stage.DECIDED  # where it went after the decision is the family's to share
    return PartnerView(
        notification_ref=notification.notification_ref,
        received_at=notification.received_at,
        due_on=notification.due_on,
        child_name=_typed_name(notification).strip(),
        stage=stage,
        screening_started_at=notification.screening_started_at,
        decided_at=notification.triaged_at,
        shared=shared,
        outcome=label(notification.triage_decision) if shared and notification.triaged_at else "",
        unit_name=case.unit_name if shared and case is not None else "",
        closed_on=case.closed_on if shared and case is not None else None,
        family_id=notification.family_id,
        person_id=notification.person_id,
    )


def _consent_in_force(notification: Notification, today: date) -> bool:
    """The consent given with the submission itself (it follows the notification when
    triage links it to a family already known), unless withdrawn."""
    submission = getattr(notification, "partner_submission", None)
    consent = submission.consent if submission is not None else None
    return (
        consent is not None
        and consent.given_on <= today
        and (consent.withdrawn_on is None or consent.withdrawn_on > today)
    )


def partner_views(*, user: User, notifications: list[Notification]) -> list[PartnerView]:
    cases = _cases_by_notification([n.pk for n in notifications])
    sharing = families_sharing(
        {n.family_id for n in notifications},
        ConsentPurpose.SHARE_WITH_REFERRER,
        partner_name=user.partner_organisation,
    )
    today = clock.today()
    return [
        _view(n, cases.get(n.pk), n.family_id in sharing or _consent_in_force(n, today))
        for n in notifications
    ]


# What `partner_views` reads of one notification (`partner_status` loads only these).
_STATUS_FIELDS = (
    "notification_ref",
    "received_at",
    "due_on",
    "screening_started_at",
    "triaged_at",
    "triage_decision",
    "family",
    "person__given_name",
    "person__family_name",
    "partner_submission__answers",
    "partner_submission__consent__given_on",
    "partner_submission__consent__withdrawn_on",
)


def partner_submission_list(*, user: User) -> QuerySet[Notification]:
    """The notifications this account sent, newest first (a partner's own, never others')."""
    return _own(user).select_related("partner_submission__consent").order_by("-received_at", "-pk")


def partner_status(*, user: User, notification_ref: str) -> PartnerView:
    """The progress of one notification this account sent; NotFound for any other."""
    ref = notification_ref.strip().upper()
    notification = _own_notification(user, ref)
    if notification is None:
        queued = frontdoor.submission_by_reference(user=user, reference=ref)
        if queued is None:
            raise NotFound("notification")
        if queued.notification_id is None:
            return _queued_view(queued)
        notification = _own_notification(user, ref)  # recorded between the two reads
        if notification is None:
            raise NotFound("notification")
    return partner_views(user=user, notifications=[notification])[0]


def _own_notification(user: User, ref: str) -> Notification | None:
    found = (
        _own(user)
        .filter(notification_ref=ref)
        .select_related(None)
        .select_related("person", "partner_submission__consent")
        .only(*_STATUS_FIELDS)
    )
    return unique_or_none(found)  # the reference is unique


def _queued_view(queued: PartnerSubmission) -> PartnerView:
    """A submission still in the queue (decision 0017): received, and nothing more yet."""
    answers = Answers.from_json(queued.answers)
    received_on = clock.local_date(queued.received_at)
    return PartnerView(
        notification_ref=queued.reference,
        received_at=queued.received_at,
        due_on=triage_due_date(received_on, answers.category, urgent=answers.urgent),
        child_name=_name_as_typed(queued.answers).strip(),
        stage=Stage.RECEIVED,
        screening_started_at=None,
        decided_at=None,
        shared=False,
    )
