"""A place's figures: every indicator with its trend and direction of travel, the places
below it, one indicator's series and breakdown. Pages read the snapshots only."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from earlyhelp.domain.indicators.arithmetic import Polarity, at_least_as_good
from earlyhelp.domain.indicators.compute import ResultRow
from earlyhelp.domain.indicators.definitions import (
    INDICATORS,
    Indicator,
    Level,
    indicator,
)
from earlyhelp.domain.indicators.periods import (
    parse_period,
    period_label,
)
from earlyhelp.performance.selectors_places import Place, PlaceView
from earlyhelp.performance.selectors_snapshots import Snapshots, snapshot_rows


class Travel(StrEnum):
    """Direction of travel since the previous month, judged by the indicator's polarity."""

    IMPROVING = "Improving"
    WORSENING = "Worsening"
    SAME = "No change"
    UP = "Up"  # no polarity: neither better nor worse
    DOWN = "Down"


def travel(polarity: Polarity, now: Decimal | None, before: Decimal | None) -> Travel | None:
    if now is None or before is None:
        return None
    if now == before:
        return Travel.SAME
    if polarity is Polarity.NONE:
        return Travel.UP if now > before else Travel.DOWN
    return Travel.IMPROVING if at_least_as_good(now, before, polarity) else Travel.WORSENING


@dataclass(frozen=True, slots=True)
class Figure:
    """One indicator at one place and month, with the months before it."""

    indicator: Indicator
    row: ResultRow | None
    previous: ResultRow | None
    trend: tuple[tuple[str, Decimal | None], ...]  # (period, value), oldest first

    @property
    def travel(self) -> Travel | None:
        return travel(
            self.indicator.polarity,
            self.row.value if self.row else None,
            self.previous.value if self.previous else None,
        )


def indicators_at(level: Level) -> list[Indicator]:
    """The indicators that have values at a level, in definition order."""
    return [i for i in INDICATORS.values() if level in i.levels]


def _months_to(period: str, count: int) -> list[str]:
    month = parse_period(period)
    return [period_label(m) for m in range(month - count + 1, month + 1)]


def place_figures(*, place: Place, period: str, window: int, months: int = 12) -> list[Figure]:
    """Every indicator of the place's level for the month, with its last `months` months."""
    indicators = indicators_at(place.level)
    periods = _months_to(period, months)
    rows = snapshot_rows(
        periods=periods, window=window, levels=[place.level], codes=[i.code for i in indicators],
        org_codes=[place.code],
    )  # fmt: skip
    found = {(r.code, r.period): r for r in rows}
    previous = periods[-2] if len(periods) > 1 else period_label(parse_period(period) - 1)
    figures = []
    for each in indicators:
        trend = tuple((p, getattr(found.get((each.code, p)), "value", None)) for p in periods)
        figures.append(
            Figure(each, found.get((each.code, period)), found.get((each.code, previous)), trend)
        )
    return figures


def children_figures(
    *, view: PlaceView, period: str, window: int, codes: Sequence[str]
) -> dict[tuple[str, str], dict[str, ResultRow]]:
    """The month's rows of the places below, by (level, code) and indicator code."""
    if not view.children or not codes:
        return {}
    rows = snapshot_rows(
        periods=[period], window=window, levels={c.level for c in view.children}, codes=codes,
        org_codes=[c.code for c in view.children],
    )  # fmt: skip
    found: dict[tuple[str, str], dict[str, ResultRow]] = defaultdict(dict)
    for row in rows:
        found[(row.level, row.org_code)][row.code] = row
    return dict(found)


def indicator_series(
    *, place: Place, code: str, window: int, held: Snapshots | None
) -> list[ResultRow]:
    """One indicator at one place for every month the snapshots hold, oldest first."""
    if held is None:
        return []
    rows = snapshot_rows(
        periods=held.periods(), window=window, levels=[place.level], codes=[code],
        org_codes=[place.code],
    )  # fmt: skip
    return sorted(rows, key=lambda r: r.period)


def indicator_breakdown(
    *, view: PlaceView, code: str, period: str, window: int
) -> list[tuple[Place, ResultRow | None]]:
    """One indicator for each place below, for the month (None where it has no value)."""
    levels = indicator(code).levels
    below = [c for c in view.children if c.level in levels]
    found = children_figures(
        view=PlaceView(view.place, view.trail, tuple(below)), period=period, window=window,
        codes=[code],
    )  # fmt: skip
    return [(c, found.get((c.level, c.code), {}).get(code)) for c in below]
