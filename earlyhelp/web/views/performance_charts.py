"""Charts drawn on the server as SVG: a sparkline per indicator and a line chart of value
against target. Each has a text alternative; the pages give the figures as tables too.

Only geometry is worked out here (coordinates as strings, rounded to 0.1); the templates
write the `<svg>` elements, so nothing is marked safe in Python.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from earlyhelp.domain.indicators.periods import parse_period, year_and_month

Point = tuple[str, Decimal | None]  # (period, value)
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
FULL_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September",
    "October", "November", "December",
)  # fmt: skip


def month_label(period: str, *, short: bool = False) -> str:
    """`2018-03` → "March 2018" (or "Mar 2018")."""
    year, month = year_and_month(parse_period(period))
    return f"{(MONTHS if short else FULL_MONTHS)[month - 1]} {year}"


def _fmt(number: float) -> str:
    return f"{number:.1f}"


def _path(xs: Sequence[float], ys: Sequence[float | None]) -> str:
    """A polyline that breaks where a value is missing."""
    parts, pen_down = [], False
    for x, y in zip(xs, ys, strict=True):
        if y is None:
            pen_down = False
            continue
        parts.append(f"{'L' if pen_down else 'M'}{_fmt(x)} {_fmt(y)}")
        pen_down = True
    return " ".join(parts)


@dataclass(frozen=True, slots=True)
class Spark:
    """A sparkline: a path, the last point, and what it shows in words."""

    path: str
    last: tuple[str, str] | None
    width: int
    height: int


def sparkline(points: Sequence[Point], *, width: int = 96, height: int = 24) -> Spark | None:
    """None when fewer than two months have a value."""
    values = [float(v) for _, v in points if v is not None]
    if len(values) < 2:
        return None
    low, high = min(values), max(values)
    span = (high - low) or 1.0
    step = (width - 4) / max(len(points) - 1, 1)
    xs = [2 + i * step for i in range(len(points))]
    ys = [
        None if v is None else 2 + (height - 4) * (1 - (float(v) - low) / span) for _, v in points
    ]
    last = next(((xs[i], y) for i, y in reversed(list(enumerate(ys))) if y is not None), None)
    return Spark(_path(xs, ys), (_fmt(last[0]), _fmt(last[1])) if last else None, width, height)


def nice_ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values (1, 2, 2.5 or 5 × a power of ten) covering low…high."""
    if high <= low:
        high = low + 1
    raw = (high - low) / max(count - 1, 1)
    power = 10 ** _floor_log10(raw)
    step = next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw)
    first = (low // step) * step
    ticks, tick = [], first
    while tick < high + step * 0.999:
        ticks.append(round(tick, 6))
        tick += step
    return ticks


def _floor_log10(value: float) -> int:
    exponent = 0
    while value >= 10:
        value /= 10
        exponent += 1
    while value < 1:
        value *= 10
        exponent -= 1
    return exponent


@dataclass(frozen=True, slots=True)
class Chart:
    """A line chart of value (solid) against target (dashed, stepped) month by month."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    value_path: str
    target_path: str
    dots: list[tuple[str, str]]
    y_ticks: list[tuple[str, str]]  # (y, label)
    x_ticks: list[tuple[str, str]]  # (x, label)


WIDTH, HEIGHT, LEFT, RIGHT, TOP, BOTTOM = 640, 280, 56, 16, 12, 36


def line_chart(
    values: Sequence[Point],
    targets: Sequence[Decimal | None],
    *,
    tick_text: Callable[[float], str] = str,
) -> Chart | None:
    """None when no month has a value. `tick_text` writes a y-axis number."""
    known = [float(v) for _, v in values if v is not None]
    if not known:
        return None
    bars = known + [float(t) for t in targets if t is not None]
    ticks = nice_ticks(min(0.0, min(bars)) if min(bars) >= 0 else min(bars), max(bars))
    low, high = ticks[0], ticks[-1]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    step = plot_w / max(len(values), 1)
    xs = [LEFT + step * (i + 0.5) for i in range(len(values))]

    def y_of(number: float) -> float:
        return TOP + plot_h * (1 - (number - low) / ((high - low) or 1))

    ys = [None if v is None else y_of(float(v)) for _, v in values]
    steps: list[float | None] = []
    step_xs: list[float] = []
    for x, target in zip(xs, targets, strict=True):
        level = None if target is None else y_of(float(target))
        step_xs += [x - step / 2, x + step / 2]
        steps += [level, level]
    every = max(1, -(-len(values) // 8))
    return Chart(
        WIDTH, HEIGHT, LEFT, WIDTH - RIGHT, TOP, HEIGHT - BOTTOM,
        _path(xs, ys), _path(step_xs, steps),
        [(_fmt(x), _fmt(y)) for x, y in zip(xs, ys, strict=True) if y is not None],
        [(_fmt(y_of(t)), tick_text(t)) for t in ticks],
        [(_fmt(xs[i]), month_label(values[i][0], short=True))
         for i in range(len(values)) if i % every == 0],
    )  # fmt: skip
