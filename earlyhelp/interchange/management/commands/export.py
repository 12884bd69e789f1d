"""`earlyhelp export DIR`: write the database as a dataset in the interchange format."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from earlyhelp.interchange.services import dataset_export


class Command(BaseCommand):
    help = "Export every file of the interchange format (spec/interchange.md) into a folder."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="the folder to write (created if need be)")

    def handle(self, *args: Any, **options: Any) -> None:
        result = dataset_export(directory=options["directory"])
        for name, count in result.rows.items():
            self.stdout.write(f"{name}: {count} rows")
