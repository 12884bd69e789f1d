"""`earlyhelp demo_users`: the demo's sign-in details (the `demo` command creates them)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from earlyhelp.demo.users import sign_in_table


class Command(BaseCommand):
    help = "Print the demo accounts: username, role, scope and password."

    def handle(self, *args: Any, **options: Any) -> None:
        rows = sign_in_table()
        if not rows:
            self.stdout.write("No demo accounts: run `earlyhelp demo` on an empty database first.")
            return
        header = ("username", "role", "scope", "password")
        widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(4)]
        for row in [header, tuple("-" * w for w in widths), *rows]:
            self.stdout.write("  ".join(str(v).ljust(w) for v, w in zip(row, widths, strict=True)))
