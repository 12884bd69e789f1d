"""The fast engine (buckets, prefix sums, runs of months) agrees with the rules read literally.

For random cases and notifications, every month and window, each value computed by
`compute` equals a brute-force count that applies `rules.py` record by record.
"""

from __future__ import annotations

from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from earlyhelp.domain.indicators import rules
from earlyhelp.domain.indicators.compute import compute
from earlyhelp.domain.indicators.periods import as_of, month_index, parse_period, window_bounds
from earlyhelp.domain.indicators.records import CaseRecord, Dataset, NotificationRecord
from earlyhelp.domain.tests.test_indicators_fixtures import EHU1, F1, F2, W1, dataset

START = date(2015, 1, 1)
MONTHS = list(range(month_index(date(2015, 1, 1)), month_index(date(2016, 6, 1)) + 1))
days = st.integers(min_value=0, max_value=520)


@st.composite
def cases(draw: st.DrawFn) -> CaseRecord:
    opened = START + timedelta(days=draw(days))
    start = opened - timedelta(days=draw(st.integers(0, 10)))
    plan = draw(st.none() | st.integers(0, 60).map(lambda n: opened + timedelta(days=n)))
    closed = draw(st.none() | st.integers(0, 400).map(lambda n: opened + timedelta(days=n)))
    if plan and closed and plan > closed:
        plan = None
    end = closed or opened + timedelta(days=500)
    reviews = draw(st.lists(st.integers(0, max((end - opened).days, 0)), max_size=6))
    reason = draw(st.sampled_from(["OUTCOMES_ACHIEVED", "STEP_UP_SCS", "MOVED_AWAY",
                                   "OUTCOMES_NOT_ACHIEVED"])) if closed else ""  # fmt: skip
    return CaseRecord(
        EHU1, W1, draw(st.sampled_from([F1, F2])), opened, start, plan, closed, reason,
        tuple(sorted(opened + timedelta(days=n) for n in reviews)),
    )  # fmt: skip


@st.composite
def notifications(draw: st.DrawFn) -> NotificationRecord:
    received = START + timedelta(days=draw(days))
    triaged = draw(st.none() | st.integers(0, 6).map(lambda n: received + timedelta(days=n)))
    category = draw(st.sampled_from(["STANDARD", "MISSING_CHILD", "SCS_STEP_DOWN"]))
    decision = draw(st.sampled_from(["ASSESS_EHU", "NFA", "ALREADY_OPEN"])) if triaged else ""
    return NotificationRecord(
        draw(st.sampled_from([F1, F2])), received, category, triaged, decision
    )


def _values(data: Dataset, code: str, window: int) -> dict[int, tuple]:
    found = compute(data, months=MONTHS, windows=[window], codes=[code])
    return {
        parse_period(r.period): (r.numerator, r.denominator) for r in found if r.org_code == "KC"
    }


def _brute_cases(all_cases: list[CaseRecord], month: int, window: int, code: str) -> tuple:
    start, end = window_bounds(month, window)
    day = as_of(month)
    if code == "EH08":
        cohort = [c for c in all_cases if rules.in_review_cohort(c, day)]
        return sum(rules.reviewed_recently(c, day) for c in cohort), len(cohort)
    if code == "EH10":
        return sum(rules.open_at(c, day) for c in all_cases), 0
    if code == "EH04":
        due = [c for c in all_cases if start <= rules.plan_deadline(c) <= end]
        cohort = [c for c in due if rules.in_plan_cohort(c)]
        return sum(rules.plan_on_time(c) for c in cohort), len(cohort)
    closed = [c for c in all_cases if c.closed_on and start <= c.closed_on <= end
              and rules.is_counted_closure(c.closure_reason)]  # fmt: skip
    return sum(rules.is_step_up(c.closure_reason) for c in closed), len(closed)


def _brute_notes(notes: list[NotificationRecord], month: int, window: int, code: str) -> tuple:
    start, end = window_bounds(month, window)
    if code == "EH07":
        due = [n for n in notes if start <= n.received_on <= end
               and rules.triage_due(n.received_on, n.category) <= end]  # fmt: skip
        return sum(rules.triaged_on_time(n) for n in due), len(due)
    triaged = [n for n in notes if n.triaged_on and start <= n.triaged_on <= end
               and rules.counts_for_assessment_rate(n)]  # fmt: skip
    return sum(rules.led_to_assessment(n) for n in triaged), len(triaged)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(cases(), max_size=12), st.sampled_from([1, 3, 12]))
def test_case_indicators_agree_with_the_rules(all_cases: list[CaseRecord], window: int) -> None:
    data = dataset(cases=tuple(all_cases))
    for code in ("EH01", "EH04", "EH08", "EH10"):
        got = _values(data, code, window)
        for month in MONTHS:
            num, den = _brute_cases(all_cases, month, window, code)
            if code == "EH10":
                assert got[month][0] == num, (code, month)
            else:
                assert got[month] == (num, den), (code, month)


@settings(max_examples=40, deadline=None)
@given(st.lists(notifications(), max_size=15), st.sampled_from([1, 2, 12]))
def test_notification_indicators_agree_with_the_rules(
    notes: list[NotificationRecord], window: int
) -> None:
    data = dataset(notifications=tuple(notes))
    for code in ("EH03", "EH07"):
        got = _values(data, code, window)
        for month in MONTHS:
            assert got[month] == _brute_notes(notes, month, window, code), (code, month)


@settings(max_examples=40, deadline=None)
@given(st.lists(cases(), max_size=8), st.lists(notifications(), max_size=10))
def test_re_referrals_agree_with_the_rules(
    all_cases: list[CaseRecord], notes: list[NotificationRecord]
) -> None:
    data = dataset(cases=tuple(all_cases), notifications=tuple(notes))
    got = _values(data, "EH06", 12)
    for month in MONTHS:
        start, end = window_bounds(month - 12, 12)
        cohort = [c for c in all_cases if c.closed_on and start <= c.closed_on <= end
                  and rules.in_rereferral_cohort(c.closure_reason)]  # fmt: skip
        hits = sum(
            any(n.family_id == c.family_id and c.closed_on < n.received_on
                <= c.closed_on + timedelta(days=365) for n in notes)
            for c in cohort if c.closed_on
        )  # fmt: skip
        assert got[month] == (hits, len(cohort))
