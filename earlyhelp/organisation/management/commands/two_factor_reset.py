"""`earlyhelp two_factor_reset USERNAME`: a user lost their phone and recovery codes."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from earlyhelp.audit.services import SYSTEM
from earlyhelp.organisation.auth import two_factor_reset
from earlyhelp.organisation.models import User


class Command(BaseCommand):
    help = (
        "Remove a user's authenticator app and recovery codes: at their next sign-in they "
        "set up an app again. Check who is asking before you run it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"]).first()
        if user is None:
            raise CommandError(f"No user is called {options['username']!r}.")
        two_factor_reset(actor=SYSTEM, user=user)
        self.stdout.write(
            f"Two-factor sign-in reset for {user.username}: they set up an app at next sign-in."
        )
