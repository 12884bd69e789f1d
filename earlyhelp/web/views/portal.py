"""Journey: the partner portal. Signing in (an account, or a code sent by email), and the
notification a partner sends, one topic a page, kept as a draft at every step.

Nothing typed is lost when the session expires: a page posted by someone no longer
signed in is kept in their (new, anonymous) session; once they sign in again,
`portal_restore` puts it into their draft and takes them back to that page.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from earlyhelp.audit.services import Actor, Refs, access_record_many
from earlyhelp.casework.selectors_partner import (
    PartnerView,
    partner_submission_list,
    partner_views,
)
from earlyhelp.common import clock
from earlyhelp.domain.codes import UserRole
from earlyhelp.frontdoor.models import SubmissionDraft
from earlyhelp.frontdoor.submissions import draft_delete, draft_save
from earlyhelp.organisation import signin_codes
from earlyhelp.organisation.models import User
from earlyhelp.web.forms_portal import (
    STEP_BY_SLUG,
    STEPS,
    CodeEnterForm,
    CodeRequestForm,
    OrganisationForm,
    Step,
    initial_from_draft,
    portal_errors,
    to_draft,
)
from earlyhelp.web.views.base import client_ip, run_service

PORTAL_SIGN_IN = "portal-sign-in"
CODE_EMAIL = "portal_code_email"
CODE_NEXT = "portal_code_next"
RESCUE = "portal_rescue"
RESCUE_MAX_BYTES = 64_000
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
RECENT_SHOWN = 5


def partner_only(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed in (on the portal's sign-in page), and a partner account."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        _require_partner(request.user)
        return view(request, *args, **kwargs)

    return login_required(login_url=PORTAL_SIGN_IN)(wrapped)


def _require_partner(user: User) -> None:
    if user.role != UserRole.PARTNER:
        raise PermissionDenied("The partner portal is for partner agencies' accounts.")


def _next_url(request: HttpRequest, default: str = "portal-home") -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if safe else reverse(default)


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def _is_partner(request: HttpRequest) -> bool:
    return request.user.is_authenticated and request.user.role == UserRole.PARTNER


# --- start and signing in -------------------------------------------------------------------


@require_GET
def portal_start(request: HttpRequest) -> HttpResponse:
    """The GOV.UK start page: what the service is for, and the way in."""
    context = {
        "title": "Tell us about a child who needs early help",
        "partner": _is_partner(request),
    }
    return render(request, "web/portal/start.html", context)


@require_GET
def portal_sign_in(request: HttpRequest) -> HttpResponse:
    next_url = _next_url(request)
    context = {
        "title": "Sign in to the partner portal",
        "next": next_url,
        "account_url": _with_next("login", next_url),
        "code_url": _with_next("portal-code-request", next_url),
        "rescued": RESCUE in request.session,
    }
    return render(request, "web/portal/sign_in.html", context)


def _request_code(email: str) -> bool:
    signin_codes.sign_in_code_request(email=email)
    return True


@never_cache
@require_http_methods(["GET", "POST"])
def portal_code_request(request: HttpRequest) -> HttpResponse:
    """Enter an email address: a code is sent to it (the page never says if it is known)."""
    form = CodeRequestForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        if run_service(form, _request_code, email=email):
            request.session[CODE_EMAIL] = signin_codes.normalise_email(email)
            request.session[CODE_NEXT] = _next_url(request)
            return redirect("portal-code-enter")
    context = {"title": "Get a sign-in code by email", "form": form, "next": _next_url(request)}
    return render(request, "web/portal/code_request.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
def portal_code_enter(request: HttpRequest) -> HttpResponse:
    """Enter the code from the email: signed in as the partner account of that address."""
    email = request.session.get(CODE_EMAIL)
    form = CodeEnterForm(request.POST or None)
    if email and request.method == "POST" and form.is_valid():
        signed = run_service(
            form, signin_codes.sign_in_code_verify, email=email, code=form.cleaned_data["code"]
        )
        if signed is not None:
            next_url = request.session.get(CODE_NEXT) or reverse("portal-home")
            login(request, signed.user, backend=MODEL_BACKEND)
            request.session.pop(CODE_EMAIL, None)
            request.session.pop(CODE_NEXT, None)
            if signed.created or not signed.user.partner_organisation:
                return redirect(_with_next("portal-organisation", next_url))
            return redirect(next_url)
    context = {
        "title": "Check your email",
        "form": form,
        "email": email,
        "minutes": int(signin_codes.CODE_LIFETIME.total_seconds() // 60),
        "tries": signin_codes.MAX_WRONG_TRIES,
    }
    return render(request, "web/portal/code_enter.html", context)


@never_cache
@require_http_methods(["GET", "POST"])
@partner_only
def portal_organisation(request: HttpRequest) -> HttpResponse:
    """The partner's organisation: asked at the first sign-in, changeable later."""
    user = request.user
    initial = {
        "partner_organisation": user.partner_organisation,
        "partner_source": user.partner_source,
    }
    form = OrganisationForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = run_service(
            form,
            signin_codes.partner_profile_update,
            user=user,
            organisation=data["partner_organisation"],
            source=data["partner_source"],
        )
        if saved is not None:
            messages.success(request, "Your organisation has been saved.")
            return redirect(_next_url(request))
    context = {"title": "Your organisation", "form": form, "next": _next_url(request)}
    return render(request, "web/portal/organisation.html", context)


