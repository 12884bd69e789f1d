"""`earlyhelp api-token issue | revoke | list`: keys for other systems to use the REST API.

earlyhelp api-token issue --user USERNAME --name NAME --scope notifications:write [...]
earlyhelp api-token revoke PREFIX
earlyhelp api-token list [--user USERNAME]
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django.utils.dateparse import parse_date

from earlyhelp.audit.services import SYSTEM
from earlyhelp.common.errors import InvalidInput, NotFound
from earlyhelp.organisation.models import ApiToken, User
from earlyhelp.organisation.tokens import (
    SCOPES,
    api_token_by_prefix,
    api_token_issue,
    api_token_list,
    api_token_revoke,
)


class Command(BaseCommand):
    help = "Issue, revoke and list the API tokens other systems use (README, 'REST API')."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True)
        issue = actions.add_parser("issue", help="a new token; its key is shown once")
        issue.add_argument("--user", required=True, help="the account the token acts as")
        issue.add_argument("--name", required=True, help="what uses it, e.g. 'Police feed'")
        issue.add_argument(
            "--scope",
            action="append",
            default=[],
            choices=sorted(SCOPES),
            help="what it may do (repeat for several)",
        )
        issue.add_argument("--expires", help="last day it works (YYYY-MM-DD); default never")
        revoke = actions.add_parser("revoke", help="stop a token working, at once")
        revoke.add_argument("prefix", help="the token's prefix, as `list` shows it")
        listing = actions.add_parser("list", help="the tokens (never their keys)")
        listing.add_argument("--user", help="only this account's")

    def handle(self, *args: Any, **options: Any) -> None:
        action = options["action"]
        if action == "issue":
            self._issue(options)
        elif action == "revoke":
            self._revoke(options["prefix"])
        else:
            self._list(options.get("user"))

    def _user(self, username: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user is called {username!r}.")
        return user

    def _issue(self, options: dict[str, Any]) -> None:
        expires = None
        if options["expires"]:
            day = parse_date(options["expires"])
            if day is None:
                raise CommandError("--expires: give a date as YYYY-MM-DD.")
            expires = timezone.make_aware(datetime.combine(day, time.max))
        try:
            issued = api_token_issue(
                actor=SYSTEM,
                user=self._user(options["user"]),
                name=options["name"],
                scopes=options["scope"],
                expires_at=expires,
            )
        except InvalidInput as error:
            lines = [f"{field}: {m}" for field, ms in error.errors.items() for m in ms]
            raise CommandError("\n".join(lines)) from error
        token = issued.token
        self.stdout.write(f"Token {token.prefix}… for {token.user.username}: {token.name}")
        self.stdout.write(f"Scopes: {' '.join(token.scopes)}")
        self.stdout.write(
            "Key (shown once, keep it secret; send it as 'Authorization: Token KEY'):"
        )
        self.stdout.write(issued.key)

    def _revoke(self, prefix: str) -> None:
        try:
            token = api_token_by_prefix(prefix=prefix.rstrip("…."))
        except NotFound as error:
            raise CommandError(f"{error.message} Run `earlyhelp api-token list`.") from error
        api_token_revoke(actor=SYSTEM, token=token)
        self.stdout.write(f"Token {token.prefix}… ({token.name}) revoked.")

    def _list(self, username: str | None) -> None:
        tokens = api_token_list(user=self._user(username) if username else None)
        for token in tokens:
            self.stdout.write(_line(token))
        self.stdout.write(f"{len(tokens)} tokens.")


def _line(token: ApiToken) -> str:
    state = "revoked" if token.revoked_at else "active"
    if token.revoked_at is None and token.expires_at and token.expires_at <= timezone.now():
        state = "expired"
    used = f"{token.last_used_at:%Y-%m-%d %H:%M}" if token.last_used_at else "never"
    return (
        f"{token.prefix}…  {token.user.username}  {token.name}  [{' '.join(token.scopes)}]  "
        f"{state}, last used {used}"
    )
