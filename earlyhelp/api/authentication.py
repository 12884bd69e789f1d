"""Who is calling: an API token (`Authorization: Token <key>`), or a signed-in session for
the browsable API. The token's scopes are kept on `request.auth`."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import SessionAuthentication, get_authorization_header
from rest_framework.request import Request

from earlyhelp.organisation.models import ApiToken, User
from earlyhelp.organisation.tokens import api_token_authenticate

KEYWORD = "Token"


class ApiTokenAuthentication:
    """`Authorization: Token <key>`; a missing header leaves the request anonymous."""

    def authenticate(self, request: Request) -> tuple[User, ApiToken] | None:
        header = get_authorization_header(request).split()
        if not header:
            return None
        if header[0].lower() != KEYWORD.lower().encode():
            raise exceptions.AuthenticationFailed(
                _("Send the key as 'Authorization: Token <key>'.")
            )
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(
                _("Send one key after 'Token', with no spaces in it.")
            )
        try:
            key = header[1].decode("ascii")
        except UnicodeDecodeError as error:
            raise exceptions.AuthenticationFailed(
                _("The key has characters no key has.")
            ) from error
        token = api_token_authenticate(key)
        if token is None:
            raise exceptions.AuthenticationFailed(
                _("This key is not known, or was revoked or has expired: ask for a new one.")
            )
        return token.user, token

    def authenticate_header(self, request: Request) -> str:
        return KEYWORD


class ApiSessionAuthentication(SessionAuthentication):
    """A signed-in person using the browsable API (CSRF checked on writes). Two-factor
    sign-in is already enforced by the web's middleware for the roles that need it."""


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "earlyhelp.api.authentication.ApiTokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {
            "type": "apiKey",
            "in": "header",
            "name": "Authorization",
            "description": "`Token <key>`, from `earlyhelp api-token issue`.",
        }