# --- home and drafts --------------------------------------------------------------------------


def _drafts(user: User) -> list[SubmissionDraft]:
    """The account's own drafts (no one else's), last changed first."""
    return list(SubmissionDraft.objects.filter(owner=user).order_by("-updated_at", "-pk"))


def _draft(user: User, draft_id: int) -> SubmissionDraft:
    draft = SubmissionDraft.objects.filter(owner=user, pk=draft_id).first()
    if draft is None:
        raise Http404("No such draft.")
    return draft


def draft_summary(draft: SubmissionDraft) -> str:
    answers = draft.answers
    name = f"{answers.get('child_given_name') or ''} {answers.get('child_family_name') or ''}"
    return " ".join(str(name).split()) or "Child not named yet"


def log_partner_views(request: HttpRequest, views: list[PartnerView]) -> None:
    """The child's name (as the partner typed it) is personal data: each one shown is logged."""
    access_record_many(
        actor=Actor.of(request.user),
        action="VIEW",
        seen=[
            (
                f"partner status {view.notification_ref}",
                Refs(family_id=view.family_id, person_id=view.person_id),
            )
            for view in views
        ],
        ip_address=client_ip(request),
    )


@require_GET
@partner_only
def portal_home(request: HttpRequest) -> HttpResponse:
    user = request.user
    recent = partner_views(
        user=user, notifications=list(partner_submission_list(user=user)[:RECENT_SHOWN])
    )
    log_partner_views(request, recent)
    drafts = [(d, draft_summary(d), STEP_BY_SLUG.get(d.step, STEPS[0])) for d in _drafts(user)]
    context = {"title": "Partner portal", "drafts": drafts, "recent": recent}
    return render(request, "web/portal/home.html", context)


def _prefill(user: User) -> dict[str, object]:
    return {
        "referrer_name": user.get_full_name(),
        "referrer_email": user.email,
        "referrer_organisation": user.partner_organisation,
        "source": user.partner_source,
    }


@require_http_methods(["GET", "POST"])
@partner_only
def portal_new(request: HttpRequest) -> HttpResponse:
    """What you will need; "Start" opens a draft (filled with what we know of you)."""
    if request.method == "POST":
        draft = draft_save(user=request.user, answers=_prefill(request.user), step=STEPS[0].slug)
        return redirect(STEPS[0].url_name, draft_id=draft.pk)
    context = {"title": "Send an early help notification", "steps": STEPS}
    return render(request, "web/portal/new.html", context)


@require_http_methods(["GET", "POST"])
@partner_only
def portal_draft_delete(request: HttpRequest, draft_id: int) -> HttpResponse:
    draft = _draft(request.user, draft_id)
    if request.method == "POST":
        draft_delete(user=request.user, draft=draft)
        messages.success(request, "The draft has been deleted.")
        return redirect("portal-home")
    context = {"title": "Delete this draft?", "draft": draft, "summary": draft_summary(draft)}
    return render(request, "web/portal/delete.html", context)


# --- the questions, one topic a page ---------------------------------------------------------


