"""Reads of the snapshots themselves: the data's signature, what the snapshots hold, a
month's rows for the scorecard, and rows by exact keys for the pages."""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Count, Max, Model, Q, Sum

from earlyhelp.casework.models import Case, Review
from earlyhelp.domain.indicators.compute import DEFAULT_WINDOWS, ResultRow, compute
from earlyhelp.domain.indicators.definitions import (
    SPEC_VERSION,
)
from earlyhelp.domain.indicators.periods import (
    month_index,
    parse_period,
    period_label,
)
from earlyhelp.frontdoor.models import Notification
from earlyhelp.organisation.models import OrgUnit, Worker
from earlyhelp.people.models import Family
from earlyhelp.performance.loading import load_dataset
from earlyhelp.performance.models import (
    ContextFigure,
    FillState,
    ImportedIndicatorValue,
    IndicatorValue,
    Target,
)

FILL_STATE = "indicator_values"

SOURCES: tuple[type[Model], ...] = (
    OrgUnit, Worker, Family, Notification, Case, Review, ContextFigure, ImportedIndicatorValue,
    Target,
)  # fmt: skip


def data_signature() -> str:
    """A fingerprint of everything the indicators read: counts, last change, versions.

    Cheap (one aggregate per table) and changed by any insert, delete or service update.
    """
    parts: list[str] = [f"spec:{SPEC_VERSION}"]
    for model in SOURCES:
        figures = model.objects.aggregate(
            rows=Count("id"), last_id=Max("id"), changed=Max("updated_at"), versions=Sum("version")
        )
        parts.append(f"{model._meta.label}:{sorted(figures.items())}")
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def indicator_values(*, period: str, window: int, level: str | None = None) -> Iterator[ResultRow]:
    """The snapshots of one month for the scorecard: window W plus the window-free rows."""
    rows = IndicatorValue.objects.filter(period=period).filter(
        window_months__in=[window]
    ) | IndicatorValue.objects.filter(period=period, window_months__isnull=True)
    if level is not None:
        rows = rows.filter(level=level)
    fields = (
        "indicator_code", "level", "org_unit_id", "worker_id", "org_code", "period",
        "window_months", "numerator", "denominator", "value", "target", "floor", "rag",
    )  # fmt: skip
    for values in rows.order_by("id").values_list(*fields).iterator(5000):
        *head, rag = values
        yield ResultRow(*head, rag or None)


def stored_periods() -> tuple[str, str] | None:
    """The first and last month the snapshots hold, once a full fill has completed."""
    state = FillState.objects.filter(name=FILL_STATE, state=FillState.State.DONE).first()
    if state is None or not state.first_period:
        return None
    return state.first_period, state.last_period


def scorecard_rows(*, period: str, window: int, level: str | None = None) -> list[ResultRow]:
    """The scorecard of one month: from the snapshots when they hold it, else computed now.

    The snapshots hold the tracker's windows (12 and 1) for every month with data; another
    window, or a month outside them, is computed from the data on the spot and not stored.
    """
    stored = stored_periods()
    if window in DEFAULT_WINDOWS and stored and stored[0] <= period <= stored[1]:
        return list(indicator_values(period=period, window=window, level=level))
    month = parse_period(period)
    rows = compute(load_dataset(), months=[month], windows=[window])
    return [row for row in rows if level is None or row.level == level]


def computed_at(*, period: str) -> object:
    """When the snapshots of a month were computed (None when they were not stored)."""
    return IndicatorValue.objects.filter(period=period).aggregate(at=Max("computed_at"))["at"]


SNAPSHOT_FIELDS = (
    "indicator_code", "level", "org_unit_id", "worker_id", "org_code", "period",
    "window_months", "numerator", "denominator", "value", "target", "floor", "rag",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class Snapshots:
    """The months the snapshots hold (first to last) and when they were computed."""

    first: str
    last: str
    computed_at: datetime
    complete: bool

    def holds(self, period: str) -> bool:
        return self.first <= period <= self.last

    def periods(self) -> list[str]:
        return [
            period_label(m) for m in range(parse_period(self.first), parse_period(self.last) + 1)
        ]


def snapshots() -> Snapshots | None:
    """What the snapshots hold; None before the first recompute."""
    state = FillState.objects.filter(name=FILL_STATE).first()
    if state is None or not state.first_period:
        return None
    return Snapshots(
        state.first_period,
        state.last_period,
        state.last_modified,
        state.state == FillState.State.DONE,
    )


def default_period(held: Snapshots | None, today: date) -> str:
    """The last complete month the snapshots hold (the clock's month is provisional)."""
    last_complete = period_label(month_index(today) - 1)
    if held is None:
        return last_complete
    return max(held.first, min(held.last, last_complete))


def snapshot_rows(
    *, periods: Iterable[str], window: int, levels: Iterable[str], codes: Iterable[str],
    org_codes: Iterable[str],
) -> list[ResultRow]:  # fmt: skip
    """Snapshot rows by exact keys: every column of the unique indexes is given, so each
    (period, level, indicator, org) is an index lookup whatever the size of the county."""
    rows = IndicatorValue.objects.filter(
        Q(window_months=window) | Q(window_months__isnull=True),
        period__in=list(periods),
        level__in=list(levels),
        indicator_code__in=list(codes),
        org_code__in=list(org_codes),
    ).values_list(*SNAPSHOT_FIELDS)
    return [ResultRow(*head, rag or None) for *head, rag in rows]
