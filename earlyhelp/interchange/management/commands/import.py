"""`earlyhelp import DIR`: load a dataset in the interchange format (spec/interchange.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from earlyhelp.audit.services import SYSTEM
from earlyhelp.interchange.services import (
    InvalidDataset,
    after_import,
    dataset_import,
    snapshot_signature,
)


class Command(BaseCommand):
    help = (
        "Import a dataset (a folder of CSV files in the interchange format). All or nothing: "
        "every error is listed as file:line: column: message and nothing is written."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="the folder holding the CSV files")

    def handle(self, *args: Any, **options: Any) -> None:
        signature_before = snapshot_signature()
        try:
            result = dataset_import(directory=options["directory"], actor=SYSTEM)
        except InvalidDataset as invalid:
            for line in invalid.report:
                self.stderr.write(line)
            raise CommandError(invalid.message) from invalid
        for line in result.warnings:
            self.stderr.write(line)
        for outcome in result.files:
            self.stdout.write(outcome.summary())
        self.stdout.write(
            f"Import {result.batch_id}: {result.case_events} case events, "
            f"{len(result.warnings)} warnings."
        )
        # The indicator snapshots follow (a task: in this process unless queued elsewhere).
        after_import(batch_id=result.batch_id, signature_before=signature_before)
