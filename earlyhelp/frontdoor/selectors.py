"""Reads of notifications: the triage queue and single notifications, within scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Q, QuerySet

from earlyhelp.common import clock
from earlyhelp.common.errors import NotFound
from earlyhelp.common.queries import unique_or_none
from earlyhelp.domain.codes import SAME_DAY_CATEGORIES, OrgKind
from earlyhelp.frontdoor.models import Notification, PartnerSubmission, StepDownProposal
from earlyhelp.frontdoor.policies import notification_scope
from earlyhelp.frontdoor.stepdown_policies import panel_district_ids, step_down_scope
from earlyhelp.organisation.models import OrgUnit, User


def notification_list(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(notification_scope(user)).select_related("person", "family")


@dataclass(frozen=True, slots=True)
class QueueCounts:
    queued: int  # received, waiting to be recorded
    failed: int  # received, and could not be recorded (`recording_error`)


def _unrecorded() -> QuerySet[PartnerSubmission]:
    return PartnerSubmission.objects.filter(notification__isnull=True).exclude(reference="")


@dataclass(frozen=True, slots=True)
class QueueEnds:
    oldest: datetime  # when the oldest submission waiting to be recorded arrived
    newest: datetime
    pressing: bool  # one of them is to be triaged the same day (urgent, or its category)


def queue_ends() -> QueueEnds | None:
    """When the oldest and the newest submission waiting to be recorded arrived (by the
    queue's own order), and whether any is to be triaged the same day; None when none
    waits."""
    waiting = _unrecorded().filter(recording_error="")
    arrived = waiting.values_list("received_at", flat=True)
    oldest = arrived.order_by("id").first()
    newest = arrived.order_by("-id").first()
    if oldest is None or newest is None:
        return None
    same_day = [category.value for category in SAME_DAY_CATEGORIES]
    pressing = waiting.filter(Q(answers__urgent=True) | Q(answers__category__in=same_day))
    return QueueEnds(oldest=oldest, newest=newest, pressing=pressing.exists())


def queue_counts() -> QueueCounts:
    """The partner submissions received into the queue and not recorded (decision 0017)."""
    waiting = _unrecorded()
    failed = waiting.exclude(recording_error="").count()
    return QueueCounts(queued=waiting.count() - failed, failed=failed)


def queue_failures() -> QuerySet[PartnerSubmission]:
    """Received submissions the recorder could not record, oldest first, with the reason."""
    return (
        _unrecorded()
        .exclude(recording_error="")
        .order_by("received_at", "id")
        .only("reference", "received_at", "recording_error")
    )


def submission_by_reference(*, user: User, reference: str) -> PartnerSubmission | None:
    """This account's submission given `reference` when it was received into the queue
    (decision 0017), recorded since or not; another account's is None, as if none."""
    mine = PartnerSubmission.objects.filter(submitted_by=user, reference=reference.strip().upper())
    return unique_or_none(mine.only("reference", "received_at", "answers", "notification_id"))


def notification_get(*, user: User, notification_id: int) -> Notification:
    found = notification_list(user=user).filter(pk=notification_id).first()
    if found is None:
        raise NotFound("notification")
    return found


def notification_by_ref(*, user: User, ref: str) -> Notification:
    found = notification_list(user=user).filter(notification_ref=ref.strip().upper()).first()
    if found is None:
        raise NotFound("notification")
    return found


def notifications_of_family(*, user: User, family_id: int) -> QuerySet[Notification]:
    return notification_list(user=user).filter(family_id=family_id).order_by("-received_at")


@dataclass(frozen=True, slots=True)
class QueueItem:
    notification: Notification
    due_on: date
    days_left: int
    same_day: bool

    @property
    def overdue(self) -> bool:
        return self.days_left < 0

    @property
    def days_late(self) -> int:
        return max(0, -self.days_left)


def triage_queue(*, user: User, today: date | None = None) -> list[QueueItem]:
    """Pending notifications, the most urgent first, with the time left to triage them."""
    today = today or clock.today()
    pending = (
        notification_list(user=user)
        .filter(triaged_at__isnull=True)
        .order_by("due_on", "received_at", "pk")
    )
    return [
        QueueItem(
            notification=n,
            due_on=n.due_on,
            days_left=(n.due_on - today).days,
            same_day=n.category in SAME_DAY_CATEGORIES,
        )
        for n in pending
    ]


# --- step-down panels -------------------------------------------------------------------


def step_down_list(*, user: User) -> QuerySet[StepDownProposal]:
    """The proposals of the district panels the user sits on."""
    return StepDownProposal.objects.filter(step_down_scope(user)).select_related(
        "district", "person", "notification"
    )


def step_down_get(*, user: User, proposal_id: int) -> StepDownProposal:
    found = step_down_list(user=user).filter(pk=proposal_id).first()
    if found is None:
        raise NotFound("step-down proposal")
    return found


def step_down_panel(
    *, user: User, district_id: int | None = None
) -> tuple[list[StepDownProposal], list[StepDownProposal]]:
    """(still to decide, oldest first; decided, newest first) for the user's panels."""
    proposals = step_down_list(user=user).order_by("proposed_on", "proposal_ref")
    if district_id is not None:
        proposals = proposals.filter(district_id=district_id)
    rows = list(proposals)
    waiting = [p for p in rows if p.is_open]
    decided = sorted(
        (p for p in rows if not p.is_open),
        key=lambda p: (p.decided_on, p.proposal_ref),
        reverse=True,
    )
    return waiting, decided


def step_down_districts(*, user: User) -> QuerySet[OrgUnit]:
    """The districts whose panels the user sits on (to propose to)."""
    districts = OrgUnit.objects.filter(kind=OrgKind.DISTRICT).order_by("name")
    allowed = panel_district_ids(user)
    return districts if allowed is None else districts.filter(pk__in=allowed)


# --- the triage queue page ----------------------------------------------------------------


def triage_queue_filtered(
    *,
    user: User,
    categories: list[str] | tuple[str, ...] = (),
    overdue_only: bool = False,
    today: date | None = None,
) -> list[QueueItem]:
    """`triage_queue` narrowed to some kinds of notification, or to those overdue.

    One query, however many notifications wait.
    """
    today = today or clock.today()
    pending = notification_list(user=user).filter(triaged_at__isnull=True)
    if categories:
        pending = pending.filter(category__in=list(categories))
    if overdue_only:
        pending = pending.filter(due_on__lt=today)
    return [
        QueueItem(
            notification=n,
            due_on=n.due_on,
            days_left=(n.due_on - today).days,
            same_day=n.category in SAME_DAY_CATEGORIES,
        )
        for n in pending.order_by("due_on", "received_at", "pk")
    ]
