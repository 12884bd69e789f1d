"""`earlyhelp export-parquet DIR`: the snapshot table and the interchange tables as Parquet.

For analysts' tools (DuckDB, Power BI, Superset, pandas): `indicator_values.parquet` (every
indicator value, level, org unit or worker, month and window) and one file per file of the
interchange format (`org_units.parquet`, `cases.parquet`, …) with the same columns, typed
(dates as date32, decimals as decimal128: see earlyhelp/performance/exports.py).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from earlyhelp.interchange.services import dataset_export_parquet


class Command(BaseCommand):
    help = "Export the indicator snapshots and every interchange table as Parquet files."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", type=Path, help="the folder to write (created if need be)")

    def handle(self, *args: Any, **options: Any) -> None:
        result = dataset_export_parquet(directory=options["directory"])
        for name, count in result.rows.items():
            self.stdout.write(f"{name}: {count} rows")
