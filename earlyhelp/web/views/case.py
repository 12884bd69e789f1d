"""Journey 4, the case: what its pages share, the overview and the assessment.

The other sections are in `case_plan.py` (the family plan), `case_records.py` (reviews,
notes, history) and `case_lifecycle.py` (closing, step-up, re-allocating, re-opening).
Every page reads through the casework selectors (a case out of scope is a 404) and writes
through the casework services (a refusal becomes an error on the form; a colleague's case
is a 403 page).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_http_methods

from earlyhelp.audit.services import Refs
from earlyhelp.casework import selectors as casework
from earlyhelp.casework import services
from earlyhelp.casework.models import Case
from earlyhelp.casework.policies import can_allocate, can_write_case
from earlyhelp.casework.services.assessment import ASSESSMENT_FIELDS
from earlyhelp.common.errors import InvalidInput
from earlyhelp.domain.codes import UserRole
from earlyhelp.web.forms_case import AssessmentForm, StartAssessmentForm, VersionedForm
from earlyhelp.web.views.base import found, log_view, run_service

SECTIONS = (
    ("Overview", "case"),
    ("Assessment", "case-assessment"),
    ("Plan", "case-plan"),
    ("Reviews", "case-reviews"),
    ("Notes", "case-notes"),
    ("History", "case-history"),
)
NOT_YOURS = "Only the lead practitioner or the unit leader can change this case."


# --- what every case page shares ------------------------------------------------------------


def case_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Signed-in users only; a refused permission is shown as a 403 page with the reason."""

    @login_required
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            return view(request, *args, **kwargs)
        except PermissionDenied as error:
            context = {"message": str(error) or NOT_YOURS, "case_id": kwargs.get("case_id")}
            return render(request, "web/case/forbidden.html", context, status=403)

    return wrapped


def may_write(user: Any, case: Case) -> bool:
    return can_write_case(user, unit_id=case.unit_id, worker_id=case.worker_id)


def require_write(user: Any, case: Case) -> None:
    if not may_write(user, case):
        raise PermissionDenied(NOT_YOURS)


def show_case(
    request: HttpRequest, template: str, case: Case, section: str, title: str, **context: Any
) -> HttpResponse:
    """Render a case page: the identity bar, the sections and the page's own content."""
    refs = Refs(family_id=case.family_id, case_id=case.pk)
    log_view(request, what=f"case record: {title.lower()}", refs=refs)
    return render(
        request,
        f"web/case/{template}",
        {
            "case": case,
            "status": casework.case_status(case),
            "title": title,
            "family_url": _url_or_empty("family", case.family_id),
            "sections": [
                {"text": text, "href": reverse(name, args=[case.pk]), "current": name == section}
                for text, name in SECTIONS
            ],
            **context,
        },
    )


def _url_or_empty(name: str, pk: int) -> str:
    try:
        return reverse(name, args=[pk])
    except NoReverseMatch:  # the page is not routed in this configuration
        return ""


def done(request: HttpRequest, message: str, name: str, case: Case, anchor: str = "") -> Any:
    messages.success(request, message)
    return redirect(reverse(name, args=[case.pk]) + anchor)


# --- overview ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Action:
    text: str
    href: str


def case_actions(user: Any, case: Case) -> list[Action]:
    """What this user may do to the case now: the button menu of the case."""
    write, lead = may_write(user, case), can_allocate(user, unit_id=case.unit_id)
    wanted: list[tuple[bool, str, str, str]] = [
        (case.assessment_started_on is None, "Start the assessment", "case-assessment", ""),
        (
            case.assessment_started_on is not None and case.assessment_completed_on is None,
            "Complete the assessment",
            "case-assessment",
            "",
        ),
        (
            case.assessment_started_on is not None and case.plan_agreed_on is None,
            "Agree the family plan",
            "case-plan",
            "",
        ),
        (case.plan_agreed_on is not None, "Record a review", "case-reviews", "#record"),
    ]
    actions = [Action(t, reverse(n, args=[case.pk]) + a) for ok, t, n, a in wanted if ok]
    actions = actions if case.is_open and write else []
    if write or user.role == UserRole.MANAGER:
        actions.append(Action("Add a case note", reverse("case-notes", args=[case.pk]) + "#add"))
    if case.is_open and write:
        actions.append(Action("Close the case", reverse("case-close", args=[case.pk])))
        actions.append(Action("Step up to social care", reverse("case-step-up", args=[case.pk])))
    if case.is_open and lead:
        actions.append(Action("Re-allocate", reverse("case-allocate", args=[case.pk])))
    if not case.is_open and lead:
        actions.append(Action("Re-open the case", reverse("case-reopen", args=[case.pk])))
    return actions


