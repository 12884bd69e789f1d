"""Four years of a family's life with the service, April 2014 to March 2018.

A family first comes to the front door on a day drawn from the history. Triage decides;
an assessment decision opens a case (`casework.run_case`). What happens next depends on
how that ended: after a counted closure, the family is re-referred within 12 months with
the year's probability (EH06), else perhaps much later; after a step-up, Specialist
Children's Services may step the family down again some months on (EH02); families
signposted elsewhere sometimes come back. Families that moved away are gone.

Each family has its own random generator seeded from (seed, family number), so a family's
history does not depend on how the run is chunked, and the same seed gives the same county.
"""

from __future__ import annotations

import bisect
import itertools
import random
from collections.abc import Iterator
from datetime import date, timedelta

from earlyhelp.demo import panels
from earlyhelp.demo.casework import run_case
from earlyhelp.demo.context import Context
from earlyhelp.demo.organisation import District
from earlyhelp.demo.people import Household
from earlyhelp.demo.rates import HISTORY_END, REREFERRAL, STEP_DOWN, financial_year
from earlyhelp.demo.referrals import refer
from earlyhelp.demo.timing import at
from earlyhelp.domain.codes import ASSESSMENT_DECISIONS, Category, ClosureReason, TriageDecision
from earlyhelp.performance.models import ContextFigure

MAX_REFERRALS = 8
Next = tuple[date, str | None] | None


def family_rng(seed: int, number: int) -> random.Random:
    return random.Random(seed * 1_000_003 + number)  # nosec B311  # seeded synthetic data


class DistrictPicker:
    """Families live in districts in proportion to the district's Early Help Units."""

    def __init__(self, districts: list[District]) -> None:
        self.districts = districts
        self.cumulative = list(itertools.accumulate(d.spec.units for d in districts))

    def pick(self, rng: random.Random) -> District:
        point = rng.random() * self.cumulative[-1]
        return self.districts[bisect.bisect_right(self.cumulative, point)]


def simulate_family(ctx: Context, picker: DistrictPicker, seed: int, number: int) -> None:
    rng = family_rng(seed, number)
    district = picker.pick(rng)
    day = ctx.days.sample(rng)
    household = ctx.families.make(rng, district, at(day, 9 * 60))
    upcoming: Next = (day, None)
    for _ in range(MAX_REFERRALS):
        if upcoming is None:
            return
        if upcoming[0] > HISTORY_END:
            _proposed_at_the_end(ctx, rng, household, *upcoming)
            return
        upcoming = _referral(ctx, rng, household, *upcoming)


def _proposed_at_the_end(
    ctx: Context, rng: random.Random, household: Household, day: date, category: str | None
) -> None:
    """A step-down due soon after the end is on the agenda of the next panel."""
    children = household.children_aged_under_18(HISTORY_END)
    if category == Category.SCS_STEP_DOWN and day <= HISTORY_END + timedelta(21) and children:
        panels.waiting(ctx, rng, household, rng.choice(children))


def _referral(
    ctx: Context, rng: random.Random, household: Household, day: date, category: str | None
) -> Next:
    referrals = refer(ctx, rng, household, day, category)
    if not referrals or referrals[0].triaged is None:
        return None
    first = referrals[0]
    decided = first.triaged.date()
    if first.decision in ASSESSMENT_DECISIONS:
        timeline = run_case(ctx, rng, household, referrals)
        if timeline.closed is None:
            return None
        if timeline.reason == ClosureReason.STEP_UP_SCS:
            return _after_step_up(ctx, rng, household, timeline.closed)
        return after_closure(rng, timeline.closed, timeline.reason)
    if first.decision == TriageDecision.STEP_UP_SCS:
        return _after_step_up(ctx, rng, household, decided)
    if rng.random() < 0.22:
        return decided + timedelta(days=rng.randint(30, 600)), None
    return None


def after_closure(rng: random.Random, closed: date, reason: str) -> Next:
    """After a closure other than a step-up: re-referred within a year at the year's rate."""
    if reason in (ClosureReason.MOVED_AWAY, ClosureReason.TRANSFERRED):
        return None
    if reason != ClosureReason.CLOSED_IN_ERROR and rng.random() < REREFERRAL.on(closed):
        return closed + timedelta(days=1 + int(rng.triangular(0, 364, 45))), None
    if rng.random() < 0.12:
        return closed + timedelta(days=rng.randint(366, 1000)), None
    return None


def _after_step_up(ctx: Context, rng: random.Random, household: Household, on: date) -> Next:
    """SCS may step the family down again some months on; a few proposals are declined."""
    later = on + timedelta(days=rng.randint(60, 300))
    if rng.random() < 0.4:
        return later, Category.SCS_STEP_DOWN
    children = household.children_aged_under_18(later)
    if rng.random() < 0.1 and later <= HISTORY_END and children:
        panels.declined(ctx, rng, household, rng.choice(children), later)
    return None


def chunks(total: int, size: int) -> Iterator[range]:
    for start in range(0, total, size):
        yield range(start, min(total, start + size))


def write_scs_closures(ctx: Context, rng: random.Random) -> None:
    """SCS_CLOSURES per district and month, so that step-downs ÷ closures meets EH02."""
    by_year: dict[tuple[int, int], dict[str, int]] = {}
    for district in ctx.county.districts:
        for month in _months():
            year = financial_year(date.fromisoformat(f"{month}-01"))
            by_year.setdefault((district.index, year), {})[month] = ctx.step_downs[
                district.index, month
            ]
    for (index, year), months in by_year.items():
        total = round(sum(months.values()) / STEP_DOWN.in_year(year))
        district_id = ctx.county.districts[index].id
        for month, value in _spread(rng, total, months).items():
            ctx.writer.add(
                ContextFigure,
                {
                    "measure": "SCS_CLOSURES",
                    "period": month,
                    "org_unit_id": district_id,
                    "value": value,
                },
            )


def _months() -> list[str]:
    return [
        f"{y}-{m:02d}"
        for y in range(2014, 2019)
        for m in range(1, 13)
        if "2014-04" <= f"{y}-{m:02d}" <= "2018-03"
    ]


def _spread(rng: random.Random, total: int, step_downs: dict[str, int]) -> dict[str, int]:
    """Share `total` over the months, following the step-downs, smoothed; whole numbers."""
    mean = sum(step_downs.values()) / len(step_downs)
    weights = {m: v + mean + rng.random() * 0.1 for m, v in step_downs.items()}
    scale = total / sum(weights.values())
    shares = {m: w * scale for m, w in weights.items()}
    values = {m: int(s) for m, s in shares.items()}
    by_remainder = sorted(shares, key=lambda m: shares[m] - values[m], reverse=True)
    for month in by_remainder[: total - sum(values.values())]:
        values[month] += 1
    return values
