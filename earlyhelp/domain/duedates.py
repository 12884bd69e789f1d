"""What is due on a case, by when, and the drift flags of the weekly unit meeting.

Service standards of the Kent Family Support Framework: triage within 2 working days;
assessment completed within 2 weeks of notification (the EHPS scorecard measure); a family
plan within 4 weeks of notification; a review at least every 6 weeks once the plan is in
place; contact with the family at least every 4 weeks; cases open over 6 months are
challenged at the unit meeting.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

ASSESSMENT_DAYS = 14
PLAN_DAYS = 28
REVIEW_INTERVAL_DAYS = 42
CONTACT_DAYS = 28
LONG_CASE_MONTHS = 6


class DueKind(StrEnum):
    ASSESSMENT_START = "ASSESSMENT_START"
    ASSESSMENT = "ASSESSMENT"
    PLAN = "PLAN"
    REVIEW = "REVIEW"


DUE_LABELS = {
    DueKind.ASSESSMENT_START: "Start the assessment",
    DueKind.ASSESSMENT: "Complete the assessment",
    DueKind.PLAN: "Agree the family plan",
    DueKind.REVIEW: "Review the plan",
}


class Drift(StrEnum):
    NO_PLAN_BY_DEADLINE = "NO_PLAN_BY_DEADLINE"
    REVIEW_OVERDUE = "REVIEW_OVERDUE"
    NO_RECENT_CONTACT = "NO_RECENT_CONTACT"
    OPEN_OVER_6_MONTHS = "OPEN_OVER_6_MONTHS"


DRIFT_LABELS = {
    Drift.NO_PLAN_BY_DEADLINE: "No plan by the 4-week deadline",
    Drift.REVIEW_OVERDUE: "Review overdue",
    Drift.NO_RECENT_CONTACT: "No contact recorded for 4 weeks",
    Drift.OPEN_OVER_6_MONTHS: "Open more than 6 months",
}


@dataclass(frozen=True, slots=True)
class CaseDates:
    """The dates of a case that its due dates and drift depend on."""

    opened_on: date
    notified_on: date | None = None
    assessment_started_on: date | None = None
    assessment_completed_on: date | None = None
    plan_agreed_on: date | None = None
    last_review_on: date | None = None
    last_contact_on: date | None = None
    closed_on: date | None = None

    @property
    def start(self) -> date:
        """The clock starts at the notification (or at opening when there is none)."""
        return self.notified_on or self.opened_on


@dataclass(frozen=True, slots=True)
class Due:
    kind: DueKind
    due_on: date

    def is_overdue(self, today: date) -> bool:
        return self.due_on < today

    @property
    def label(self) -> str:
        return DUE_LABELS[self.kind]


def plan_deadline(case: CaseDates) -> date:
    return case.start + timedelta(days=PLAN_DAYS)


def next_due(case: CaseDates) -> Due | None:
    """The next thing to do on an open case and its date; None for a closed case."""
    if case.closed_on is not None:
        return None
    if case.assessment_started_on is None:
        return Due(DueKind.ASSESSMENT_START, case.start + timedelta(days=ASSESSMENT_DAYS))
    if case.assessment_completed_on is None:
        return Due(DueKind.ASSESSMENT, case.start + timedelta(days=ASSESSMENT_DAYS))
    if case.plan_agreed_on is None:
        return Due(DueKind.PLAN, plan_deadline(case))
    last = max(d for d in (case.plan_agreed_on, case.last_review_on) if d is not None)
    return Due(DueKind.REVIEW, last + timedelta(days=REVIEW_INTERVAL_DAYS))


def add_months(day: date, months: int) -> date:
    """Same day `months` later, clipped to the end of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate_day in (day.day, 30, 29, 28):
        try:
            return date(year, month, candidate_day)
        except ValueError:
            continue
    raise ValueError(f"cannot add {months} months to {day}")


def drift_flags(case: CaseDates, today: date) -> list[Drift]:
    if case.closed_on is not None:
        return []
    flags: list[Drift] = []
    if case.plan_agreed_on is None and plan_deadline(case) < today:
        flags.append(Drift.NO_PLAN_BY_DEADLINE)
    due = next_due(case)
    if due is not None and due.kind is DueKind.REVIEW and due.is_overdue(today):
        flags.append(Drift.REVIEW_OVERDUE)
    last_contact = case.last_contact_on or case.opened_on
    if (today - last_contact).days > CONTACT_DAYS:
        flags.append(Drift.NO_RECENT_CONTACT)
    if add_months(case.opened_on, LONG_CASE_MONTHS) < today:
        flags.append(Drift.OPEN_OVER_6_MONTHS)
    return flags