@case_page
@require_GET
def case_overview(request: HttpRequest, case_id: int) -> HttpResponse:
    case = found(casework.case_get, user=request.user, case_id=case_id)
    return show_case(
        request,
        "overview.html",
        case,
        "case",
        "Case overview",
        actions=case_actions(request.user, case),
        dates=casework.case_dates(case),
    )


# --- assessment ----------------------------------------------------------------------------


@case_page
@require_http_methods(["GET", "POST"])
def case_assessment(request: HttpRequest, case_id: int) -> HttpResponse:
    records = found(casework.case_records, user=request.user, case_id=case_id)
    starting = request.method == "POST" and request.POST.get("action") == "start"
    if records.assessment is None or starting:
        return _start_assessment(request, records.case)
    return _edit_assessment(request, records.case, records.assessment)


def _start_assessment(request: HttpRequest, case: Case) -> HttpResponse:
    data = request.POST if request.method == "POST" else None
    form = StartAssessmentForm(data, initial=VersionedForm.versioned_initial(case))
    if form.is_valid():
        started = run_service(
            form,
            services.assessment_start,
            user=request.user,
            case=form.as_seen(case),
            version=form.cleaned_data["version"],
            started_on=form.cleaned_data["started_on"],
        )
        if started is not None:
            return done(request, "The assessment has started.", "case-assessment", case)
        form.after_refusal(case)
    return show_case(
        request,
        "assessment_start.html",
        case,
        "case-assessment",
        "Start the assessment",
        form=form,
        editable=case.is_open and may_write(request.user, case),
    )


def _edit_assessment(request: HttpRequest, case: Case, assessment: Any) -> HttpResponse:
    editable = case.is_open and may_write(request.user, case)
    initial = {name: getattr(assessment, name) for name in ASSESSMENT_FIELDS}
    completing = request.POST.get("action") == "complete" and not assessment.completed_on
    form = AssessmentForm(
        request.POST if request.method == "POST" else None,
        initial=VersionedForm.versioned_initial(assessment, **initial),
        completing=completing,
    )
    if form.is_valid():
        if _save_assessment(request, form, case, assessment):
            message = "The assessment is complete." if completing else "The assessment is saved."
            return done(request, message, "case-assessment", case)
        form.after_refusal(assessment)
    return show_case(
        request,
        "assessment.html",
        case,
        "case-assessment",
        "Assessment",
        form=form,
        assessment=assessment,
        editable=editable,
    )


def _save_assessment(request: HttpRequest, form: AssessmentForm, case: Case, seen: Any) -> bool:
    """Save the content and, when asked, complete the assessment: both or neither."""
    with transaction.atomic():
        saved = run_service(
            form,
            services.assessment_update,
            user=request.user,
            assessment=form.as_seen(seen),
            version=form.cleaned_data["version"],
            **form.content(),
        )
        if saved is None or not form.completing:
            return saved is not None
        completed = run_service(
            form,
            _complete_assessment,
            user=request.user,
            case=case,
            version=case.version,
            completed_on=form.cleaned_data["completed_on"],
        )
        if completed is None:
            transaction.set_rollback(True)
        return completed is not None


def _complete_assessment(**kwargs: Any) -> Case:
    """The service, with its "record this first" messages naming the field."""
    try:
        return services.assessment_complete(**kwargs)
    except InvalidInput as error:
        fields = AssessmentForm.base_fields
        raise InvalidInput(
            {
                name: [
                    f"Record {str(fields[name].label).lower()} before completing the assessment."
                    if name in ("family_view", "child_voice")
                    else message
                    for message in messages_
                ]
                for name, messages_ in error.errors.items()
            }
        ) from error
