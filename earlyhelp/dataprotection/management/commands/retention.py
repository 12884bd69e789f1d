"""`earlyhelp retention --dry-run | --apply`: anonymise the families the retention rules
say are due (`dataprotection.retention`)."""

from __future__ import annotations

import csv
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from earlyhelp.dataprotection.cli import command_actor
from earlyhelp.dataprotection.conf import retention_rules
from earlyhelp.dataprotection.retention import retention_apply, retention_due


class Command(BaseCommand):
    help = "List (--dry-run) or anonymise (--apply) the families due under the retention rules."

    def add_arguments(self, parser: CommandParser) -> None:
        mode = parser.add_mutually_exclusive_group(required=True)
        mode.add_argument(
            "--dry-run", action="store_true", help="report what is due, change nothing"
        )
        mode.add_argument("--apply", action="store_true", help="anonymise the families due")
        parser.add_argument("--csv", action="store_true", help="the dry run as CSV on stdout")

    def handle(self, *args: Any, **options: Any) -> None:
        rules = retention_rules()
        if options["dry_run"]:
            self._report(rules.describe(), csv_out=options["csv"])
            return
        if options["csv"]:
            raise CommandError("--csv goes with --dry-run.")
        done = 0
        for due, result in retention_apply(actor=command_actor("retention"), rules=rules):
            if result is not None:
                done += 1
                self.stdout.write(
                    f"{due.family_ref}: anonymised ({sum(result.rows.values())} records, "
                    f"{result.redacted} audit entries redacted)"
                )
        self.stdout.write(f"{done} families anonymised. {rules.describe()}")

    def _report(self, rules: str, *, csv_out: bool) -> None:
        due = retention_due()
        if csv_out:
            writer = csv.writer(self.stdout, lineterminator="\n")
            writer.writerow(["family_ref", "due_on", "reason"])
            writer.writerows([d.family_ref, d.due_on.isoformat(), d.reason] for d in due)
            return
        self.stdout.write(f"Retention rules: {rules}")
        for d in due:
            self.stdout.write(f"{d.family_ref}  due {d.due_on:%Y-%m-%d}  {d.reason}")
        self.stdout.write(f"{len(due)} families due for anonymisation (dry run: nothing changed).")
