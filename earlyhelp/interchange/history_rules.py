"""The live workflow's rules (earlyhelp.domain.casestate) replayed over imported history.

An imported case did not go through the live workflow, so the order of its steps may
break a rule the interchange format does not state. Each step is replayed, in date
order, against the state the case had then; what the live workflow would have refused
is returned as a warning, and the history is kept as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from earlyhelp.domain import casestate
from earlyhelp.domain.casestate import CaseSnapshot
from earlyhelp.domain.errors import TransitionRefused
from earlyhelp.interchange.checks import sentence

IMPORTED_SUMMARY = "(imported)"


def _close(reason: str | None) -> Callable[..., None]:
    def check(case: CaseSnapshot, *, on: date) -> None:
        # An import records no authorisation and no closing summary.
        casestate.check_close(
            case, on=on, reason=reason, summary=IMPORTED_SUMMARY, authorised_by_unit_leader=False
        )

    return check


def case_warnings(
    *,
    opened_on: date,
    assessment_started_on: date | None,
    assessment_completed_on: date | None,
    plan_agreed_on: date | None,
    closed_on: date | None,
    closure_reason: str | None,
) -> list[str]:
    """What the live workflow would have refused in this history of a case."""
    steps: list[tuple[date, int, str, Callable[..., None]]] = []
    for rank, (field, on, check) in enumerate(
        (
            ("assessment_started_on", assessment_started_on, casestate.check_start_assessment),
            (
                "assessment_completed_on",
                assessment_completed_on,
                casestate.check_complete_assessment,
            ),
            ("plan_agreed_on", plan_agreed_on, casestate.check_agree_plan),
            ("closed_on", closed_on, _close(closure_reason)),
        )
    ):
        if on is not None:
            steps.append((on, rank, field, check))
    state = CaseSnapshot(opened_on=opened_on)
    warnings = []
    for on, _, field, check in sorted(steps, key=lambda step: step[:2]):
        try:
            check(state, on=on)
        except TransitionRefused as refused:
            warnings.append(f"{field} {on}: {sentence(refused.message)}")
        state = replace(state, **{field: on})
    return warnings


def review_warning(
    *, opened_on: date, plan_agreed_on: date | None, review_date: date
) -> str | None:
    """A review before the family plan: the live workflow refuses it."""
    try:
        casestate.check_record_review(
            CaseSnapshot(opened_on=opened_on, plan_agreed_on=plan_agreed_on), on=review_date
        )
    except TransitionRefused as refused:
        return f"review_date {review_date}: {sentence(refused.message)}"
    return None
