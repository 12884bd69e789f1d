"""Case dates and front-door moments keep the live workflow's order (no database)."""

from __future__ import annotations

import random
from datetime import date, timedelta

from earlyhelp.demo.history import after_closure
from earlyhelp.demo.rates import ASSESSMENT, HISTORY_END
from earlyhelp.demo.referrals import decide
from earlyhelp.demo.timeline import plan_timeline
from earlyhelp.demo.timing import DaySampler, received_moment, triage_moment
from earlyhelp.domain.codes import (
    ADMINISTRATIVE_CLOSURES,
    Category,
    ClosureReason,
    TriageDecision,
)
from earlyhelp.domain.workingdays import is_working_day, triage_due_date


def test_case_dates_follow_the_workflow() -> None:
    rng = random.Random(1)
    for _ in range(3000):
        notified = date(2014, 4, 1) + timedelta(days=rng.randrange(1461))
        opened = notified + timedelta(days=rng.randrange(0, 8))
        t = plan_timeline(rng, notified=notified, opened=opened, open_access=False,
                          authoriser=False)  # fmt: skip
        end = t.closed or HISTORY_END
        if t.started:
            assert opened <= t.started <= end
        if t.completed:
            assert t.started
            assert t.started <= t.completed <= end
        if t.plan:
            assert t.started
            assert t.started <= t.plan <= end
            assert all(t.plan < r <= end for r in t.reviews)
        else:
            assert t.reviews == []
        if t.closed:
            assert t.closed > opened
            assert t.reason in set(ClosureReason)
            assert t.reason != ClosureReason.CONSENT_WITHDRAWN  # no authoriser in this unit
        else:
            assert t.reason == ""


def test_triage_is_never_before_receipt_and_usually_in_time() -> None:
    rng = random.Random(2)
    late = 0
    for _ in range(3000):
        day = date(2015, 1, 1) + timedelta(days=rng.randrange(365))
        category = rng.choice(list(Category))
        received = received_moment(rng, day, category)
        due = triage_due_date(received.date(), category)
        triaged = triage_moment(rng, received, due, 0.95)
        assert triaged >= received
        late += triaged.date() > due
        if category == Category.STANDARD and not is_working_day(received.date()):
            continue
    assert 0 < late < 300


def test_assessment_share_is_exact_whatever_the_siblings() -> None:
    rng, day = random.Random(3), date(2017, 6, 1)
    for siblings in (1, 2, 3):
        assessed = counted = 0
        for _ in range(20000):
            decision, _ = decide(rng, Category.STANDARD, 12, siblings, day)
            if decision in (TriageDecision.ASSESS_EHU, TriageDecision.ASSESS_OPEN_ACCESS):
                assessed, counted = assessed + 1, counted + 1  # siblings become ALREADY_OPEN
            else:
                counted += siblings
        assert abs(assessed / counted - ASSESSMENT.on(day)) < 0.015


def test_no_referral_after_moving_away() -> None:
    rng = random.Random(4)
    for reason in ADMINISTRATIVE_CLOSURES - {ClosureReason.CLOSED_IN_ERROR}:
        assert after_closure(rng, date(2016, 1, 1), reason) is None


def test_first_referrals_fall_mostly_on_working_days() -> None:
    sampler, rng = DaySampler(), random.Random(5)
    days = [sampler.sample(rng) for _ in range(5000)]
    assert sum(is_working_day(d) for d in days) / len(days) > 0.9
