"""The monthly scorecard from the command line.

    earlyhelp scorecard --recompute                     # every month, windows 12 and 1
    earlyhelp scorecard --recompute --month 2016-03     # one month
    earlyhelp scorecard --recompute --include-signed-off [--month M]   # signed-off months too
    earlyhelp scorecard --sign-off 2016-03              # freeze a month's figures
    earlyhelp scorecard --month 2016-03 [--window 12] [--level DISTRICT] --format csv|xlsx
                        [--output FILE] [--suppress] [--signed-off-version N]

Reading a month brings the snapshots up to date first (they are computed when missing or
when the data has changed since), so `earlyhelp import DIR && earlyhelp scorecard --month
2016-03` works on a fresh database. A signed-off month is read as signed off (its latest
version, or `--signed-off-version N`); `--suppress` withholds small numbers for partners
(DfE: counts of 1 to 5 as `c`, with secondary suppression; see performance/suppression.py).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from earlyhelp.common import clock
from earlyhelp.domain.errors import DomainError
from earlyhelp.domain.indicators.compute import ResultRow
from earlyhelp.domain.indicators.definitions import ALL_LEVELS
from earlyhelp.domain.indicators.periods import InvalidPeriod, month_index, parse_period
from earlyhelp.performance import selectors, selectors_figures, services
from earlyhelp.performance.scorecard import write_csv
from earlyhelp.performance.scorecard_xlsx import write_xlsx
from earlyhelp.performance.services_signoff import month_name, month_sign_off
from earlyhelp.performance.signoff import latest_versions
from earlyhelp.performance.suppression import suppress


def _period(value: str) -> str:
    try:
        parse_period(value)
    except InvalidPeriod as error:
        raise argparse.ArgumentTypeError(error.message) from None
    return value


def _version(value: str) -> int:
    if not value.isdigit() or int(value) < 1:
        raise argparse.ArgumentTypeError(f"'{value}' is not a version (1, 2, …)")
    return int(value)


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
        parser.add_argument(
            "--suppress", action="store_true",
            help="withhold small numbers for partners: counts of 1 to 5 and what they give away",
        )  # fmt: skip
        parser.add_argument(
            "--signed-off-version", type=_version, dest="sign_off_version",
            help="a signed-off month's figures as signed off in that version (default: latest)",
        )  # fmt: skip
        parser.add_argument(
            "--sign-off", type=_period, metavar="YYYY-MM",
            help="sign off a month: its figures are frozen (a recompute leaves them alone)",
        )  # fmt: skip
        parser.add_argument(
            "--include-signed-off", action="store_true",
            help="with --recompute: recompute signed-off months too, as a new version of each",
        )  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        period = options["month"]
        if period is not None and parse_period(period) > month_index(clock.today()):
            raise CommandError(f"--month {period} is after the current month.")
        if options["sign_off"]:
            self._sign_off(options["sign_off"])
            return
        if options["recompute"]:
            self._recompute(period, include_signed_off=options["include_signed_off"])
            return
        if options["include_signed_off"]:
            raise CommandError("--include-signed-off goes with --recompute.")
        if period is None:
            raise CommandError("Give --month YYYY-MM (or --recompute).")
        services.indicator_values_ensure()
        rows, notes = self._rows(period, options)
        if options["format"] == "xlsx":
            self._xlsx(rows, period, options["window"], options["output"], notes)
        else:
            self._csv(rows, options["output"])

    def _rows(self, period: str, options: dict[str, Any]) -> tuple[list[ResultRow], list]:
        """The month's rows (suppressed over every level, then the level asked) and notes."""
        window, level, version = options["window"], options["level"], options["sign_off_version"]
        suppressing = options["suppress"]
        notes: list[tuple[str, str]] = []
        signed = latest_versions([period]).get(period)
        if version is not None:
            if signed is None or version > signed.version:
                raise CommandError(f"{period} has no signed-off version {version}.")
            rows = selectors_figures.signed_off_rows(period=period, version=version, window=window)
        else:
            rows = selectors.scorecard_rows(
                period=period, window=window, level=None if suppressing else level
            )
        if signed is not None:
            shown = version or signed.version
            notes.append(("Signed off", f"version {shown} of {signed.version}"))
        if suppressing:
            rows = suppress(rows)
            notes.append(("Small numbers", "counts of 1 to 5, and figures derived from them, "
                          "shown as c; secondary suppression across org units (DfE)"))  # fmt: skip
        if level is not None:
            rows = [row for row in rows if row.level == level]
        return rows, notes

    def _sign_off(self, period: str) -> None:
        try:
            sign_off = month_sign_off(user=None, period=period)
        except DomainError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            f"Signed off {month_name(period)}: version {sign_off.version}, "
            f"{sign_off.rows} values frozen."
        )

    def _recompute(self, period: str | None, *, include_signed_off: bool) -> None:
        done = services.indicator_values_recompute(
            months=None if period is None else [period], include_signed_off=include_signed_off
        )
        span = f"{done.first_period} … {done.last_period}" if done.months else "no months"
        self.stdout.write(
            f"Recomputed {done.months} months ({span}): {done.rows} values in {done.seconds:.1f} s."
        )
        if done.skipped_signed_off:
            self.stdout.write(
                f"Left as signed off: {', '.join(done.skipped_signed_off)} "
                "(--include-signed-off recomputes them as a new version)."
            )
        if done.new_versions:
            self.stdout.write(f"New signed-off versions: {', '.join(done.new_versions)}.")

    def _csv(self, rows: list[ResultRow], output: Path | None) -> None:
        if output is None:
            write_csv(rows, self.stdout)  # type: ignore[arg-type]  (it has write())
            return
        with output.open("w", newline="", encoding="utf-8") as handle:
            count = write_csv(rows, handle)
        self.stderr.write(f"{count} rows written to {output}")

    def _xlsx(
        self, rows: list[ResultRow], period: str, window: int, output: Path | None,
        notes: list[tuple[str, str]],
    ) -> None:  # fmt: skip
        path = output or Path(f"scorecard-{period}-w{window}.xlsx")
        count = write_xlsx(
            rows, path, period=period, window=window, data_as_at=clock.today(),
            computed_at=selectors.computed_at(period=period), notes=notes,
        )  # fmt: skip
        self.stderr.write(f"{count} rows written to {path}")
