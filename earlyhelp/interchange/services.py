"""Import and export of the interchange format (spec/interchange.md).

`dataset_import` checks every rule of every file first and writes nothing unless the
whole dataset is valid; then it writes everything in one transaction, marked with one
`ImportBatch`. `dataset_export` writes every file of the format from the database.
`figures_import` takes the figures files alone (the upload page); `after_import` is the
hook that refreshes the indicator snapshots after an import; `dataset_export_parquet`
writes the snapshots and every table as Parquet for analysts' tools.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import transaction

from earlyhelp.audit.services import SYSTEM, Actor, Refs, access_record
from earlyhelp.common import clock
from earlyhelp.common.errors import PermissionRefused
from earlyhelp.common.models import ImportBatch
from earlyhelp.domain.errors import DomainError
from earlyhelp.interchange.exporter import SOURCES, export_files, file_rows
from earlyhelp.interchange.load import load_dataset
from earlyhelp.interchange.load_context import LoadContext
from earlyhelp.interchange.spec import FILES, IMPORTED_INDICATOR_VALUES, TARGETS, FileSpec
from earlyhelp.interchange.timeline import Timeline
from earlyhelp.interchange.upsert import Stamp, Tally
from earlyhelp.interchange.validate import validate_dataset, validate_files
from earlyhelp.performance import exports, tasks
from earlyhelp.performance.figures_policies import REFUSED, can_upload_figures
from earlyhelp.performance.selectors import data_signature
from earlyhelp.performance.services import indicator_values_ensure


class InvalidDataset(DomainError):
    """The dataset breaks the format's rules: `errors` lists them all; nothing was written."""

    def __init__(
        self,
        *,
        errors: list[str],
        warnings: list[str] | None = None,
        report: list[str] | None = None,
    ) -> None:
        super().__init__(f"{len(errors)} error(s) in the dataset: nothing was imported.")
        self.errors = errors
        self.warnings = warnings or []
        # Errors and warnings together, in the order of the files and their lines.
        self.report = report or [*errors, *self.warnings]


@dataclass(frozen=True, slots=True)
class FileOutcome:
    name: str
    present: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0

    def summary(self) -> str:
        if not self.present:
            return f"{self.name}: not in the dataset"
        return (
            f"{self.name}: {self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged"
        )


@dataclass(frozen=True, slots=True)
class ImportResult:
    batch_id: int
    files: list[FileOutcome]
    warnings: list[str]
    case_events: int


@dataclass(frozen=True, slots=True)
class ExportResult:
    directory: Path
    rows: dict[str, int]


def dataset_import(*, directory: Path, actor: Actor) -> ImportResult:
    if not directory.is_dir():
        raise InvalidDataset(errors=[f"{directory}: no such folder"])
    with transaction.atomic():
        validation = validate_dataset(directory)
        warnings = validation.issues.warning_texts()
        if not validation.ok:
            raise InvalidDataset(
                errors=validation.issues.error_texts(),
                warnings=warnings,
                report=validation.issues.all_texts(),
            )
        batch = ImportBatch.objects.create(
            started_at=clock.now(),
            source=str(directory.resolve())[:500],
            checksum=dataset_checksum(directory, validation.present),
        )
        stamp = Stamp(batch=batch, actor=actor, now=batch.started_at)
        ctx = LoadContext(stamp=stamp, known=validation.known, timeline=Timeline(stamp))
        tallies = load_dataset(directory, validation.present, ctx)
        files = [_outcome(spec, tallies.get(spec.name)) for spec in FILES]
        batch.finished_at = clock.now()
        batch.counts = {
            **{name: tally.as_dict() for name, tally in tallies.items()},
            "case_events": ctx.timeline.written,
        }
        batch.warnings = warnings
        batch.save(update_fields=["finished_at", "counts", "warnings"])
    return ImportResult(batch.pk, files, warnings, ctx.timeline.written)


def _outcome(spec: FileSpec, tally: Tally | None) -> FileOutcome:
    if tally is None:
        return FileOutcome(spec.name, present=False)
    return FileOutcome(spec.name, True, tally.created, tally.updated, tally.unchanged)


