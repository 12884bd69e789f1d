"""The second pass of an import: write a validated dataset, file by file, in bulk.

Each file is read again (a stream, as in the first pass) and written a chunk at a time;
each file that changed something gets one change record (action IMPORT) for the batch,
not one per row: see docs/decisions/0006-interchange-bulk-writes.md.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path

from earlyhelp.audit.models import Action, ChangeRecord
from earlyhelp.interchange.load_casework import load_cases, load_notifications
from earlyhelp.interchange.load_context import LoadContext
from earlyhelp.interchange.load_figures import (
    load_context_figures,
    load_imported_indicators,
    load_targets,
)
from earlyhelp.interchange.load_org import load_families, load_org_units, load_people, load_workers
from earlyhelp.interchange.load_reviews import load_reviews, write_closures
from earlyhelp.interchange.reader import Row, read_rows
from earlyhelp.interchange.spec import FileSpec
from earlyhelp.interchange.upsert import Stamp, Tally

Loader = Callable[[Iterable[Row], LoadContext], Tally]
LOADERS: dict[str, Loader] = {
    "org_units.csv": load_org_units,
    "workers.csv": load_workers,
    "families.csv": load_families,
    "people.csv": load_people,
    "notifications.csv": load_notifications,
    "cases.csv": load_cases,
    "reviews.csv": load_reviews,
    "context_figures.csv": load_context_figures,
    "imported_indicators.csv": load_imported_indicators,
    "targets.csv": load_targets,
}


def load_dataset(directory: Path, present: list[FileSpec], ctx: LoadContext) -> dict[str, Tally]:
    tallies: dict[str, Tally] = {}
    for spec in present:
        tally = LOADERS[spec.name](read_rows(directory / spec.name, spec), ctx)
        _change_record(spec, tally, ctx.stamp)
        tallies[spec.name] = tally
    write_closures(ctx)
    ctx.timeline.flush()
    return tallies


def _change_record(spec: FileSpec, tally: Tally, stamp: Stamp) -> None:
    """One record per file and batch: what the import created and changed in it."""
    if not (tally.created or tally.updated):
        return
    ChangeRecord.objects.create(
        at=stamp.now,
        actor_id=stamp.actor.id,
        actor_name=stamp.actor.name,
        entity=f"interchange.{spec.stem}",
        entity_id=stamp.batch.pk,
        action=Action.IMPORT,
        changes={"created": tally.created, "updated": tally.updated},
        import_batch_id=stamp.batch.pk,
    )
