"""When things happen: the day a family first comes to the front door, the moment a
notification arrives and the moment it is triaged. Times are UK local time, whole minutes,
never in the small hours (so that no time falls in a clock change)."""

from __future__ import annotations

import bisect
import itertools
import random
from datetime import date, datetime, time, timedelta

from earlyhelp.common.clock import LONDON
from earlyhelp.demo.rates import HISTORY_END, HISTORY_START
from earlyhelp.domain.codes import SAME_DAY_CATEGORIES
from earlyhelp.domain.workingdays import (
    add_working_days,
    is_working_day,
    next_working_day_on_or_after,
)

END_OF_HISTORY = datetime.combine(HISTORY_END, time(23, 59), tzinfo=LONDON)
# Notifications received from this day on are still waiting for triage at the end.
PENDING_FROM = date(2018, 3, 28)


def between(rng: random.Random, low: int, high: int) -> int:
    """A whole number from low to high inclusive (like `randint`, at a third of the cost)."""
    return low + int(rng.random() * (high - low + 1))


def at(day: date, minutes: int) -> datetime:
    """The moment `minutes` after midnight on `day` (UK time); kept between 03:00 and 23:59."""
    minutes = min(max(minutes, 180), 23 * 60 + 59)
    return datetime.combine(day, time(minutes // 60, minutes % 60), tzinfo=LONDON)


def office_hours(rng: random.Random, day: date, start: int = 9, end: int = 17) -> datetime:
    """A moment on `day` between the hours `start` and `end` (UK time)."""
    return at(day, between(rng, start * 60, end * 60 - 1))


def _day_weight(day: date) -> float:
    weight = 1.0 if is_working_day(day) else 0.2
    if day.month == 8:
        weight *= 0.75
    if (day.month, day.day) >= (12, 20) or (day.month, day.day) <= (1, 3):
        weight *= 0.6
    return weight


class DaySampler:
    """Days of the history, weighted like the flow into a front door (term time, weekdays)."""

    def __init__(self, start: date = HISTORY_START, end: date = HISTORY_END) -> None:
        count = (end - start).days + 1
        self.days = [start + timedelta(n) for n in range(count)]
        # Slightly more first referrals early on, while few families are known yet.
        trend = [1.2 - 0.4 * n / count for n in range(count)]
        weights = [_day_weight(d) * t for d, t in zip(self.days, trend, strict=True)]
        self.cumulative = list(itertools.accumulate(weights))

    def sample(self, rng: random.Random) -> date:
        point = rng.random() * self.cumulative[-1]
        return self.days[bisect.bisect_right(self.cumulative, point)]


def received_moment(rng: random.Random, day: date, category: str) -> datetime:
    """Police categories arrive at any hour; the rest mostly in office hours on working days."""
    if category in SAME_DAY_CATEGORIES:
        return at(day, rng.randrange(3 * 60, 24 * 60))
    if not is_working_day(day) and rng.random() < 0.85:
        day = next_working_day_on_or_after(day)
    if not is_working_day(day):
        return at(day, rng.randrange(8 * 60, 22 * 60))
    return at(day, int(rng.triangular(8 * 60, 18 * 60, 11 * 60)))


def triage_moment(rng: random.Random, received: datetime, due: date, in_time: float) -> datetime:
    """When triage decides: by the due date with probability `in_time`, else a little late."""
    on_time = rng.random() < in_time
    if due == received.date():  # missing child, e-YOT: the same day
        if on_time:
            return min(received + timedelta(minutes=rng.randrange(15, 240)), at(due, 23 * 60 + 59))
        return office_hours(rng, due + timedelta(days=1))
    first = next_working_day_on_or_after(received.date())
    if on_time:
        choices = [first]
        while choices[-1] < due:
            choices.append(next_working_day_on_or_after(choices[-1] + timedelta(days=1)))
        day = rng.choices(choices, weights=(5, 3, 2, 1, 1, 1)[: len(choices)])[0]
    else:
        day = add_working_days(due, rng.randint(1, 4))
    moment = office_hours(rng, day)
    if moment <= received:
        moment = received + timedelta(minutes=rng.randrange(20, 120))
    return moment


def is_pending(received: datetime, triaged: datetime, category: str) -> bool:
    """Still waiting at the end of the history: triage after it, or the last few days' flow."""
    if triaged > END_OF_HISTORY:
        return True
    return category not in SAME_DAY_CATEGORIES and received.date() >= PENDING_FROM


def minutes_later(rng: random.Random, moment: datetime, low: int, high: int) -> datetime:
    return moment + timedelta(minutes=between(rng, low, high - 1))
