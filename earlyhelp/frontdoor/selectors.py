"""Reads of notifications: the triage queue and single notifications, within scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from earlyhelp.common import clock
from earlyhelp.common.errors import NotFound
from earlyhelp.domain.codes import SAME_DAY_CATEGORIES
from earlyhelp.frontdoor.models import Notification
from earlyhelp.frontdoor.policies import notification_scope
from earlyhelp.organisation.models import User


def notification_list(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(notification_scope(user)).select_related("person", "family")


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
