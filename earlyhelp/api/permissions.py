"""What a caller may do: the scope each endpoint needs, held by the token and allowed for
the account's role (`organisation.tokens.SCOPE_ROLES`). Which records it then sees is the
selectors' business (the account's scope in the organisation): out of scope is a 404."""

from __future__ import annotations

from typing import Any

from rest_framework import exceptions
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from earlyhelp.organisation.models import ApiToken
from earlyhelp.organisation.tokens import scope_refusal


def required_scope(request: Request, view: Any) -> str | None:
    scopes: dict[str, str] = getattr(view, "scopes", {})
    method = "GET" if request.method in {"HEAD", "OPTIONS"} else request.method
    return scopes.get(method or "")


class HasScope(BasePermission):
    """Signed in (token or session), the token holds the endpoint's scope, and the account's
    role may use it. A view without `scopes` is open to any caller signed in."""

    def has_permission(self, request: Request, view: Any) -> bool:
        if not (request.user and request.user.is_authenticated):
            raise exceptions.NotAuthenticated(
                "Send an API key as 'Authorization: Token <key>' (earlyhelp api-token issue)."
            )
        scope = required_scope(request, view)
        if scope is None:
            return True
        token = request.auth if isinstance(request.auth, ApiToken) else None
        if token is not None and scope not in token.scopes:
            raise exceptions.PermissionDenied(
                f"This token does not have the scope {scope}: ask for a token with it."
            )
        refusal = scope_refusal(request.user, scope)
        if refusal:
            raise exceptions.PermissionDenied(refusal)
        return True
