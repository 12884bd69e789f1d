from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from earlyhelp.domain.casestate import (
    CaseSnapshot,
    Stage,
    check_agree_plan,
    check_close,
    check_complete_assessment,
    check_record_review,
    check_reopen,
    check_start_assessment,
    stage_of,
)
from earlyhelp.domain.codes import ClosureReason
from earlyhelp.domain.errors import TransitionRefused

OPENED = date(2016, 1, 4)


def test_stages_follow_the_pathway() -> None:
    case = CaseSnapshot(opened_on=OPENED)
    assert stage_of(case) is Stage.ALLOCATION
    case = CaseSnapshot(opened_on=OPENED, assessment_started_on=OPENED)
    assert stage_of(case) is Stage.ASSESSMENT
    case = CaseSnapshot(OPENED, OPENED, OPENED)
    assert stage_of(case) is Stage.PLANNING
    case = CaseSnapshot(OPENED, OPENED, OPENED, OPENED)
    assert stage_of(case) is Stage.PLAN_IN_PLACE
    case = CaseSnapshot(OPENED, closed_on=OPENED, closure_reason="MOVED_AWAY")
    assert stage_of(case) is Stage.CLOSED


def test_no_plan_before_the_assessment_starts() -> None:
    with pytest.raises(TransitionRefused, match="before the assessment has started") as err:
        check_agree_plan(CaseSnapshot(opened_on=OPENED), on=OPENED)
    assert err.value.field == "agreed_on"


def test_no_review_before_a_plan() -> None:
    case = CaseSnapshot(opened_on=OPENED, assessment_started_on=OPENED)
    with pytest.raises(TransitionRefused, match="before a family plan"):
        check_record_review(case, on=OPENED)


def test_completion_needs_a_start_and_a_later_date() -> None:
    with pytest.raises(TransitionRefused, match="Start the assessment"):
        check_complete_assessment(CaseSnapshot(opened_on=OPENED), on=OPENED)
    started = CaseSnapshot(opened_on=OPENED, assessment_started_on=OPENED + timedelta(days=3))
    with pytest.raises(TransitionRefused, match="before it started"):
        check_complete_assessment(started, on=OPENED + timedelta(days=1))


def test_assessment_cannot_start_twice_or_before_opening() -> None:
    with pytest.raises(TransitionRefused, match="before the case opened"):
        check_start_assessment(CaseSnapshot(opened_on=OPENED), on=OPENED - timedelta(days=1))
    with pytest.raises(TransitionRefused, match="already started"):
        check_start_assessment(CaseSnapshot(OPENED, OPENED), on=OPENED)


def _close(reason: str | None, *, authorised: bool = False, summary: str = "Done") -> None:
    check_close(
        CaseSnapshot(opened_on=OPENED),
        on=OPENED,
        reason=reason,
        summary=summary,
        authorised_by_unit_leader=authorised,
    )


def test_closure_needs_a_reason() -> None:
    with pytest.raises(TransitionRefused, match="Choose a reason") as err:
        _close(None)
    assert err.value.field == "reason"


@pytest.mark.parametrize("reason", ["NON_ENGAGEMENT", "DID_NOT_ENGAGE", "disengaged"])
def test_non_engagement_is_never_a_closure_reason(reason: str) -> None:
    with pytest.raises(TransitionRefused, match="not closed for non-engagement"):
        _close(reason)


def test_consent_withdrawn_needs_a_unit_leader() -> None:
    with pytest.raises(TransitionRefused, match="unit leader's authorisation"):
        _close(ClosureReason.CONSENT_WITHDRAWN)
    _close(ClosureReason.CONSENT_WITHDRAWN, authorised=True)


def test_unknown_reason_and_empty_summary_are_refused() -> None:
    with pytest.raises(TransitionRefused, match="is not a closure reason"):
        _close("FAMILY_HAPPY")
    with pytest.raises(TransitionRefused, match="closing summary"):
        _close(ClosureReason.OUTCOMES_ACHIEVED, summary="  ")


def test_closed_cases_refuse_work_until_reopened() -> None:
    closed = CaseSnapshot(OPENED, OPENED, OPENED, OPENED, OPENED, "OUTCOMES_ACHIEVED")
    with pytest.raises(TransitionRefused, match="re-open it"):
        check_record_review(closed, on=OPENED)
    with pytest.raises(TransitionRefused, match="Say why"):
        check_reopen(closed, on=OPENED, reason="")
    check_reopen(closed, on=OPENED, reason="Closed in error")
    with pytest.raises(TransitionRefused, match="already open"):
        check_reopen(CaseSnapshot(opened_on=OPENED), on=OPENED, reason="x")


reasons = st.sampled_from([r.value for r in ClosureReason])


@given(reasons, st.booleans())
def test_every_listed_reason_closes_an_open_case_when_authorised(reason: str, auth: bool) -> None:
    needs_auth = reason == ClosureReason.CONSENT_WITHDRAWN
    if needs_auth and not auth:
        with pytest.raises(TransitionRefused):
            _close(reason, authorised=auth)
    else:
        _close(reason, authorised=auth)


@given(st.integers(min_value=0, max_value=400), st.integers(min_value=0, max_value=400))
def test_plan_date_is_never_before_assessment_start(start_offset: int, plan_offset: int) -> None:
    case = CaseSnapshot(opened_on=OPENED, assessment_started_on=OPENED + timedelta(start_offset))
    on = OPENED + timedelta(plan_offset)
    if plan_offset < start_offset:
        with pytest.raises(TransitionRefused):
            check_agree_plan(case, on=on)
    else:
        check_agree_plan(case, on=on)
