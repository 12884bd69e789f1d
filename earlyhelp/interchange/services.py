"""Import and export of the interchange format (spec/interchange.md).

`dataset_import` checks every rule of every file first and writes nothing unless the
whole dataset is valid; then it writes everything in one transaction, marked with one
`ImportBatch`. `dataset_export` writes every file of the format from the database.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction

from earlyhelp.audit.services import Actor
from earlyhelp.common import clock
from earlyhelp.common.models import ImportBatch
from earlyhelp.domain.errors import DomainError
from earlyhelp.interchange.exporter import export_files
from earlyhelp.interchange.load import load_dataset
from earlyhelp.interchange.load_context import LoadContext
from earlyhelp.interchange.spec import FILES, FileSpec
from earlyhelp.interchange.timeline import Timeline
from earlyhelp.interchange.upsert import Stamp, Tally
from earlyhelp.interchange.validate import validate_dataset


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


def dataset_export(*, directory: Path) -> ExportResult:
    directory.mkdir(parents=True, exist_ok=True)
    return ExportResult(directory, export_files(directory))
