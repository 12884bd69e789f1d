"""The definitions: every indicator of spec/indicators.md, its levels, targets and periods."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from earlyhelp.domain.indicators.arithmetic import Polarity
from earlyhelp.domain.indicators.definitions import (
    COMPUTED_CODES,
    IMPORTED_CODES,
    INDICATORS,
    Basis,
    Level,
    UnknownIndicator,
    indicator,
    resolve_target,
)
from earlyhelp.domain.indicators.periods import (
    InvalidPeriod,
    as_of,
    month_index,
    parse_period,
    period_label,
    target_year,
    window_bounds,
)
from earlyhelp.domain.indicators.targets import TargetSpec

D = Decimal


def test_every_indicator_of_the_spec_is_defined() -> None:
    assert tuple(f"EH{n:02d}" for n in range(1, 13)) == COMPUTED_CODES
    assert set(IMPORTED_CODES) == {
        "NEET01", "CC01", "CC02", "CC03", "CC04", "CC05", "YS01", "YJ01", "YJ02", "YJ03",
        "YJ04", "TF01", "PA01", "PA02", "EX01", "EX02", "EX03", "EX04",
    }  # fmt: skip


@pytest.mark.parametrize(
    ("code", "basis", "polarity", "uses_window", "decimals"),
    [
        ("EH01", Basis.CASE, Polarity.LOWER, True, 1),
        ("EH02", Basis.NOTIFICATION, Polarity.HIGHER, True, 1),
        ("EH03", Basis.NOTIFICATION, Polarity.LOWER, True, 1),
        ("EH07", Basis.NOTIFICATION, Polarity.HIGHER, True, 1),
        ("EH08", Basis.CASE, Polarity.HIGHER, False, 1),
        ("EH09", Basis.CASE, Polarity.LOWER, True, 1),
        ("EH10", Basis.CASE, Polarity.NONE, False, 2),
        ("EH11", Basis.NOTIFICATION, Polarity.NONE, True, 0),
        ("EH12", Basis.CASE, Polarity.NONE, True, 0),
        ("YJ01", Basis.IMPORTED, Polarity.LOWER, False, None),
    ],
)
def test_definitions_follow_the_spec(
    code: str, basis: Basis, polarity: Polarity, uses_window: bool, decimals: int | None
) -> None:
    found = indicator(code)
    assert (found.basis, found.polarity, found.uses_window, found.decimals) == (
        basis, polarity, uses_window, decimals,
    )  # fmt: skip


def test_levels_by_basis() -> None:
    assert indicator("EH01").levels == tuple(Level)
    for code in ("EH02", "EH03", "EH07", "EH11", "NEET01"):
        assert indicator(code).levels == (Level.COUNTY, Level.AREA, Level.DISTRICT)


def test_default_targets_and_baselines_of_the_seed_table() -> None:
    assert indicator("EH01").default_target(2016) == TargetSpec(D("6"))
    assert indicator("EH01").baseline == D("9.4")
    assert indicator("EH03").default_target(2015) is None  # "—"
    assert indicator("EH06").baseline is None
    assert indicator("NEET01").default_target(2017) == TargetSpec(D("1.0"))
    assert indicator("TF01").default_target(2018) == TargetSpec(D("7034"))
    for code in ("EH09", "EH10", "EH11", "EH12"):
        assert all(indicator(code).default_target(y) is None for y in range(2014, 2020))


@pytest.mark.parametrize("year", [2014, 2016, 2019, 2030])
def test_service_standards_apply_in_every_year(year: int) -> None:
    assert indicator("EH07").default_target(year) == TargetSpec(D("95"), D("90"))
    assert indicator("EH08").default_target(year) == TargetSpec(D("90"), D("80"))


def test_an_override_replaces_target_and_floor_for_its_year_only() -> None:
    overrides = {("EH07", 2016): TargetSpec(D("97")), ("EH05", 2016): TargetSpec(D("78"), D("70"))}
    assert resolve_target("EH07", 2016, overrides) == TargetSpec(D("97"))  # default floor now
    assert resolve_target("EH07", 2017, overrides) == TargetSpec(D("95"), D("90"))
    assert resolve_target("EH05", 2016, overrides) == TargetSpec(D("78"), D("70"))
    assert resolve_target("EH05", 2017, overrides) == TargetSpec(D("83"))


def test_an_unknown_code_is_named() -> None:
    with pytest.raises(UnknownIndicator, match="'EH99'"):
        indicator("EH99")
    assert len(INDICATORS) == 30


def test_months_windows_and_target_years() -> None:
    march = parse_period("2016-03")
    assert as_of(march) == date(2016, 3, 31)
    assert as_of(parse_period("2016-02")) == date(2016, 2, 29)
    assert window_bounds(march, 12) == (date(2015, 4, 1), date(2016, 3, 31))
    assert window_bounds(march, 1) == (date(2016, 3, 1), date(2016, 3, 31))
    assert window_bounds(parse_period("2016-01"), 3) == (date(2015, 11, 1), date(2016, 1, 31))
    assert target_year(march) == 2016
    assert target_year(parse_period("2016-04")) == 2017
    assert target_year(parse_period("2015-04")) == 2016


@pytest.mark.parametrize("text", ["2016-13", "2016-3", "16-03", "2016/03", ""])
def test_a_bad_period_is_refused(text: str) -> None:
    with pytest.raises(InvalidPeriod):
        parse_period(text)


@given(st.dates(min_value=date(2000, 1, 1), max_value=date(2099, 12, 31)))
def test_a_period_label_reads_back(day: date) -> None:
    month = month_index(day)
    assert parse_period(period_label(month)) == month
    assert as_of(month) >= day