def dataset_checksum(directory: Path, present: list[FileSpec]) -> str:
    """SHA-256 of the dataset's files (names and bytes, in the format's order)."""
    digest = hashlib.sha256()
    for spec in present:
        digest.update(spec.name.encode() + b"\0")
        with (directory / spec.name).open("rb") as handle:
            while block := handle.read(1 << 20):
                digest.update(block)
    return digest.hexdigest()


def dataset_export(*, directory: Path, actor: Actor = SYSTEM) -> ExportResult:
    """Write the whole database as an interchange dataset; the export is in the access log."""
    directory.mkdir(parents=True, exist_ok=True)
    result = ExportResult(directory, export_files(directory))
    access_record(
        actor=actor, action="EXPORT", what=f"interchange export to {directory}", refs=Refs()
    )
    return result


# --- the figures alone (the upload page), the refresh after an import, Parquet ------------

FIGURE_FILES = (IMPORTED_INDICATOR_VALUES, TARGETS)


def figures_import(
    *, directory: Path, actor: Actor, user: Any = None, source: str = ""
) -> ImportResult:
    """Import `imported_indicators.csv` and/or `targets.csv` found in `directory`, alone.

    The same rules as `dataset_import` (org units are those of the database), all or
    nothing; then the snapshots are refreshed for what changed (`after_import`). With a
    `user` (the upload page), only an analyst or an administrator may.
    """
    if user is not None and not can_upload_figures(user):
        raise PermissionRefused(REFUSED)
    with transaction.atomic():
        signature_before = data_signature()
        validation = validate_files(directory, FIGURE_FILES)
        if not validation.present:
            names = " or ".join(spec.name for spec in FIGURE_FILES)
            raise InvalidDataset(errors=[f"{directory}: no {names} to import"])
        if not validation.ok:
            raise InvalidDataset(
                errors=validation.issues.error_texts(), report=validation.issues.all_texts()
            )
        batch = ImportBatch.objects.create(
            started_at=clock.now(),
            source=(source or str(directory.resolve()))[:500],
            checksum=dataset_checksum(directory, validation.present),
        )
        stamp = Stamp(batch=batch, actor=actor, now=batch.started_at)
        ctx = LoadContext(stamp=stamp, known=validation.known, timeline=Timeline(stamp))
        ctx.reload_organisation()
        tallies = load_dataset(directory, validation.present, ctx)
        batch.finished_at = clock.now()
        batch.counts = {name: tally.as_dict() for name, tally in tallies.items()}
        batch.save(update_fields=["finished_at", "counts"])
        after_import(batch_id=batch.pk, signature_before=signature_before)
    files = [_outcome(spec, tallies.get(spec.name)) for spec in FIGURE_FILES]
    return ImportResult(batch.pk, files, [], 0)


def snapshot_signature() -> str:
    """The indicators' data signature now: take it before an import, give it to
    `after_import`, and a change to the figures alone is refreshed in place."""
    return data_signature()


def after_import(*, batch_id: int, signature_before: str | None = None) -> None:
    """The hook at the end of an import: refresh the indicator snapshots once it commits
    (a performance task, in this process by default: see `performance.tasks`)."""
    tasks.enqueue("snapshots_refresh", batch_id=batch_id, signature_before=signature_before)


def dataset_export_parquet(*, directory: Path) -> ExportResult:
    """The snapshot table (brought up to date first) and every table of the format as
    Parquet files with typed columns (`performance.exports`)."""
    directory.mkdir(parents=True, exist_ok=True)
    indicator_values_ensure()
    rows = {exports.INDICATOR_VALUES: exports.indicator_values_parquet(directory)}
    for spec in FILES:
        model, paths, _ = SOURCES[spec.name]
        columns = {name: paths[name] for name in spec.column_names}
        path = directory / f"{spec.stem}.parquet"
        rows[path.name] = exports.write_parquet(
            path, exports.schema_of(model, columns), file_rows(spec)
        )
    return ExportResult(directory, rows)
