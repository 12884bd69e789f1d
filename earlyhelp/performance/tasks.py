"""Background work of the performance app: tasks that take ids and call the services.

`enqueue(name, **kwargs)` runs a task once the current transaction has committed (at
once outside one). Today it runs in this process (`EARLYHELP_TASKS = "inline"`, the
default); the arguments are plain JSON values (ids, strings) so that the same call can
hand the task to a worker queue instead (Celery or RQ on Redis): decision 0010.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from functools import partial
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.db import transaction

from earlyhelp.common.models import ImportBatch
from earlyhelp.performance.models import ImportedIndicatorValue, Target
from earlyhelp.performance.services import Recomputed, indicator_values_ensure
from earlyhelp.performance.services_refresh import (
    fill_state_keep_current,
    imported_values_refresh,
    rag_refresh,
)

log = logging.getLogger("earlyhelp.tasks")
FIGURE_FILES = frozenset({"imported_indicators.csv", "targets.csv"})


def snapshots_refresh(*, batch_id: int | None = None, signature_before: str | None = None) -> str:
    """Bring the snapshots up to date after an import (batch `batch_id`); says what it did.

    An import that changed only imported figures and targets, with the data signature from
    before it, is refreshed in place (those rows and RAG only); any other is a recompute of
    whatever changed (`indicator_values_ensure`: everything, when the casework changed).
    Signed-off months are left as they are either way.
    """
    batch = ImportBatch.objects.filter(pk=batch_id).first() if batch_id is not None else None
    in_place = batch is not None and signature_before is not None and _figures_only(batch)
    if in_place and _refresh_in_place(batch_id, signature_before):  # type: ignore[arg-type]
        log.info("import %s: snapshots refreshed in place", batch_id)
        return "refreshed in place"
    done = indicator_values_ensure()
    what = _described(done)
    log.info("import %s: snapshots %s", batch_id, what)
    return what


def _figures_only(batch: ImportBatch) -> bool:
    changed = {
        name
        for name, tally in batch.counts.items()
        if isinstance(tally, dict) and (tally.get("created") or tally.get("updated"))
    }
    return changed <= FIGURE_FILES


@transaction.atomic
def _refresh_in_place(batch_id: int, signature_before: str) -> bool:
    periods = set(
        ImportedIndicatorValue.objects.filter(import_batch_id=batch_id).values_list(
            "period", flat=True
        )
    )
    if periods and not imported_values_refresh(periods=periods):
        return False
    years: dict[str, set[int]] = {}
    for code, year in Target.objects.filter(import_batch_id=batch_id).values_list(
        "indicator_code", "year"
    ):
        years.setdefault(code, set()).add(year)
    for code, code_years in years.items():
        rag_refresh(indicator_code=code, years=code_years)
    return fill_state_keep_current(signature_before=signature_before)


def _described(done: Recomputed | None) -> str:
    if done is None:
        return "already up to date"
    return f"recomputed: {done.months} months, {done.rows} values in {done.seconds:.1f} s"


TASKS: dict[str, Callable[..., Any]] = {"snapshots_refresh": snapshots_refresh}


def enqueue(name: str, **kwargs: Any) -> None:
    """Run the task `name` with `kwargs` once the current transaction commits."""
    backend = getattr(settings, "EARLYHELP_TASKS", "inline")
    if backend != "inline":
        raise ImproperlyConfigured(
            f"EARLYHELP_TASKS={backend!r}: only 'inline' is built in (see decision 0010)."
        )
    transaction.on_commit(partial(TASKS[name], **kwargs))
