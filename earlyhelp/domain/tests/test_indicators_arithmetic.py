"""Rounding, percentages, medians, ratios and RAG (indicators.md: "Values, rounding and RAG")."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from earlyhelp.domain.indicators.arithmetic import (
    Polarity,
    Rag,
    default_floor,
    median,
    percentage,
    rag,
    ratio,
    round_ratio,
)

D = Decimal
H, L = Polarity.HIGHER, Polarity.LOWER


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (1, 16, "6.3"),  # 6.25: half goes up (float round() would give 6.2)
        (5, 16, "31.3"),  # 31.25 (float: 31.2)
        (3, 16, "18.8"),  # 18.75
        (1, 2000, "0.1"),  # 0.05
        (1, 3, "33.3"),
        (2, 3, "66.7"),
        (0, 5, "0.0"),
        (5, 28, "17.9"),
        (7, 7, "100.0"),
    ],
)
def test_percentages_round_half_away_from_zero(
    numerator: int, denominator: int, expected: str
) -> None:
    assert percentage(numerator, denominator) == D(expected)
    assert str(percentage(numerator, denominator)) == expected


def test_negative_halves_round_away_from_zero() -> None:
    assert round_ratio(-1, 16, places=1, scale=100) == D("-6.3")


def test_an_empty_denominator_gives_no_value() -> None:
    assert percentage(0, 0) is None
    assert percentage(3, 0) is None
    assert ratio(3, D(0), places=2) is None


@pytest.mark.parametrize(
    ("cases", "fte", "expected"),
    [
        (62, "2.1", "29.52"),
        (13, "0.8", "16.25"),
        (19, "0.6", "31.67"),
        (1, "1.6", "0.63"),  # 0.625: half up
        (0, "0.5", "0.00"),
        (60, "3", "20.00"),
    ],
)
def test_cases_per_fte_to_two_places(cases: int, fte: str, expected: str) -> None:
    assert str(ratio(cases, D(fte), places=2)) == expected


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        ([5], "5.0"),
        ([1, 2], "1.5"),
        ([10, 20, 30, 41], "25.0"),
        ([10, 21], "15.5"),
        ([1, 1, 2, 100], "1.5"),
        ([3, 4, 100], "4.0"),
    ],
)
def test_median_takes_the_mean_of_the_middle_two_for_an_even_count(
    values: list[int], expected: str
) -> None:
    assert str(median(values)) == expected


def test_no_values_no_median() -> None:
    assert median([]) is None


@given(st.integers(-10_000, 10_000), st.integers(1, 10_000), st.integers(0, 3))
def test_round_ratio_is_exact_rounding_half_away_from_zero(num: int, den: int, places: int) -> None:
    exact = Fraction(100 * num, den)
    scaled = abs(exact) * 10**places
    whole = scaled.numerator // scaled.denominator
    if scaled - whole >= Fraction(1, 2):
        whole += 1
    expected = Decimal(whole if exact >= 0 else -whole).scaleb(-places)
    assert round_ratio(num, den, places=places, scale=100) == expected


@given(st.integers(0, 500), st.integers(1, 500))
def test_a_percentage_is_within_half_a_tenth_of_the_exact_share(num: int, den: int) -> None:
    value = percentage(num, den)
    assert value is not None
    assert abs(Fraction(value) - Fraction(100 * num, den)) <= Fraction(1, 20)


@pytest.mark.parametrize(
    ("target", "polarity", "floor"),
    [("80", H, "72"), ("25", L, "27.5"), ("6", L, "6.6"), ("95", H, "85.5"), ("540", L, "594")],
)
def test_the_default_floor_is_ten_percent_of_the_target_in_the_bad_direction(
    target: str, polarity: Polarity, floor: str
) -> None:
    assert default_floor(D(target), polarity) == D(floor)


def test_no_polarity_has_no_floor() -> None:
    assert default_floor(D("10"), Polarity.NONE) is None


@pytest.mark.parametrize(
    ("value", "target", "floor", "polarity", "expected"),
    [
        # higher is better, default floor 72
        ("80", "80", None, H, Rag.GREEN),  # at the target
        ("85", "80", None, H, Rag.GREEN),
        ("79.9", "80", None, H, Rag.AMBER),  # between
        ("72", "80", None, H, Rag.AMBER),  # at the floor
        ("71.9", "80", None, H, Rag.RED),  # below the floor
        # lower is better, default floor 27.5
        ("25", "25", None, L, Rag.GREEN),
        ("10", "25", None, L, Rag.GREEN),
        ("25.1", "25", None, L, Rag.AMBER),
        ("27.5", "25", None, L, Rag.AMBER),
        ("27.6", "25", None, L, Rag.RED),
        # a floor set explicitly
        ("90", "95", "90", H, Rag.AMBER),
        ("89.9", "95", "90", H, Rag.RED),
        ("1400", "1350", "1400", L, Rag.AMBER),
        ("1400.1", "1350", "1400", L, Rag.RED),
    ],
)
def test_rag_edges(
    value: str, target: str, floor: str | None, polarity: Polarity, expected: Rag
) -> None:
    got = rag(D(value), target=D(target), floor=D(floor) if floor else None, polarity=polarity)
    assert got is expected


def test_no_value_no_target_or_no_polarity_gives_no_rag() -> None:
    assert rag(None, target=D(5), floor=None, polarity=H) is None
    assert rag(D(5), target=None, floor=None, polarity=H) is None
    assert rag(D(5), target=D(5), floor=None, polarity=Polarity.NONE) is None


_RANK = {Rag.RED: 0, Rag.AMBER: 1, Rag.GREEN: 2}
values = st.decimals(min_value=0, max_value=200, places=1)


@given(values, values, st.decimals(min_value=1, max_value=100, places=1), st.sampled_from([H, L]))
def test_rag_never_gets_worse_as_the_value_gets_better(
    a: Decimal, b: Decimal, target: Decimal, polarity: Polarity
) -> None:
    worse, better = (min(a, b), max(a, b)) if polarity is H else (max(a, b), min(a, b))
    rank = {v: _RANK[rag(v, target=target, floor=None, polarity=polarity)] for v in (worse, better)}  # type: ignore[index]
    assert rank[worse] <= rank[better]
