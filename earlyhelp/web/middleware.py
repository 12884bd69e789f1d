"""Middleware of the web layer: security headers and the two-factor gate."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.cache import patch_cache_control

from earlyhelp.organisation.auth import (
    oidc_trusted_for_two_factor,
    two_factor_has_device,
    two_factor_required,
)

# Pages a signed-in user may reach before completing two-factor sign-in.
TWO_FACTOR_EXEMPT = frozenset(
    {
        "login",
        "logout",
        "two-factor-verify",
        "two-factor-setup",
        "healthz",
        "oidc_authentication_init",
        "oidc_authentication_callback",
        "oidc_logout",
    }
)


class SecurityHeadersMiddleware:
    """Permissions-Policy on every response; pages for a signed-in user are not stored
    by the browser or any cache (they carry personal data)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        user = getattr(request, "user", None)  # absent for static files (WhiteNoise)
        if user is not None and user.is_authenticated and "Cache-Control" not in response:
            patch_cache_control(response, private=True, no_store=True)
        return response


def two_factor_pending(request: HttpRequest) -> bool:
    """Whether the signed-in user must still complete two-factor sign-in."""
    user = request.user
    if settings.EARLYHELP_DEMO_SKIP_2FA or not two_factor_required(user):
        return False
    if two_factor_verified(request):
        return False
    return not oidc_trusted_for_two_factor(request.session.get(BACKEND_SESSION_KEY))


def two_factor_verified(request: HttpRequest) -> bool:
    """Whether this session has passed a code (django-otp's OTPMiddleware adds
    `is_verified`; a user signed in during this request has not)."""
    is_verified = getattr(request.user, "is_verified", None)
    return bool(is_verified and is_verified())


def two_factor_step_url(request: HttpRequest, next_url: str) -> str:
    """The verify page (or the set-up page for a user with no app yet), then `next_url`."""
    name = "two-factor-verify" if two_factor_has_device(request.user) else "two-factor-setup"
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


class TwoFactorMiddleware:
    """Sends a user who must use two-factor sign-in, and has not yet in this session, to
    the verify (or set-up) page from every page but signing in and out."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self, request: HttpRequest, view: Callable[..., Any], args: Any, kwargs: Any
    ) -> HttpResponse | None:
        match = request.resolver_match
        if match is not None and match.url_name in TWO_FACTOR_EXEMPT:
            return None
        if not request.user.is_authenticated or not two_factor_pending(request):
            return None
        return HttpResponseRedirect(two_factor_step_url(request, request.get_full_path()))
