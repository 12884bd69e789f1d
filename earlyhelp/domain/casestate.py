"""The case state machine of the Kent Family Support Framework.

Notification → (triage) → case opened → assessment started → assessment completed →
family plan agreed → reviews → closure (with a reason) → possibly re-opened.

Each `check_*` function takes a `CaseSnapshot` and raises `TransitionRefused` with a
message a practitioner can act on, or returns None when the move is allowed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from earlyhelp.domain.codes import CLOSURES_NEEDING_AUTHORISATION, ClosureReason
from earlyhelp.domain.errors import TransitionRefused

# Words that mean "closed because the family would not engage": never a closure reason.
NON_ENGAGEMENT_WORDS = ("ENGAGE", "DISENGAGE", "NON_ENGAGEMENT", "DID_NOT_ENGAGE", "REFUSED")


class Stage(StrEnum):
    ALLOCATION = "ALLOCATION"
    ASSESSMENT = "ASSESSMENT"
    PLANNING = "PLANNING"
    PLAN_IN_PLACE = "PLAN_IN_PLACE"
    CLOSED = "CLOSED"


STAGE_LABELS = {
    Stage.ALLOCATION: "Awaiting assessment",
    Stage.ASSESSMENT: "Assessment",
    Stage.PLANNING: "Planning",
    Stage.PLAN_IN_PLACE: "Plan in place, reviewing",
    Stage.CLOSED: "Closed",
}


@dataclass(frozen=True, slots=True)
class CaseSnapshot:
    opened_on: date
    assessment_started_on: date | None = None
    assessment_completed_on: date | None = None
    plan_agreed_on: date | None = None
    closed_on: date | None = None
    closure_reason: str | None = None

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


def stage_of(case: CaseSnapshot) -> Stage:
    if not case.is_open:
        return Stage.CLOSED
    if case.plan_agreed_on is not None:
        return Stage.PLAN_IN_PLACE
    if case.assessment_completed_on is not None:
        return Stage.PLANNING
    if case.assessment_started_on is not None:
        return Stage.ASSESSMENT
    return Stage.ALLOCATION


def _require_open(case: CaseSnapshot, doing: str) -> None:
    if not case.is_open:
        raise TransitionRefused(f"The case is closed: re-open it before you {doing}.")


def _require_not_before_opening(case: CaseSnapshot, on: date, field: str, what: str) -> None:
    if on < case.opened_on:
        raise TransitionRefused(
            f"{what} cannot be before the case opened ({case.opened_on:%d %B %Y}).", field=field
        )


def check_start_assessment(case: CaseSnapshot, *, on: date) -> None:
    _require_open(case, "start an assessment")
    if case.assessment_started_on is not None:
        raise TransitionRefused("The assessment has already started.", field="started_on")
    _require_not_before_opening(case, on, "started_on", "The assessment start")


def check_complete_assessment(case: CaseSnapshot, *, on: date) -> None:
    _require_open(case, "complete the assessment")
    if case.assessment_started_on is None:
        raise TransitionRefused(
            "Start the assessment before you complete it.", field="completed_on"
        )
    if case.assessment_completed_on is not None:
        raise TransitionRefused("The assessment is already complete.", field="completed_on")
    if on < case.assessment_started_on:
        raise TransitionRefused(
            "The assessment cannot be completed before it started "
            f"({case.assessment_started_on:%d %B %Y}).",
            field="completed_on",
        )


def check_agree_plan(case: CaseSnapshot, *, on: date) -> None:
    _require_open(case, "agree a plan")
    if case.assessment_started_on is None:
        raise TransitionRefused(
            "A family plan cannot be agreed before the assessment has started.",
            field="agreed_on",
        )
    if case.plan_agreed_on is not None:
        raise TransitionRefused("The family plan has already been agreed.", field="agreed_on")
    if on < case.assessment_started_on:
        raise TransitionRefused(
            "The plan cannot be agreed before the assessment started "
            f"({case.assessment_started_on:%d %B %Y}).",
            field="agreed_on",
        )


def check_record_review(case: CaseSnapshot, *, on: date) -> None:
    _require_open(case, "record a review")
    if case.plan_agreed_on is None:
        raise TransitionRefused(
            "A review cannot be recorded before a family plan has been agreed.",
            field="review_date",
        )
    if on < case.plan_agreed_on:
        raise TransitionRefused(
            f"The review cannot be before the plan was agreed ({case.plan_agreed_on:%d %B %Y}).",
            field="review_date",
        )


def check_close(
    case: CaseSnapshot,
    *,
    on: date,
    reason: str | None,
    summary: str,
    authorised_by_unit_leader: bool,
) -> None:
    _require_open(case, "close it again")
    if not reason:
        raise TransitionRefused("Choose a reason for closing the case.", field="reason")
    refuse_non_engagement(reason)
    try:
        code = ClosureReason(reason)
    except ValueError:
        raise TransitionRefused(f"'{reason}' is not a closure reason.", field="reason") from None
    if code in CLOSURES_NEEDING_AUTHORISATION and not authorised_by_unit_leader:
        raise TransitionRefused(
            "Closing because consent was withdrawn needs a unit leader's authorisation.",
            field="authorised_by",
        )
    if not summary.strip():
        raise TransitionRefused("Write a closing summary.", field="summary")
    _require_not_before_opening(case, on, "closed_on", "The closure date")


def refuse_non_engagement(reason: str) -> None:
    upper = reason.upper()
    if any(word in upper for word in NON_ENGAGEMENT_WORDS):
        raise TransitionRefused(
            "Cases are not closed for non-engagement: keep working with the family, "
            "or ask your unit leader about stepping up.",
            field="reason",
        )


def check_reopen(case: CaseSnapshot, *, on: date, reason: str) -> None:
    if case.is_open:
        raise TransitionRefused("The case is already open.")
    if not reason.strip():
        raise TransitionRefused("Say why the case is being re-opened.", field="reason")
    if case.closed_on is not None and on < case.closed_on:
        raise TransitionRefused(
            f"A case cannot be re-opened before it closed ({case.closed_on:%d %B %Y}).",
            field="reopened_on",
        )
