"""`earlyhelp export-pseudonymised DIR`: the analysts' pseudonymised extract, as CSV files
(`dataprotection.pseudonymise`); the export is logged."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from earlyhelp.dataprotection.cli import command_actor
from earlyhelp.dataprotection.pseudonymise import write_extract


class Command(BaseCommand):
    help = "Write the pseudonymised extract for analysts (CSV files) into a folder."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="the folder to write (created if need be)")

    def handle(self, *args: Any, **options: Any) -> None:
        for path in write_extract(
            options["directory"], actor=command_actor("export-pseudonymised")
        ):
            self.stdout.write(str(path))
