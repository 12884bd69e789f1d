"""Values, rounding and RAG (spec/indicators.md, "Values, rounding and RAG").

Every ratio is rounded exactly: numerator and denominator become integers (a decimal
denominator such as a sum of FTE by its exact integer ratio) and the rounding is integer
division with the remainder compared to half the divisor. That is Decimal's ROUND_HALF_UP
applied to the exact ratio, with no binary floating point and no intermediate rounding.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from enum import StrEnum
from functools import lru_cache

Number = int | Decimal


class Polarity(StrEnum):
    HIGHER = "HIGHER"
    LOWER = "LOWER"
    NONE = "NONE"


class Rag(StrEnum):
    GREEN = "GREEN"
    AMBER = "AMBER"
    RED = "RED"


def _as_ratio(number: Number) -> tuple[int, int]:
    if isinstance(number, int):
        return number, 1
    return number.as_integer_ratio()


def round_ratio(numerator: Number, denominator: Number, *, places: int, scale: int = 1) -> Decimal:
    """`scale × numerator / denominator` rounded half away from zero to `places` decimals."""
    num_n, num_d = _as_ratio(numerator)
    den_n, den_d = _as_ratio(denominator)
    top = scale * num_n * den_d * 10**places
    bottom = num_d * den_n
    if bottom == 0:
        raise ZeroDivisionError("denominator is 0")
    negative = (top < 0) != (bottom < 0)
    quotient, remainder = divmod(abs(top), abs(bottom))
    if 2 * remainder >= abs(bottom):
        quotient += 1
    return Decimal(-quotient if negative else quotient).scaleb(-places)


def percentage(numerator: Number, denominator: Number) -> Decimal | None:
    """100 × numerator / denominator to 1 decimal place; empty when the denominator is 0."""
    if denominator == 0:
        return None
    if type(numerator) is int and type(denominator) is int:
        return _whole_percentage(numerator, denominator)
    return round_ratio(numerator, denominator, places=1, scale=100)


@lru_cache(maxsize=1 << 16)
def _whole_percentage(numerator: int, denominator: int) -> Decimal:
    """The same for counts: a county's scorecard asks for the same few thousand pairs."""
    return round_ratio(numerator, denominator, places=1, scale=100)


def ratio(numerator: Number, denominator: Number, *, places: int) -> Decimal | None:
    """numerator / denominator (EH10: cases per FTE to 2 places); empty when it is 0."""
    if denominator == 0:
        return None
    return round_ratio(numerator, denominator, places=places)


def median(sorted_values: Sequence[int], *, places: int = 1) -> Decimal | None:
    """The median of values already in order; an even count takes the mean of the middle two."""
    count = len(sorted_values)
    if count == 0:
        return None
    middle = count // 2
    if count % 2:
        return round_ratio(sorted_values[middle], 1, places=places)
    return round_ratio(sorted_values[middle - 1] + sorted_values[middle], 2, places=places)


def median_of_counts(
    counts: Sequence[tuple[int, int]], total: int, *, places: int = 1
) -> Decimal | None:
    """`median` of the values given as (value, how many) in value order, `total` in all."""
    if total == 0:
        return None
    lower, upper = (total - 1) // 2, total // 2  # positions of the middle value(s)
    low = high = None
    seen = 0
    for value, n in counts:
        seen += n
        if low is None and seen > lower:
            low = value
        if seen > upper:
            high = value
            break
    if low is None or high is None:
        raise ValueError("the counts add up to less than the total")
    if total % 2:
        return round_ratio(high, 1, places=places)
    return round_ratio(low + high, 2, places=places)


def default_floor(target: Decimal, polarity: Polarity) -> Decimal | None:
    """The target moved 10% of the target in the bad direction (80 → 72; 25 lower → 27.5)."""
    step = target * Decimal("0.1")
    if polarity is Polarity.HIGHER:
        return target - step
    if polarity is Polarity.LOWER:
        return target + step
    return None


def at_least_as_good(value: Decimal, bar: Decimal, polarity: Polarity) -> bool:
    return value >= bar if polarity is Polarity.HIGHER else value <= bar


def rag(
    value: Decimal | None, *, target: Decimal | None, floor: Decimal | None, polarity: Polarity
) -> Rag | None:
    """GREEN at the target or better, AMBER at the floor or better, else RED.

    No value, no target or no polarity: no RAG. An unset floor is the default floor.
    """
    if value is None or target is None or polarity is Polarity.NONE:
        return None
    return _rag(value, target, floor, polarity)


@lru_cache(maxsize=1 << 16)
def _rag(value: Decimal, target: Decimal, floor: Decimal | None, polarity: Polarity) -> Rag:
    if floor is None:
        floor = default_floor(target, polarity)
    if at_least_as_good(value, target, polarity):
        return Rag.GREEN
    if floor is not None and at_least_as_good(value, floor, polarity):
        return Rag.AMBER
    return Rag.RED
