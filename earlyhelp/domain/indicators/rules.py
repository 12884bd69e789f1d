"""The rules of spec/indicators.md for one record, written as the spec words them.

The engine (`series.py`) turns each rule into the months a record counts in; the tests
check it against these functions month by month.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from datetime import date, timedelta
from functools import lru_cache

from earlyhelp.domain.codes import (
    ADMINISTRATIVE_CLOSURES,
    ASSESSMENT_DECISIONS,
    CASEHOLDING_ROLES,
    POSITIVE_CLOSURES,
    SAME_DAY_CATEGORIES,
    Category,
    ClosureReason,
    TriageDecision,
)
from earlyhelp.domain.indicators.records import CaseRecord, NotificationRecord
from earlyhelp.domain.workingdays import add_working_days

PLAN_DAYS = 28  # EH04: a plan within 4 weeks of notification
REREFERRAL_DAYS = 365  # EH06
REVIEW_DAYS = 42  # EH08: reviews at least every 6 weeks
TRIAGE_WORKING_DAYS = 2  # EH07

_SAME_DAY = frozenset(c.value for c in SAME_DAY_CATEGORIES)
_ADMINISTRATIVE = frozenset(r.value for r in ADMINISTRATIVE_CLOSURES)
_POSITIVE = frozenset(r.value for r in POSITIVE_CLOSURES)
_ASSESSMENT = frozenset(d.value for d in ASSESSMENT_DECISIONS)
_CASEHOLDING = frozenset(r.value for r in CASEHOLDING_ROLES)


# Closures (EH01, EH05, EH06, EH09, EH12)


def is_counted_closure(reason: str) -> bool:
    """A closure whose reason is not administrative (moved away, transferred, in error)."""
    return bool(reason) and reason not in _ADMINISTRATIVE


def is_positive_closure(reason: str) -> bool:
    return reason in _POSITIVE


def is_step_up(reason: str) -> bool:
    return reason == ClosureReason.STEP_UP_SCS


def duration_days(case: CaseRecord) -> int:
    if case.closed_on is None:
        raise ValueError("an open case has no duration")
    return (case.closed_on - case.opened_on).days


# EH04


def plan_deadline(case: CaseRecord) -> date:
    return case.start_on + timedelta(days=PLAN_DAYS)


def in_plan_cohort(case: CaseRecord) -> bool:
    """Every case, less those closed before the deadline without a plan."""
    closed_early = case.closed_on is not None and case.closed_on < plan_deadline(case)
    return not (closed_early and case.plan_agreed_on is None)


def plan_on_time(case: CaseRecord) -> bool:
    return case.plan_agreed_on is not None and case.plan_agreed_on <= plan_deadline(case)


# EH06


def in_rereferral_cohort(reason: str) -> bool:
    return bool(reason) and reason not in _ADMINISTRATIVE and not is_step_up(reason)


def rereferred(closed_on: date, family_notifications: Sequence[date]) -> bool:
    """A notification of the family received on d with closed_on < d ≤ closed_on + 365 days.

    `family_notifications` are the received dates of the family's notifications, in order.
    """
    first_after = bisect_right(family_notifications, closed_on)
    return first_after < len(family_notifications) and family_notifications[
        first_after
    ] <= closed_on + timedelta(days=REREFERRAL_DAYS)


# EH07


@lru_cache(maxsize=8192)
def _two_working_days(received_on: date) -> date:
    return add_working_days(received_on, TRIAGE_WORKING_DAYS)


def triage_due(received_on: date, category: str) -> date:
    """Same day for MISSING_CHILD and E_YOT, else 2 working days after the received date."""
    if category in _SAME_DAY:
        return received_on
    return _two_working_days(received_on)


def triaged_on_time(notification: NotificationRecord) -> bool:
    """Triaged on or before the due date; still pending is not on time."""
    due = triage_due(notification.received_on, notification.category)
    return notification.triaged_on is not None and notification.triaged_on <= due


# EH02, EH03


def is_step_down(notification: NotificationRecord) -> bool:
    return notification.category == Category.SCS_STEP_DOWN


def counts_for_assessment_rate(notification: NotificationRecord) -> bool:
    """Triaged, and not linked to a case already open."""
    return (
        notification.triaged_on is not None and notification.decision != TriageDecision.ALREADY_OPEN
    )


def led_to_assessment(notification: NotificationRecord) -> bool:
    return notification.decision in _ASSESSMENT


# EH08, EH10


def open_at(case: CaseRecord, day: date) -> bool:
    """Opened on or before the day and not closed on or before it."""
    return case.opened_on <= day and (case.closed_on is None or case.closed_on > day)


def in_review_cohort(case: CaseRecord, as_of: date) -> bool:
    """Open at the as-of date, with a plan agreed at least 42 days before it."""
    return (
        open_at(case, as_of)
        and case.plan_agreed_on is not None
        and case.plan_agreed_on <= as_of - timedelta(days=REVIEW_DAYS)
    )


def reviewed_recently(case: CaseRecord, as_of: date) -> bool:
    """A review dated in the 42 days ending on the as-of date (as-of − 41 … as-of)."""
    start = as_of - timedelta(days=REVIEW_DAYS - 1)
    index = bisect_left(case.review_dates, start)
    return index < len(case.review_dates) and case.review_dates[index] <= as_of


def holds_cases(role: str) -> bool:
    """Practitioners and senior practitioners: the FTE that EH10 divides by."""
    return role in _CASEHOLDING


# The constants above, for the columnar engine's SQL (performance/columnar.py)

ADMINISTRATIVE_REASONS = _ADMINISTRATIVE
POSITIVE_REASONS = _POSITIVE
STEP_UP_REASON = ClosureReason.STEP_UP_SCS.value
STEP_DOWN_CATEGORY = Category.SCS_STEP_DOWN.value
SAME_DAY_CATEGORY_CODES = _SAME_DAY
ALREADY_OPEN_DECISION = TriageDecision.ALREADY_OPEN.value
ASSESSMENT_DECISION_CODES = _ASSESSMENT
