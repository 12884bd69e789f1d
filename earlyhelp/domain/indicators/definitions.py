"""The indicators of spec/indicators.md, version 1, as data: the one place they are defined.

The computation (`compute.py`), the snapshots, the scorecard and its methodology sheet all
read these definitions; targets here are the defaults that `performance.Target` rows
override for one indicator and year.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from earlyhelp.domain.errors import DomainError
from earlyhelp.domain.indicators.arithmetic import Polarity
from earlyhelp.domain.indicators.targets import (
    DEFAULT_TARGETS,
    SERVICE_STANDARDS,
    TargetSpec,
    TargetTable,
)

SPEC_VERSION = 1


class UnknownIndicator(DomainError):
    """A code that is not an indicator of the current version of the definitions."""


class Basis(StrEnum):
    CASE = "CASE"
    NOTIFICATION = "NOTIFICATION"
    IMPORTED = "IMPORTED"


class Level(StrEnum):
    COUNTY = "COUNTY"
    AREA = "AREA"
    DISTRICT = "DISTRICT"
    UNIT = "UNIT"
    WORKER = "WORKER"


ORG_LEVELS = (Level.COUNTY, Level.AREA, Level.DISTRICT)
ALL_LEVELS = (*ORG_LEVELS, Level.UNIT, Level.WORKER)
LEVELS_BY_BASIS = {
    Basis.CASE: ALL_LEVELS,
    Basis.NOTIFICATION: ORG_LEVELS,
    Basis.IMPORTED: ORG_LEVELS,
}


class Unit(StrEnum):
    PERCENT = "%"
    DAYS = "days"
    PER_FTE = "cases per FTE"
    COUNT = "count"


@dataclass(frozen=True)
class Indicator:
    code: str
    name: str
    basis: Basis
    polarity: Polarity
    unit: Unit
    uses_window: bool
    decimals: int | None  # None: an imported value stands as given
    definition: str
    baseline: Decimal | None = None
    targets: Mapping[int, TargetSpec] = field(default_factory=dict)

    @property
    def levels(self) -> tuple[Level, ...]:
        return LEVELS_BY_BASIS[self.basis]

    @property
    def computed(self) -> bool:
        return self.basis is not Basis.IMPORTED

    def default_target(self, year: int) -> TargetSpec | None:
        return self.targets.get(year)


def _computed(
    code: str,
    name: str,
    basis: Basis,
    polarity: Polarity,
    unit: Unit,
    definition: str,
    *,
    uses_window: bool = True,
    decimals: int = 1,
) -> Indicator:
    seeded, baseline = DEFAULT_TARGETS.get(code, ({}, None))
    return Indicator(
        code=code,
        name=name,
        basis=basis,
        polarity=polarity,
        unit=unit,
        uses_window=uses_window,
        decimals=decimals,
        definition=definition,
        baseline=baseline,
        targets=SERVICE_STANDARDS.get(code, seeded),
    )


def _imported(code: str, name: str, polarity: Polarity, unit: Unit = Unit.PERCENT) -> Indicator:
    seeded, baseline = DEFAULT_TARGETS.get(code, ({}, None))
    return Indicator(
        code=code,
        name=name,
        basis=Basis.IMPORTED,
        polarity=polarity,
        unit=unit,
        uses_window=False,
        decimals=None,
        definition="Measured elsewhere and imported; the value for a month stands as given.",
        baseline=baseline,
        targets=seeded,
    )


H, L, N = Polarity.HIGHER, Polarity.LOWER, Polarity.NONE
CASE, NOTE = Basis.CASE, Basis.NOTIFICATION

COMPUTED: tuple[Indicator, ...] = (
    _computed(
        "EH01", "% of Early Help cases stepped up to Specialist Children's Services",
        CASE, L, Unit.PERCENT,
        "Of the counted closures in the window (closures whose reason is not administrative), "
        "the share closed STEP_UP_SCS.",
    ),
    _computed(
        "EH02", "% of Specialist Children's Services cases stepped down to Early Help",
        NOTE, H, Unit.PERCENT,
        "Notifications received in the window with category SCS_STEP_DOWN, over the sum of the "
        "SCS_CLOSURES context figures of the districts concerned for the months of the window.",
    ),
    _computed(
        "EH03", "% of notifications leading to an assessment", NOTE, L, Unit.PERCENT,
        "Of the notifications triaged in the window whose decision is not ALREADY_OPEN, the share "
        "decided ASSESS_EHU or ASSESS_OPEN_ACCESS.",
    ),
    _computed(
        "EH04", "% of plans in place within 4 weeks of notification", CASE, H, Unit.PERCENT,
        "Start: the received date of the case's notification (or its opening date when it has "
        "none); deadline: start + 28 days. Cohort: cases whose deadline is in the window, less "
        "those closed before the deadline without a plan. Numerator: plan agreed on or before "
        "the deadline.",
    ),
    _computed(
        "EH05", "% of cases closed with a positive outcome", CASE, H, Unit.PERCENT,
        "Of the counted closures in the window, the share closed OUTCOMES_ACHIEVED or "
        "OUTCOMES_ACHIEVED_OPEN_ACCESS.",
    ),
    _computed(
        "EH06", "% of closed cases re-referred to EHPS or SCS within 12 months", CASE, L,
        Unit.PERCENT,
        "Cohort: cases closed in the same window twelve months earlier, less administrative and "
        "STEP_UP_SCS closures. Numerator: cohort cases whose family had a notification received "
        "after the closure date and no more than 365 days after it.",
    ),
    _computed(
        "EH07", "% of notifications triaged within timescale", NOTE, H, Unit.PERCENT,
        "Due date: the received date for MISSING_CHILD and E_YOT, else 2 working days later. "
        "Denominator: notifications received in the window and due by the as-of date. "
        "Numerator: those triaged on or before their due date (pending past due is late).",
    ),
    _computed(
        "EH08", "% of open cases with a review in the last 6 weeks", CASE, H, Unit.PERCENT,
        "Cohort: cases open at the as-of date whose plan was agreed at least 42 days before it. "
        "Numerator: cohort cases with a review dated in the 42 days ending on the as-of date.",
        uses_window=False,
    ),
    _computed(
        "EH09", "Median duration of closed cases (days)", CASE, L, Unit.DAYS,
        "Median of closed_on − opened_on in days over the counted closures in the window (mean "
        "of the middle two for an even count). The denominator carries the count.",
    ),
    _computed(
        "EH10", "Open cases per practitioner FTE at month end", CASE, N, Unit.PER_FTE,
        "Cases open at the as-of date over the FTE of the practitioners and senior "
        "practitioners of the units concerned; for a worker, their own open cases over their "
        "own FTE, whatever their role.",
        uses_window=False,
        decimals=2,
    ),
    _computed(
        "EH11", "Notifications received", NOTE, N, Unit.COUNT,
        "Notifications received in the window.",
        decimals=0,
    ),
    _computed(
        "EH12", "Cases closed (counted closures)", CASE, N, Unit.COUNT,
        "Closures in the window whose reason is not administrative.",
        decimals=0,
    ),
)  # fmt: skip

COUNT = Unit.COUNT
IMPORTED: tuple[Indicator, ...] = (
    _imported("NEET01", "% of 16-18 cohort that are NEET", L),
    _imported("CC01", "% of Children's Centres with Good or Outstanding Ofsted judgements", H),
    _imported("CC02", "% of eligible children taking up an FF2 place (DfE snapshot)", H),
    _imported("CC03", "% of 0-5 living in the 30% most deprived LSOAs registered with a "
              "Children's Centre", H),
    _imported("CC04", "% of 0-5 living in the 30% most deprived LSOAs attending a "
              "Children's Centre", H),
    _imported("CC05", "% of 0-5 with current social services involvement known to a "
              "Children's Centre", H),
    _imported("YS01", "% of 11-18 with current SCS involvement known to the Youth Service", H),
    _imported("YJ01", "Number of first time entrants to the youth justice system", L, COUNT),
    _imported("YJ02", "Rate of re-offending by children and young people", L),
    _imported("YJ03", "% of young offenders of school age in full time education (25 hours)", H),
    _imported("YJ04", "% of young offenders post statutory school age in full time EET "
              "(16 hours)", H),
    _imported("TF01", "Cumulative number of Troubled Families 'turned around' in Phase 2", H,
              COUNT),
    _imported("PA01", "% of pupils persistently absent, primary (10% threshold)", L),
    _imported("PA02", "% of pupils persistently absent, secondary (10% threshold)", L),
    _imported("EX01", "Number of permanent exclusions, primary", L, COUNT),
    _imported("EX02", "Number of permanent exclusions, secondary", L, COUNT),
    _imported("EX03", "Number of fixed term exclusions, primary", L, COUNT),
    _imported("EX04", "Number of fixed term exclusions, secondary", L, COUNT),
)  # fmt: skip

INDICATORS: dict[str, Indicator] = {i.code: i for i in (*COMPUTED, *IMPORTED)}
COMPUTED_CODES = tuple(i.code for i in COMPUTED)
IMPORTED_CODES = tuple(i.code for i in IMPORTED)


def indicator(code: str) -> Indicator:
    """The definition of one indicator; an unknown code is a domain error naming it."""
    try:
        return INDICATORS[code]
    except KeyError:
        raise UnknownIndicator(f"'{code}' is not an indicator of version {SPEC_VERSION}") from None


def resolve_target(code: str, year: int, overrides: TargetTable) -> TargetSpec | None:
    """The target and floor of one indicator and target year: an override, else the default."""
    override = overrides.get((code, year))
    if override is not None:
        return override
    return INDICATORS[code].default_target(year)
