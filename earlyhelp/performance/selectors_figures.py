"""Reads for managing the figures: targets with their defaults and history, signed-off months.

Figures hold no personal data; only analysts and administrators manage them
(`figures_policies`), so a user who may not is refused, not scoped.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet

from earlyhelp.audit.models import ChangeRecord
from earlyhelp.common import clock
from earlyhelp.common.errors import NotFound, PermissionRefused
from earlyhelp.domain.indicators.arithmetic import Polarity, default_floor
from earlyhelp.domain.indicators.compute import ResultRow
from earlyhelp.domain.indicators.definitions import INDICATORS, Indicator
from earlyhelp.domain.indicators.periods import (
    month_index,
    parse_period,
    period_label,
    target_year,
)
from earlyhelp.domain.indicators.targets import YEARS, TargetSpec
from earlyhelp.performance.figures_policies import REFUSED, can_manage_figures
from earlyhelp.performance.models import (
    ImportedIndicatorValue,
    IndicatorValue,
    MonthSignOff,
    SignedOffValue,
    Target,
)
from earlyhelp.performance.selectors import stored_periods
from earlyhelp.performance.signoff import signed_off_periods


@dataclass(frozen=True)
class TargetLine:
    """One indicator and target year: the default, the override, and what applies."""

    indicator: Indicator
    year: int
    default: TargetSpec | None
    override: Target | None

    @property
    def applies(self) -> TargetSpec | None:
        if self.override is not None:
            return TargetSpec(self.override.target, self.override.floor)
        return self.default

    @property
    def floor_applied(self) -> Decimal | None:
        """The floor RAG uses: the one set, else the target moved 10% the bad way."""
        spec = self.applies
        if spec is None:
            return None
        if spec.floor is not None:
            return spec.floor
        return default_floor(spec.target, self.indicator.polarity)

    @property
    def judged(self) -> bool:
        return self.indicator.polarity is not Polarity.NONE


def _require(user: Any) -> None:
    if not can_manage_figures(user):
        raise PermissionRefused(REFUSED)


def target_years() -> list[int]:
    """The target years shown: the seed table's, those of overrides, and the current one."""
    stored = set(Target.objects.values_list("year", flat=True).distinct())
    return sorted({*YEARS, *stored, target_year(month_index(clock.today()))})


def target_lines(*, user: Any, year: int) -> list[TargetLine]:
    """Every indicator in one target year (in definition order): one query."""
    _require(user)
    overrides = {t.indicator_code: t for t in Target.objects.filter(year=year)}
    return [
        TargetLine(indicator, year, indicator.default_target(year), overrides.get(code))
        for code, indicator in INDICATORS.items()
    ]


def target_line(*, user: Any, indicator_code: str, year: int) -> TargetLine:
    _require(user)
    indicator = INDICATORS.get(indicator_code)
    if indicator is None:
        raise NotFound("indicator")
    override = Target.objects.filter(indicator_code=indicator_code, year=year).first()
    return TargetLine(indicator, year, indicator.default_target(year), override)


def target_history(*, user: Any, line: TargetLine) -> QuerySet[ChangeRecord]:
    """Every change made to the override of one indicator and year, newest first (its
    change records name the indicator and year before and after: see services_targets)."""
    _require(user)
    code, year = line.indicator.code, line.year
    return (
        ChangeRecord.objects.filter(entity="performance.target")
        .filter(
            Q(changes__indicator_code__1=code, changes__year__1=year)
            | Q(changes__indicator_code__0=code, changes__year__0=year)
        )
        .order_by("-at", "-pk")
    )


@dataclass(frozen=True)
class MonthLine:
    """A month with figures and, when signed off, its versions (latest first)."""

    period: str
    versions: list[MonthSignOff]

    @property
    def latest(self) -> MonthSignOff | None:
        return self.versions[0] if self.versions else None


def sign_off_months(*, user: Any) -> list[MonthLine]:
    """Every month the snapshots hold, newest first, with its sign-offs: two queries."""
    _require(user)
    by_period: dict[str, list[MonthSignOff]] = {}
    for sign_off in MonthSignOff.objects.order_by("-period", "-version"):
        by_period.setdefault(sign_off.period, []).append(sign_off)
    span = stored_periods()
    periods = set(by_period)
    if span is not None:
        first, last = span
        periods.update(period_label(m) for m in range(parse_period(first), parse_period(last) + 1))
    return [MonthLine(p, by_period.get(p, [])) for p in sorted(periods, reverse=True)]


def month_has_figures(*, period: str) -> bool:
    return IndicatorValue.objects.filter(period=period).exists()


def signed_off_rows(*, period: str, version: int, window: int) -> list[ResultRow]:
    """The scorecard rows of one version of a signed-off month, as they were frozen."""
    sign_off = MonthSignOff.objects.filter(period=period, version=version).first()
    if sign_off is None:
        raise NotFound(f"version {version} of the sign-off of {period}")
    rows = SignedOffValue.objects.filter(sign_off=sign_off).filter(
        Q(window_months=window) | Q(window_months__isnull=True)
    )
    fields = (
        "indicator_code", "level", "org_unit_id", "worker_id", "org_code", "period",
        "window_months", "numerator", "denominator", "value", "target", "floor", "rag",
    )  # fmt: skip
    return [
        ResultRow(*head, rag or None)
        for *head, rag in rows.order_by("id").values_list(*fields).iterator(5000)
    ]


def signed_off_periods_of_batch(*, batch_id: int) -> list[str]:
    """The signed-off months an import brought imported values for (left frozen)."""
    periods = ImportedIndicatorValue.objects.filter(import_batch_id=batch_id).values_list(
        "period", flat=True
    )
    return sorted(set(periods) & signed_off_periods())
