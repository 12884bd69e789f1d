"""Writes of the performance app: the monthly indicator snapshots and their fill state.

`indicator_values_recompute` loads the data once, computes every indicator for the months
asked (all, by default: from the first month with data to the clock's month) and replaces
those months' snapshots in one transaction. `indicator_values_ensure` is what readers call:
it does nothing when the snapshots are filled from the data as it is, fills only the new
months when the clock has moved on, and refills everything when the data has changed.

Signed-off months (`signoff.py`) are frozen: a recompute leaves their snapshots as they are
unless `include_signed_off` asks for them, which records a new version of each.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from earlyhelp.audit.services import SYSTEM, Actor
from earlyhelp.common import clock
from earlyhelp.common.sqlite_cache import sqlite_cache
from earlyhelp.domain.indicators.compute import DEFAULT_WINDOWS, compute_chunks, months_through
from earlyhelp.domain.indicators.periods import month_index, parse_period, period_label
from earlyhelp.domain.indicators.population import Counted, count_records
from earlyhelp.domain.indicators.records import Dataset
from earlyhelp.performance.columnar import Apart, apart_target, count_records_columnar
from earlyhelp.performance.loading import load_dataset
from earlyhelp.performance.models import FillState, IndicatorValue
from earlyhelp.performance.selectors import FILL_STATE, data_signature
from earlyhelp.performance.signoff import freeze, signed_off_periods
from earlyhelp.performance.storage import insert_indicator_chunks


@dataclass(frozen=True)
class Recomputed:
    """What a recompute did."""

    first_period: str | None
    last_period: str | None
    months: int
    rows: int
    seconds: float
    skipped_signed_off: tuple[str, ...] = ()  # signed-off months left as they were
    new_versions: tuple[str, ...] = ()  # signed-off months recomputed: a new version each


def indicator_values_recompute(
    *,
    months: Sequence[str] | None = None,
    include_signed_off: bool = False,
    actor: Actor = SYSTEM,
) -> Recomputed:
    """Recompute the snapshots of the months given (`YYYY-MM`), or of every month.

    Every month means from the first month with data to the clock's month; snapshots of
    months outside that range are removed. Windows are the tracker's: 12 and 1.
    Signed-off months are skipped unless `include_signed_off`: then each one recomputed
    gets a new sign-off version (by `actor`), and the earlier versions are kept.
    """
    # Outside a caller's transaction, a connection of its own reads the records (nothing
    # uncommitted to miss); inside one, Django's connection does.
    apart = apart_target()
    with sqlite_cache():
        return _recompute(
            months=months, include_signed_off=include_signed_off, actor=actor, apart=apart
        )


@transaction.atomic
def _recompute(
    *,
    months: Sequence[str] | None,
    include_signed_off: bool,
    actor: Actor,
    apart: Apart | None,
) -> Recomputed:
    started = time.monotonic()
    signature = data_signature()
    state = _mark_started()
    frozen = signed_off_periods()
    with _collector_paused():
        dataset, counted = load_counted(apart)
        every_month = months_through(dataset, clock.today(), counted)
        asked = every_month if months is None else sorted({parse_period(m) for m in months})
        wanted = [m for m in asked if include_signed_off or period_label(m) not in frozen]
        keep = frozenset() if include_signed_off else frozen
        _delete(None if months is None else wanted, keep=keep)
        rows = insert_indicator_chunks(
            compute_chunks(dataset, months=wanted, windows=DEFAULT_WINDOWS, counted=counted)
        )
    skipped = tuple(period_label(m) for m in sorted(set(asked) - set(wanted)))
    versions = tuple(period_label(m) for m in wanted if period_label(m) in frozen)
    for period in versions:
        freeze(period=period, actor=actor, note="Recomputed with --include-signed-off")
    seconds = time.monotonic() - started
    if months is None:
        _mark_done(state, every_month, signature, rows, seconds)
    else:  # a skipped month counts as filled: it holds its signed-off values
        _mark_partly_done(state, asked, signature, rows, seconds)
    return Recomputed(
        period_label(wanted[0]) if wanted else None,
        period_label(wanted[-1]) if wanted else None,
        len(wanted),
        rows,
        seconds,
        skipped,
        versions,
    )


def load_counted(apart: Apart | None = None) -> tuple[Dataset, Counted]:
    """What a recompute reads: org units, workers, figures and targets as records; cases and
    notifications counted by the columnar engine (DuckDB, decisions 0012 and 0015; read over
    a connection of its own when `apart` says where), or by the pure pass over records when
    `EARLYHELP_INDICATOR_ENGINE = "python"` (the reference)."""
    if getattr(settings, "EARLYHELP_INDICATOR_ENGINE", "columnar") == "python":
        dataset = load_dataset()
        return dataset, count_records(dataset)
    return load_dataset(records=False), count_records_columnar(apart)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """No garbage collection while ~400,000 rows are built: it would cost a fifth of the time
    scanning objects that are all still alive; it runs as usual afterwards."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def indicator_values_ensure() -> Recomputed | None:
    """Bring the snapshots up to date with the data and the clock; None when they were."""
    state = FillState.objects.filter(name=FILL_STATE).first()
    if state is None or state.state != FillState.State.DONE:
        return indicator_values_recompute()
    if state.signature != data_signature() or list(state.windows) != list(DEFAULT_WINDOWS):
        return indicator_values_recompute()
    last, now = parse_period(state.last_period), month_index(clock.today())
    if last >= now:
        return None
    return indicator_values_recompute(months=[period_label(m) for m in range(last + 1, now + 1)])


def _delete(months: Iterable[int] | None, *, keep: frozenset[str]) -> None:
    """Remove the snapshots of the months (every month when None), but those of `keep`."""
    if months is None:
        IndicatorValue.objects.exclude(period__in=keep).delete()
        return
    periods = [period_label(m) for m in months if period_label(m) not in keep]
    IndicatorValue.objects.filter(
        Q(window_months__in=DEFAULT_WINDOWS) | Q(window_months__isnull=True), period__in=periods
    ).delete()


def _mark_started() -> FillState:
    state, _ = FillState.objects.select_for_update().get_or_create(
        name=FILL_STATE,
        defaults={"state": FillState.State.STARTED, "last_modified": timezone.now()},
    )
    state.state = FillState.State.STARTED
    state.last_modified = timezone.now()
    state.save(update_fields=["state", "last_modified"])
    return state


def _mark_done(
    state: FillState, months: list[int], signature: str, rows: int, seconds: float
) -> None:
    state.first_period = period_label(months[0]) if months else ""
    state.last_period = period_label(months[-1]) if months else ""
    state.windows = list(DEFAULT_WINDOWS)
    state.signature = signature
    state.state = FillState.State.DONE
    state.rows, state.seconds = rows, seconds
    state.last_modified = timezone.now()
    state.save()


def _mark_partly_done(
    state: FillState, months: list[int], signature: str, rows: int, seconds: float
) -> None:
    """After some months: the fill extends only if it was complete from the same data."""
    if not state.first_period or state.signature != signature or not months:
        state.state = FillState.State.STARTED  # incomplete until a full recompute
    else:
        filled_to = parse_period(state.last_period)
        if months[0] <= filled_to + 1:
            state.last_period = period_label(max(filled_to, months[-1]))
        state.state = FillState.State.DONE
    state.rows, state.seconds = rows, seconds
    state.last_modified = timezone.now()
    state.save()