def step_url(step: Step, draft_id: int, *, returning: bool = False) -> str:
    url = reverse(step.url_name, kwargs={"draft_id": draft_id})
    return f"{url}?return=check" if returning else url


def _after(step: Step, draft_id: int, returning: bool) -> str:
    index = STEPS.index(step)
    if returning or index == len(STEPS) - 1:
        return reverse("portal-check", kwargs={"draft_id": draft_id})
    return step_url(STEPS[index + 1], draft_id)


def _before(step: Step, draft_id: int, returning: bool) -> str:
    index = STEPS.index(step)
    if returning:
        return reverse("portal-check", kwargs={"draft_id": draft_id})
    if index == 0:
        return reverse("portal-home")
    return step_url(STEPS[index - 1], draft_id)


def _page_errors(form: Any, step: Step, answers: dict[str, object]) -> None:
    for name, message in portal_errors(answers, today=clock.today()).items():
        if name in step.fields and not form.errors.get(name):
            form.add_error(name, message)


@never_cache
@require_http_methods(["GET", "POST"])
def portal_step(request: HttpRequest, draft_id: int, step: str) -> HttpResponse:
    """One page of questions. "Continue" saves and checks it; "Save and come back later"
    saves it as it is."""
    spec = STEP_BY_SLUG[step]
    if not request.user.is_authenticated:
        return _signed_out(request, draft_id, spec)
    _require_partner(request.user)
    draft = _draft(request.user, draft_id)
    returning = (request.POST.get("return") or request.GET.get("return")) == "check"
    if request.method == "POST":
        form = spec.form(request.POST)
        form.is_valid()
        draft = draft_save(user=request.user, answers=to_draft(form), step=spec.slug, draft=draft)
        if "save" in request.POST:
            messages.success(request, "Your draft has been saved. Carry on with it from here.")
            return redirect("portal-home")
        _page_errors(form, spec, draft.answers)
        if not form.errors:
            return redirect(_after(spec, draft.pk, returning))
    else:
        form = spec.form(initial=initial_from_draft(spec, draft.answers))
    context = {
        "title": spec.title,
        "form": form,
        "step": spec,
        "number": STEPS.index(spec) + 1,
        "total": len(STEPS),
        "draft": draft,
        "returning": returning,
        "back_url": _before(spec, draft.pk, returning),
    }
    return render(request, "web/portal/step.html", context)


def _signed_out(request: HttpRequest, draft_id: int, step: Step) -> HttpResponse:
    """Signed out (the session expired) while answering: keep what was posted, ask them to
    sign in again, then restore it (`portal_restore`)."""
    if request.method != "POST":
        return redirect_to_login(request.get_full_path(), login_url=reverse(PORTAL_SIGN_IN))
    form = step.form(request.POST)
    form.is_valid()
    kept = {"draft_id": draft_id, "step": step.slug, "answers": to_draft(form)}
    if len(json.dumps(kept)) <= RESCUE_MAX_BYTES:
        request.session[RESCUE] = kept
    return redirect(_with_next(PORTAL_SIGN_IN, reverse("portal-restore")))


@never_cache
@require_GET
@partner_only
def portal_restore(request: HttpRequest) -> HttpResponse:
    """Put what was typed before signing in again into the draft, and go back to the page."""
    kept = request.session.pop(RESCUE, None)
    step = STEP_BY_SLUG.get(str((kept or {}).get("step")))
    if not isinstance(kept, dict) or step is None or not isinstance(kept.get("answers"), dict):
        context = {"title": "Nothing to restore"}
        return render(request, "web/portal/restore.html", context)
    answers = {k: v for k, v in kept["answers"].items() if k in step.fields}
    draft = SubmissionDraft.objects.filter(owner=request.user, pk=kept.get("draft_id")).first()
    if draft is None:
        # Typed in someone else's draft (a shared computer): theirs, not for this account.
        context = {"title": "Nothing to restore"}
        return render(request, "web/portal/restore.html", context)
    draft = draft_save(user=request.user, answers=answers, step=step.slug, draft=draft)
    messages.success(
        request,
        "You were signed out, but what you typed on this page was kept. Check it and continue.",
    )
    return redirect(step.url_name, draft_id=draft.pk)
