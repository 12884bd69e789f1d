"""The front door: notifications about a family's children, and their triage.

One *referral* is a concern about a family on one day: a notification for each child
named (siblings are often notified together). Triage screens the first and decides; a
sibling's notification then gets the same decision, or — when the first opened a case —
`ALREADY_OPEN`, linked to that case.

The share of referrals routed to an assessment is set so that EH03 (assessments ÷
triaged notifications other than ALREADY_OPEN) meets the year's rate whatever the number
of siblings: with k children notified, p = r·k / (1 − r + r·k).
"""

from __future__ import annotations

import random
from datetime import date

from earlyhelp.demo.context import Context
from earlyhelp.demo.notifications import Referral, write_notification
from earlyhelp.demo.people import Household, Member
from earlyhelp.demo.rates import ASSESSMENT, TRIAGE_IN_TIME
from earlyhelp.demo.timing import (
    HISTORY_END,
    is_pending,
    minutes_later,
    received_moment,
    triage_moment,
)
from earlyhelp.domain.codes import ASSESSMENT_DECISIONS, Category, Source, TriageDecision
from earlyhelp.domain.workingdays import triage_due_date

Weights = tuple[tuple[str, int], ...]
CATEGORY_WEIGHTS: Weights = (
    (Category.STANDARD, 80),
    (Category.SCS_STEP_DOWN, 12),
    (Category.MISSING_CHILD, 3),
    (Category.E_YOT, 5),
)
SOURCE_WEIGHTS: Weights = (
    (Source.SCHOOL, 36),
    (Source.HEALTH, 14),
    (Source.EARLY_YEARS, 6),
    (Source.POLICE, 9),
    (Source.SELF_OR_FAMILY, 9),
    (Source.LA_SERVICE, 7),
    (Source.VOLUNTARY, 6),
    (Source.HOUSING, 5),
    (Source.SCS, 3),
    (Source.OTHER, 5),
)
OTHER_ROUTES: Weights = (
    (TriageDecision.OPEN_ACCESS, 35),
    (TriageDecision.NFA, 38),
    (TriageDecision.COMMISSIONED, 12),
    (TriageDecision.STEP_UP_SCS, 15),
)
SIBLINGS = (1, 2, 3)
SIBLING_WEIGHTS = (55, 30, 15)
POLICE_CATEGORIES = (Category.MISSING_CHILD, Category.E_YOT)


def weighted(rng: random.Random, pairs: Weights) -> str:
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


def fit_category(category: str, age: int) -> str:
    """Missing-child notifications are about children of 8 and over; e-YOT 10 and over."""
    if (category == Category.MISSING_CHILD and age < 8) or (
        category == Category.E_YOT and age < 10
    ):
        return Category.STANDARD
    return category


def source_for(rng: random.Random, category: str) -> str:
    if category in POLICE_CATEGORIES:
        return Source.POLICE
    if category == Category.SCS_STEP_DOWN:
        return Source.SCS
    return weighted(rng, SOURCE_WEIGHTS)


def decide(rng: random.Random, category: str, age: int, siblings: int, on: date) -> tuple[str, int]:
    """The triage decision and level of need for a referral of `siblings` children."""
    rate = ASSESSMENT.on(on)
    if rng.random() < rate * siblings / (1 - rate + rate * siblings):
        open_access_age = age < 5 or age >= 11
        if category != Category.SCS_STEP_DOWN and open_access_age and rng.random() < 0.3:
            return TriageDecision.ASSESS_OPEN_ACCESS, 2 if rng.random() < 0.85 else 3
        return TriageDecision.ASSESS_EHU, 3 if rng.random() < 0.75 else 2
    decision = weighted(rng, OTHER_ROUTES)
    if decision == TriageDecision.STEP_UP_SCS:
        return decision, 4
    if decision == TriageDecision.NFA:
        return decision, 1 if rng.random() < 0.8 else 2
    if decision == TriageDecision.OPEN_ACCESS:
        return decision, 1 if rng.random() < 0.5 else 2
    return decision, 2


def _children(
    rng: random.Random, eligible: list[Member], first: Member, category: str
) -> list[Member]:
    count = 1 if category in POLICE_CATEGORIES else rng.choices(SIBLINGS, SIBLING_WEIGHTS)[0]
    others = [c for c in eligible if c is not first]
    return [first, *rng.sample(others, min(len(others), count - 1))]


def refer(
    ctx: Context, rng: random.Random, household: Household, day: date, category: str | None = None
) -> list[Referral] | None:
    """Notify and triage one or more children; None when no child is under 18 or it's too late.

    `category` None draws one (most are STANDARD); a step-down passes SCS_STEP_DOWN.
    """
    eligible = household.children_aged_under_18(day)
    if not eligible:
        return None
    child = rng.choice(eligible)
    age = child.age_on(day)
    category = fit_category(category or weighted(rng, CATEGORY_WEIGHTS), age)
    children = _children(rng, eligible, child, category)
    received = received_moment(rng, day, category)
    if received.date() > HISTORY_END:
        return None
    source = source_for(rng, category)
    due = triage_due_date(received.date(), category)
    triaged = triage_moment(rng, received, due, TRIAGE_IN_TIME.on(due))
    pending = is_pending(received, triaged, category)
    decision, level = decide(rng, category, age, len(children), triaged.date())
    officer = rng.choice(ctx.triage_officers)
    referrals = []
    for n, notified in enumerate(children):
        referral = Referral(notified, received, source, category, due, officer)
        if not pending:
            referral.triaged = minutes_later(rng, triaged, n * 5, n * 5 + 4)
            referral.level = level
            opened_a_case = n > 0 and decision in ASSESSMENT_DECISIONS
            referral.decision = TriageDecision.ALREADY_OPEN if opened_a_case else decision
        write_notification(ctx, rng, household, referral, refers_to_scs=n == 0)
        referrals.append(referral)
    return referrals


def refer_while_open(
    ctx: Context, rng: random.Random, household: Household, day: date, level: int
) -> Referral | None:
    """A new concern about a family whose case is open: triaged in time, ALREADY_OPEN."""
    eligible = household.children_aged_under_18(day)
    if not eligible:
        return None
    child = rng.choice(eligible)
    category = Category.MISSING_CHILD if rng.random() < 0.2 else Category.STANDARD
    category = fit_category(category, child.age_on(day))
    source = source_for(rng, category)
    received = received_moment(rng, day, category)
    due = triage_due_date(received.date(), category)
    triaged = triage_moment(rng, received, due, 1.0)
    referral = Referral(child, received, source, category, due, rng.choice(ctx.triage_officers))
    if not is_pending(received, triaged, category):
        referral.triaged, referral.decision, referral.level = (
            triaged,
            TriageDecision.ALREADY_OPEN,
            level,
        )
    write_notification(ctx, rng, household, referral)
    return referral
