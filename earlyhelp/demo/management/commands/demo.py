"""`earlyhelp demo`: load the synthetic Kent county (four years of history) into the database."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from earlyhelp.demo.calibration import calibration_report, describe
from earlyhelp.demo.loader import (
    DEFAULT_FAMILIES,
    DEFAULT_SEED,
    NotEmpty,
    database_is_empty,
    load_demo,
)
from earlyhelp.demo.users import DEMO_PASSWORD, create_partner_submissions


class Command(BaseCommand):
    help = (
        "Generate a synthetic county (Kent: 4 areas, 12 districts, 44 Early Help Units) with "
        "four years of casework, April 2014 to March 2018, into an empty database. "
        f"The default, {DEFAULT_FAMILIES:,} families, gives about 20,000 notifications a year."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--families",
            type=int,
            default=DEFAULT_FAMILIES,
            help=f"number of families (default {DEFAULT_FAMILIES:,}; 300 for a quick look)",
        )
        parser.add_argument(
            "--seed", type=int, default=DEFAULT_SEED, help=f"random seed (default {DEFAULT_SEED})"
        )
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="do nothing when the database already has an organisation or families",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["families"] < 1:
            raise CommandError("--families must be at least 1.")
        if options["if_empty"] and not database_is_empty():
            self.stdout.write("The database already has data: demo county not loaded.")
            return
        try:
            result = load_demo(
                families=options["families"],
                seed=options["seed"],
                progress=options["verbosity"] > 0,
            )
        except NotEmpty as error:
            raise CommandError(f"{error} Use an empty database, or --if-empty.") from error
        sent = create_partner_submissions()
        rows = sum(result.counts.values())
        self.stdout.write(
            f"Loaded {result.families:,} families (seed {result.seed}): {rows:,} rows in "
            f"{result.seconds:.0f} s. The clock is set to 31 March 2018."
        )
        for label, count in sorted(result.counts.items()):
            self.stdout.write(f"  {label:28} {count:>10,}")
        self.stdout.write("Calibration, 2014-15 (county, April 2014 to March 2015):")
        for line in describe(calibration_report(2015)):
            self.stdout.write(line)
        self.stdout.write(
            f"The demo partner sent {len(sent)} notifications through the portal, in different "
            "stages."
        )
        self.stdout.write(f"Sign in with `earlyhelp demo_users` accounts; password {DEMO_PASSWORD}")
