"""The monthly scorecard from the command line.

    earlyhelp scorecard --recompute                     # every month, windows 12 and 1
    earlyhelp scorecard --recompute --month 2016-03     # one month
    earlyhelp scorecard --month 2016-03 [--window 12] [--level DISTRICT] --format csv|xlsx
                        [--output FILE]

Reading a month brings the snapshots up to date first (they are computed when missing or
when the data has changed since), so `earlyhelp import DIR && earlyhelp scorecard --month
2016-03` works on a fresh database.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from earlyhelp.common import clock
from earlyhelp.domain.indicators.compute import ResultRow
from earlyhelp.domain.indicators.definitions import ALL_LEVELS
from earlyhelp.domain.indicators.periods import InvalidPeriod, month_index, parse_period
from earlyhelp.performance import selectors, services
from earlyhelp.performance.scorecard import write_csv
from earlyhelp.performance.scorecard_xlsx import write_xlsx


def _period(value: str) -> str:
    try:
        parse_period(value)
    except InvalidPeriod as error:
        raise argparse.ArgumentTypeError(error.message) from None
    return value


def _window(value: str) -> int:
    if not value.isdigit() or not 1 <= int(value) <= 120:
        raise argparse.ArgumentTypeError(f"'{value}' is not a window of 1 to 120 months")
    return int(value)


class Command(BaseCommand):
    help = "Recompute the indicator snapshots, or write one month's scorecard as CSV or XLSX."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--recompute", action="store_true",
            help="recompute the snapshots (every month, or the --month given)",
        )  # fmt: skip
        parser.add_argument("--month", type=_period, help="the month, YYYY-MM")
        parser.add_argument("--window", type=_window, default=12, help="months (default 12)")
        parser.add_argument("--level", choices=[level.value for level in ALL_LEVELS])
        parser.add_argument("--format", choices=["csv", "xlsx"], default="csv")
        parser.add_argument("--output", type=Path, help="file to write (CSV: default stdout)")

    def handle(self, *args: Any, **options: Any) -> None:
        period = options["month"]
        if period is not None and parse_period(period) > month_index(clock.today()):
            raise CommandError(f"--month {period} is after the current month.")
        if options["recompute"]:
            self._recompute(period)
            return
        if period is None:
            raise CommandError("Give --month YYYY-MM (or --recompute).")
        services.indicator_values_ensure()
        rows = selectors.scorecard_rows(
            period=period, window=options["window"], level=options["level"]
        )
        if options["format"] == "xlsx":
            self._xlsx(rows, period, options["window"], options["output"])
        else:
            self._csv(rows, options["output"])

    def _recompute(self, period: str | None) -> None:
        done = services.indicator_values_recompute(months=None if period is None else [period])
        span = f"{done.first_period} … {done.last_period}" if done.months else "no months"
        self.stdout.write(
            f"Recomputed {done.months} months ({span}): {done.rows} values in {done.seconds:.1f} s."
        )

    def _csv(self, rows: list[ResultRow], output: Path | None) -> None:
        if output is None:
            write_csv(rows, self.stdout)  # type: ignore[arg-type]  (it has write())
            return
        with output.open("w", newline="", encoding="utf-8") as handle:
            count = write_csv(rows, handle)
        self.stderr.write(f"{count} rows written to {output}")

    def _xlsx(self, rows: list[ResultRow], period: str, window: int, output: Path | None) -> None:
        path = output or Path(f"scorecard-{period}-w{window}.xlsx")
        count = write_xlsx(
            rows, path, period=period, window=window, data_as_at=clock.today(),
            computed_at=selectors.computed_at(period=period),
        )  # fmt: skip
        self.stderr.write(f"{count} rows written to {path}")
