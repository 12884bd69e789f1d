"""The methodology: every indicator's definition, polarity, targets and source.

Generated from the definitions themselves (`domain/indicators/definitions.py`) and the
targets in force (the defaults, or an administrator's `Target` rows), so the page and the
downloadable document can never disagree with what the engine computes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal

from earlyhelp.domain.indicators.arithmetic import Polarity, default_floor
from earlyhelp.domain.indicators.definitions import (
    INDICATORS,
    SPEC_VERSION,
    Basis,
    Indicator,
    Level,
    indicator,
)
from earlyhelp.domain.indicators.targets import SERVICE_STANDARDS, YEARS, TargetSpec
from earlyhelp.performance.models import Target
from earlyhelp.performance.scorecard import plain

TITLE = "Early Help indicators: methodology"
SEED_SOURCE = "EHPS Strategy and Three Year Plan 2015-18, Appendix 1"
STANDARD_SOURCE = "Service standard of the Kent Family Support Framework"
OVERRIDE_SOURCE = "Set by an administrator"

# The terms every definition uses (spec/indicators.md, "Terms" and "Values, rounding and RAG").
TERMS: tuple[tuple[str, str], ...] = (
    ("Month and as-of date", "Figures are for a calendar month; the as-of date is its last day."),
    (
        "Window",
        "The calendar months ending with the month: 12 on the scorecard (a rolling year), 1 in "
        "the outcome tracker when asked. An event counts when its UK date falls inside it.",
    ),
    (
        "Target year",
        "The financial year containing the month, named by the year it ends in (2016 is April "
        "2015 to March 2016).",
    ),
    (
        "Percentages",
        "100 × numerator ÷ denominator, rounded half away from zero to 1 decimal place. A "
        "denominator of 0 gives no value and no RAG.",
    ),
    (
        "RAG",
        "Green at the target or better; amber worse than the target but at the floor or better; "
        "red worse than the floor. Where no floor is set, the floor is the target moved 10% of "
        "the target in the bad direction. No target for the year gives no RAG.",
    ),
    (
        "Attribution",
        "A case counts for the unit and worker holding it (at closure for a closed case) and so "
        "for its district, area and county; a notification for the district of the family "
        "notified. A county-wide team counts for itself and the county only.",
    ),
)

POLARITY_WORDS = {
    Polarity.HIGHER: "Higher is better",
    Polarity.LOWER: "Lower is better",
    Polarity.NONE: "Neither (context only)",
}
BASIS_WORDS = {
    Basis.CASE: "Cases",
    Basis.NOTIFICATION: "Notifications",
    Basis.IMPORTED: "Imported",
}
SOURCE_WORDS = {
    Basis.CASE: "Computed from the case records held in this system",
    Basis.NOTIFICATION: "Computed from the notifications received at the front door",
    Basis.IMPORTED: "Measured elsewhere and imported month by month (imported_indicators.csv "
    "or the import screen); the value for a month stands as given",
}
LEVEL_WORDS = {
    Level.COUNTY: "county",
    Level.AREA: "area",
    Level.DISTRICT: "district",
    Level.UNIT: "unit",
    Level.WORKER: "practitioner",
}


def financial_year(year: int) -> str:
    """Target year 2016 → "2015-16" (April 2015 to March 2016)."""
    return f"{year - 1}-{year % 100:02d}"


@dataclass(frozen=True, slots=True)
class YearTarget:
    """The target in force for one target year, with the floor RAG uses."""

    year: int
    target: Decimal
    floor: Decimal | None  # as set; None is the default floor
    rag_floor: Decimal | None  # the floor RAG compares with
    source: str

    @property
    def label(self) -> str:
        return financial_year(self.year)

    @property
    def target_text(self) -> str:
        return plain(self.target)

    @property
    def floor_text(self) -> str:
        return plain(self.rag_floor)


@dataclass(frozen=True, slots=True)
class Method:
    """One indicator as the methodology sets it out."""

    indicator: Indicator
    targets: tuple[YearTarget, ...]

    @property
    def code(self) -> str:
        return self.indicator.code

    @property
    def polarity(self) -> str:
        return POLARITY_WORDS[self.indicator.polarity]

    @property
    def basis(self) -> str:
        return BASIS_WORDS[self.indicator.basis]

    @property
    def source(self) -> str:
        return SOURCE_WORDS[self.indicator.basis]

    @property
    def levels(self) -> str:
        return ", ".join(LEVEL_WORDS[level] for level in self.indicator.levels)

    @property
    def window(self) -> str:
        if self.indicator.uses_window:
            return "Rolling window: the 12 months ending with the month (or the month alone)"
        if self.indicator.computed:
            return "At the month's as-of date; no window"
        return "The month's imported value; no window"

    @property
    def rounding(self) -> str:
        places = self.indicator.decimals
        if places is None:
            return "As imported"
        if places == 0:
            return "Whole number"
        return f"{places} decimal place{'s' if places > 1 else ''}"

    @property
    def unit(self) -> str:
        return self.indicator.unit.value

    @property
    def baseline(self) -> str:
        return plain(self.indicator.baseline)


def _overrides() -> dict[tuple[str, int], TargetSpec]:
    rows = Target.objects.values_list("indicator_code", "year", "target", "floor")
    return {(code, year): TargetSpec(target, floor) for code, year, target, floor in rows}


def _targets(
    item: Indicator, overrides: Mapping[tuple[str, int], TargetSpec]
) -> tuple[YearTarget, ...]:
    years = sorted({*YEARS, *(year for code, year in overrides if code == item.code)})
    found = []
    for year in years:
        override = overrides.get((item.code, year))
        spec = override or item.default_target(year)
        if spec is None:
            continue
        if override is not None:
            source = OVERRIDE_SOURCE
        else:
            source = STANDARD_SOURCE if item.code in SERVICE_STANDARDS else SEED_SOURCE
        rag_floor = spec.floor
        if rag_floor is None:
            rag_floor = default_floor(spec.target, item.polarity)
        found.append(YearTarget(year, spec.target, spec.floor, rag_floor, source))
    return tuple(found)


def methodology() -> list[Method]:
    """Every indicator, in definition order, with the targets in force (one query)."""
    overrides = _overrides()
    return [Method(item, _targets(item, overrides)) for item in INDICATORS.values()]


def indicator_method(code: str) -> Method:
    """One indicator's methodology; an unknown code is a domain error naming it."""
    item = indicator(code)
    return Method(item, _targets(item, _overrides()))


def target_years(methods: list[Method]) -> list[int]:
    """Every target year any indicator has, in order (the columns of the targets table)."""
    return sorted({t.year for m in methods for t in m.targets})


__all__ = [
    "SPEC_VERSION",
    "TERMS",
    "TITLE",
    "Method",
    "YearTarget",
    "financial_year",
    "indicator_method",
    "methodology",
    "target_years",
]
