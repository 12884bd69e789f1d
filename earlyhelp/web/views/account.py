"""Signing in and the account's two-factor sign-in: password, then a code, then the page.

A user whose role can see case records (`organisation.auth.TWO_FACTOR_ROLES`) signs in with
a password and then a code from an authenticator app, or one of ten single-use recovery
codes. At the first sign-in they set the app up here. `web.middleware.TwoFactorMiddleware`
keeps every other page from them until they have.
"""

from __future__ import annotations

from urllib.parse import urlencode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import LoginView
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login

from earlyhelp.audit.services import Actor
from earlyhelp.organisation import auth
from earlyhelp.web.forms_account import TwoFactorCodeForm, TwoFactorSetUpForm
from earlyhelp.web.forms_auth import SignInForm
from earlyhelp.web.middleware import (
    two_factor_pending,
    two_factor_step_url,
    two_factor_verified,
)
from earlyhelp.web.views.base import run_service

SETUP_KEY = "two_factor_setup_key"
NEW_CODES = "two_factor_new_codes"


class SignInView(LoginView):
    """The password step; then the code step when the account needs one."""

    template_name = "registration/login.html"
    authentication_form = SignInForm

    def get_context_data(self, **kwargs: object) -> dict[str, object]:
        context = super().get_context_data(**kwargs)
        context["sso_url"] = _sso_url()
        context["sso_failed"] = self.request.GET.get("sso") == "failed"
        context["demo_skip_2fa"] = settings.EARLYHELP_DEMO_SKIP_2FA
        context["lockout_limit"] = settings.AXES_FAILURE_LIMIT
        context["lockout_minutes"] = _lockout_minutes()
        return context

    def get_success_url(self) -> str:
        url = super().get_success_url()
        if two_factor_pending(self.request):
            return two_factor_step_url(self.request, url)
        return url


def _lockout_minutes() -> int:
    return int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)


def locked_out(
    request: HttpRequest, original_response: HttpResponse | None, credentials: dict | None
) -> HttpResponse:
    """django-axes' answer to a locked-out sign-in (AXES_LOCKOUT_CALLABLE)."""
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    context = {
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "minutes": _lockout_minutes(),
        "username": username,
    }
    return render(
        request, "registration/locked_out.html", context, status=settings.AXES_HTTP_RESPONSE_CODE
    )


def _sso_url() -> str | None:
    if not getattr(settings, "OIDC_ENABLED", False):
        return None
    try:
        return reverse("oidc_authentication_init")
    except NoReverseMatch:
        return None


def _next_url(request: HttpRequest) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if safe else reverse("home")


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def _verified(request: HttpRequest, device: object) -> None:
    """Mark the session two-factor verified, with a new session key."""
    otp_login(request, device)
    request.session.cycle_key()


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    user = request.user
    if two_factor_verified(request):
        return HttpResponseRedirect(_next_url(request))
    if not auth.two_factor_has_device(user):
        return redirect(two_factor_step_url(request, _next_url(request)))
    form = TwoFactorCodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        result = run_service(
            form, auth.two_factor_verify, user=user, code=form.cleaned_data["code"]
        )
        if result is not None:
            _verified(request, result.device)
            if result.used_recovery_code:
                left = auth.recovery_codes_left(user)
                messages.success(
                    request,
                    f"You signed in with a recovery code. You have {left} left: "
                    "create new ones from your account page when you run low.",
                )
            return HttpResponseRedirect(_next_url(request))
    context = {"form": form, "next": _next_url(request), "title": "Enter your sign-in code"}
    return render(request, "web/account/verify.html", context)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app: scan the QR code (or type the key), enter its code."""
    user = request.user
    if auth.two_factor_has_device(user) and not two_factor_verified(request):
        # Replacing an app needs the old one (or a recovery code) first.
        return redirect(_with_next("two-factor-verify", reverse("two-factor-setup")))
    key = request.session.get(SETUP_KEY) or auth.totp_key_new()
    request.session[SETUP_KEY] = key
    form = TwoFactorSetUpForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = run_service(
            form,
            auth.two_factor_enrol,
            actor=Actor.of(user),
            user=user,
            key=key,
            code=form.cleaned_data["code"],
        )
        if codes is not None:
            del request.session[SETUP_KEY]
            _verified(request, auth.totp_device_of(user))
            request.session[NEW_CODES] = codes
            messages.success(request, "Your authenticator app is set up.")
            return redirect(_with_next("account-recovery-codes", _next_url(request)))
    context = {
        "form": form,
        "title": "Set up two-factor sign-in",
        "qr_svg": _qr_svg(auth.totp_config_url(user=user, key=key)),
        "key_text": auth.totp_key_base32(key),
        "next": _next_url(request),
        "required": auth.two_factor_required(user),
    }
    return render(request, "web/account/setup.html", context)


def _qr_svg(url: str) -> str:
    svg = segno.make(url, error="m").svg_inline(
        scale=4, dark="#0b0c0c", light="#ffffff", omitsize=False
    )
    # An image with a name for screen readers; the key is also given as text.
    return svg.replace(
        "<svg ", '<svg role="img" aria-label="QR code for your authenticator app" ', 1
    )


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """New recovery codes, shown once; or the page to create a new set."""
    user = request.user
    if auth.totp_device_of(user) is None:
        return redirect("two-factor-setup")
    if not two_factor_verified(request):
        return redirect(_with_next("two-factor-verify", request.path))
    if request.method == "POST":
        request.session[NEW_CODES] = auth.recovery_codes_create(actor=Actor.of(user), user=user)
        return redirect(_with_next("account-recovery-codes", _next_url(request)))
    context = {
        "title": "Your recovery codes",
        "codes": request.session.pop(NEW_CODES, None),
        "left": auth.recovery_codes_left(user),
        "next": _next_url(request),
    }
    return render(request, "web/account/recovery_codes.html", context)


@login_required
@require_http_methods(["GET"])
def account(request: HttpRequest) -> HttpResponse:
    user = request.user
    device = auth.totp_device_of(user)
    context = {
        "title": "Your account",
        "device": device,
        "required": auth.two_factor_required(user),
        "left": auth.recovery_codes_left(user) if device else 0,
        "demo_skip_2fa": settings.EARLYHELP_DEMO_SKIP_2FA,
    }
    return render(request, "web/account/index.html", context)
