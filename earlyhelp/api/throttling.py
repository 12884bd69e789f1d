"""Rates per token (per account for a signed-in session): `read` for every endpoint,
`submit` for notifications, `feed` for the police feed. Rates come from settings
(EARLYHELP_API_RATE_READ, _SUBMIT, _FEED), counted in the default cache."""

from __future__ import annotations

from typing import Any

from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from earlyhelp.organisation.models import ApiToken


class _PerToken(SimpleRateThrottle):
    def get_cache_key(self, request: Request, view: Any) -> str | None:
        if isinstance(request.auth, ApiToken):
            ident = f"token-{request.auth.pk}"
        elif request.user and request.user.is_authenticated:
            ident = f"user-{request.user.pk}"
        else:
            ident = f"ip-{self.get_ident(request)}"
        return self.cache_format % {"scope": self.scope, "ident": ident}


class ReadThrottle(_PerToken):
    scope = "read"


class SubmitThrottle(_PerToken):
    scope = "submit"

    def allow_request(self, request: Request, view: Any) -> bool:
        if request.method in {"GET", "HEAD", "OPTIONS"}:
            return True
        return super().allow_request(request, view)


class FeedThrottle(SubmitThrottle):
    scope = "feed"
