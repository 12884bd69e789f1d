"""Refreshing part of the snapshots after a change to the figures, without a full recompute.

A target changes only the target, floor and RAG of one indicator in the months of one
target year; an imported value only that indicator's row for its month and org unit.
Both are refreshed in place here. When the snapshots were current before the change
(`FillState` DONE from the data as it was), they are current after it too, and the fill
state takes the new data signature, so that the next read does not recompute everything.
Signed-off months are frozen: never refreshed here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction

from earlyhelp.domain.indicators.compute import compute_chunks
from earlyhelp.domain.indicators.definitions import IMPORTED_CODES, INDICATORS, resolve_target
from earlyhelp.domain.indicators.periods import month_of, parse_period, period_label
from earlyhelp.domain.indicators.records import Dataset, ImportedRecord, target_overrides
from earlyhelp.domain.indicators.rows import Judge
from earlyhelp.performance.loading import load_org_units
from earlyhelp.performance.models import (
    FillState,
    ImportedIndicatorValue,
    IndicatorValue,
    Target,
)
from earlyhelp.performance.selectors import FILL_STATE, data_signature
from earlyhelp.performance.signoff import signed_off_periods
from earlyhelp.performance.storage import insert_indicator_chunks

IN_CHUNK = 500  # values per `IN (…)`: well inside SQLite's limit on parameters


def target_year_periods(year: int) -> list[str]:
    """The months of a target year: April of the year before to March (2016: 2015-04…2016-03)."""
    first = month_of(year - 1, 4)
    return [period_label(first + offset) for offset in range(12)]


def rag_refresh(*, indicator_code: str, years: Iterable[int]) -> int:
    """Re-judge the stored rows of one indicator in the months of the target years given.

    Target and floor are written on every row (as the computation does), RAG where there is
    a value; signed-off months are left alone. Returns the number of rows refreshed.
    """
    overrides = target_overrides(
        list(Target.objects.filter(indicator_code=indicator_code).values_list(
            "indicator_code", "year", "target", "floor"
        ))
    )  # fmt: skip
    frozen = signed_off_periods()
    polarity = INDICATORS[indicator_code].polarity
    refreshed = 0
    for year in sorted(set(years)):
        judge = Judge(polarity, resolve_target(indicator_code, year, overrides))
        periods = [p for p in target_year_periods(year) if p not in frozen]
        rows = IndicatorValue.objects.filter(indicator_code=indicator_code, period__in=periods)
        refreshed += rows.update(target=judge.target, floor=judge.floor, rag="")
        by_rag: dict[str, list[Decimal]] = defaultdict(list)
        for value in rows.exclude(value=None).values_list("value", flat=True).distinct():
            status = judge(value)
            if status:
                by_rag[status].append(value)
        for status, values in by_rag.items():
            for start in range(0, len(values), IN_CHUNK):
                rows.filter(value__in=values[start : start + IN_CHUNK]).update(rag=status)
    return refreshed


def imported_values_refresh(*, periods: Iterable[str]) -> bool:
    """Rewrite the rows of the imported indicators for the months given, from the data.

    Only months inside the filled span (and not signed off) are written; False when a month
    lies before the span, which a full recompute must then take in (it moves the span).
    """
    state = FillState.objects.filter(name=FILL_STATE, state=FillState.State.DONE).first()
    if state is None or not state.first_period:
        return False
    wanted = sorted(set(periods))
    if any(period < state.first_period for period in wanted):
        return False
    frozen = signed_off_periods()
    months = [
        parse_period(p) for p in wanted if p <= state.last_period and p not in frozen
    ]  # fmt: skip
    if not months:
        return True
    labels = [period_label(m) for m in months]
    IndicatorValue.objects.filter(indicator_code__in=IMPORTED_CODES, period__in=labels).delete()
    insert_indicator_chunks(
        compute_chunks(_imported_dataset(labels), months=months, codes=IMPORTED_CODES)
    )
    return True


def _imported_dataset(periods: list[str]) -> Dataset:
    """What the imported indicators' rows need: the org units, the values and the targets."""
    rows = ImportedIndicatorValue.objects.filter(period__in=periods).values_list(
        "indicator_code", "period", "org_unit_id", "value", "numerator", "denominator"
    )
    return Dataset(
        org_units=load_org_units(),
        imported=[
            ImportedRecord(code, parse_period(period), org_id, value, numerator, denominator)
            for code, period, org_id, value, numerator, denominator in rows
        ],
        targets=target_overrides(
            list(Target.objects.values_list("indicator_code", "year", "target", "floor"))
        ),
    )


@transaction.atomic
def fill_state_keep_current(*, signature_before: str) -> bool:
    """After a refresh in place: the fill is current if it was current before the change."""
    state = FillState.objects.select_for_update().filter(name=FILL_STATE).first()
    if state is None or state.state != FillState.State.DONE:
        return False
    if state.signature != signature_before:
        return False
    state.signature = data_signature()
    state.save(update_fields=["signature"])
    return True
