"""The dates of one case, decided before anything is written.

Kent Family Support Framework order: opened at triage → assessment started within a week →
completed → family plan (within 28 days of the notification with the year's probability,
EH04) → reviews about every 6 weeks → closure at or after a final review, with a reason
drawn by the year of closure (EH01, EH05). About 6% close administratively, at any point.
Everything after the end of the history is cut off: those cases are open, a few of them
drifting (no contact or review for weeks).

The live workflow's rules hold: nothing before the case opened; the assessment starts
before it completes and before the plan; reviews only after the plan and not after closure.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from earlyhelp.demo.rates import HISTORY_END, PLAN_IN_TIME, POSITIVE, REVIEW_IN_TIME, STEP_UP
from earlyhelp.demo.timing import between
from earlyhelp.domain.codes import ClosureReason
from earlyhelp.domain.duedates import PLAN_DAYS

REVIEW_COUNTS = ((0, 5), (1, 22), (2, 27), (3, 20), (4, 12), (5, 6), (6, 4), (7, 2), (8, 2))
ADMINISTRATIVE = (
    (ClosureReason.MOVED_AWAY, 6),
    (ClosureReason.TRANSFERRED, 3),
    (ClosureReason.CLOSED_IN_ERROR, 1),
)
ADMINISTRATIVE_SHARE = 0.06
DRIFTING_SHARE = 0.15


@dataclass(slots=True)
class Timeline:
    opened: date
    deadline: date
    started: date | None = None
    completed: date | None = None
    plan: date | None = None
    reviews: list[date] = field(default_factory=list)
    closed: date | None = None
    reason: str = ""
    active_until: date = HISTORY_END  # last day of recorded work (closure, end, or drift)

    @property
    def end(self) -> date:
        """The last day the case exists in the history (its closure or the end)."""
        return self.closed or HISTORY_END


def _days(rng: random.Random, low: int, high: int) -> timedelta:
    return timedelta(days=between(rng, low, high))


def _choose(rng: random.Random, pairs: tuple[tuple[object, int], ...]) -> object:
    values, weights = zip(*pairs, strict=True)
    return rng.choices(values, weights)[0]


def plan_timeline(
    rng: random.Random, *, notified: date, opened: date, open_access: bool, authoriser: bool
) -> Timeline:
    t = Timeline(opened=opened, deadline=notified + timedelta(days=PLAN_DAYS))
    t.started = opened + _days(rng, 1, 7)
    if rng.random() < PLAN_IN_TIME.on(t.deadline) and t.started + timedelta(3) <= t.deadline:
        t.plan = t.started + _days(rng, 3, (t.deadline - t.started).days)
    else:
        t.plan = max(t.deadline, t.started) + _days(rng, 1, 40)
    t.completed = min(t.plan, t.started + _days(rng, 3, 14))
    previous = t.plan
    for _ in range(int(_choose(rng, REVIEW_COUNTS))):
        in_time = rng.random() < REVIEW_IN_TIME.on(previous)
        previous += _days(rng, 28, 42) if in_time else _days(rng, 43, 70)
        t.reviews.append(previous)
    natural = previous + _days(rng, 0, 14) if t.reviews else t.plan + _days(rng, 14, 42)
    t.closed = natural
    if rng.random() < ADMINISTRATIVE_SHARE:
        t.reason, t.closed = _administrative_closure(rng, t.opened, natural)
    else:
        t.reason = closure_reason(rng, t.closed, open_access=open_access, authoriser=authoriser)
    _cut(t, t.closed)
    if t.closed > HISTORY_END:
        t.closed, t.reason = None, ""
        _cut(t, HISTORY_END)
        _maybe_drift(rng, t)
    t.active_until = min(t.active_until, t.end)
    return t


def _administrative_closure(rng: random.Random, opened: date, natural: date) -> tuple[str, date]:
    """Moved away or transferred at any point; opened in error within days."""
    reason = str(_choose(rng, ADMINISTRATIVE))
    if reason == ClosureReason.CLOSED_IN_ERROR:
        return reason, opened + _days(rng, 1, 5)
    return reason, opened + _days(rng, 3, max(3, (natural - opened).days))


def closure_reason(rng: random.Random, closed: date, *, open_access: bool, authoriser: bool) -> str:
    """A counted closure's reason, by the year of closure."""
    point = rng.random()
    step_up = STEP_UP.on(closed)
    if point < step_up:
        return ClosureReason.STEP_UP_SCS
    if point < step_up + POSITIVE.on(closed):
        if rng.random() < (0.5 if open_access else 0.15):
            return ClosureReason.OUTCOMES_ACHIEVED_OPEN_ACCESS
        return ClosureReason.OUTCOMES_ACHIEVED
    if authoriser and rng.random() < 0.25:
        return ClosureReason.CONSENT_WITHDRAWN
    if rng.random() < 0.65:
        return ClosureReason.OUTCOMES_PARTLY_ACHIEVED
    return ClosureReason.OUTCOMES_NOT_ACHIEVED


def _cut(t: Timeline, limit: date) -> None:
    """Forget everything after `limit`."""
    if t.started is not None and t.started > limit:
        t.started = None
    if t.started is None or (t.completed is not None and t.completed > limit):
        t.completed = None
    if t.started is None or (t.plan is not None and t.plan > limit):
        t.plan = None
    t.reviews = [r for r in t.reviews if r <= limit] if t.plan is not None else []
    t.active_until = limit


def _maybe_drift(rng: random.Random, t: Timeline) -> None:
    """Some open cases have gone quiet: no contact or review for the last weeks."""
    if rng.random() >= DRIFTING_SHARE:
        return
    quiet_from = HISTORY_END - _days(rng, 30, 100)
    if quiet_from <= (t.plan or t.started or t.opened):
        return
    t.reviews = [r for r in t.reviews if r <= quiet_from]
    t.active_until = quiet_from
