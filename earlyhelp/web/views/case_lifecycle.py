"""Journey 4, the case: closing it, stepping up to social care, re-allocating, re-opening."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from earlyhelp.casework import selectors as casework
from earlyhelp.casework import services
from earlyhelp.casework.policies import can_allocate
from earlyhelp.domain.codes import CLOSURES_NEEDING_AUTHORISATION
from earlyhelp.web.forms_case import AllocateForm, CloseForm, ReopenForm, StepUpForm, VersionedForm
from earlyhelp.web.views.base import found, run_service
from earlyhelp.web.views.case import case_page, done, require_write, show_case

NOT_LEADER = "Only a unit leader or a manager can do this."


# --- closing, stepping up, re-allocating and re-opening ------------------------------------


@case_page
@require_http_methods(["GET", "POST"])
def case_close(request: HttpRequest, case_id: int) -> HttpResponse:
    case = found(casework.case_get, user=request.user, case_id=case_id)
    if request.method == "GET":
        require_write(request.user, case)
    leaders = {u.pk: u for u in casework.closure_authorisers(unit_id=case.unit_id)}
    form = CloseForm(
        request.POST if request.method == "POST" else None,
        initial=VersionedForm.versioned_initial(case),
        authorisers=[(pk, u.get_full_name() or u.get_username()) for pk, u in leaders.items()],
    )
    if form.is_valid():
        chosen = form.cleaned_data["authorised_by"]
        closed = run_service(
            form,
            services.case_close,
            user=request.user,
            case=form.as_seen(case),
            version=form.cleaned_data["version"],
            closed_on=form.cleaned_data["closed_on"],
            reason=form.cleaned_data["reason"],
            summary=form.cleaned_data["summary"],
            authorised_by=leaders.get(int(chosen)) if chosen else None,
        )
        if closed is not None:
            return done(request, "The case is closed.", "case", case)
        form.after_refusal(case)
    return show_case(
        request,
        "close.html",
        case,
        "case",
        "Close the case",
        form=form,
        needs_authorisation=sorted(CLOSURES_NEEDING_AUTHORISATION),
    )


@case_page
@require_http_methods(["GET", "POST"])
def case_step_up(request: HttpRequest, case_id: int) -> HttpResponse:
    case = found(casework.case_get, user=request.user, case_id=case_id)
    if request.method == "GET":
        require_write(request.user, case)
    form = StepUpForm(
        request.POST if request.method == "POST" else None,
        initial=VersionedForm.versioned_initial(case),
    )
    if form.is_valid():
        stepped = run_service(
            form,
            services.case_step_up,
            user=request.user,
            case=form.as_seen(case),
            version=form.cleaned_data["version"],
            on=form.cleaned_data["on"],
            reason=form.cleaned_data["reason"],
        )
        if stepped is not None:
            message = "The family is referred to Specialist Children's Services."
            return done(request, f"{message} The case is closed.", "case", case)
        form.after_refusal(case)
    title = "Step up to Specialist Children's Services"
    return show_case(request, "step_up.html", case, "case", title, form=form)


@case_page
@require_http_methods(["GET", "POST"])
def case_allocate(request: HttpRequest, case_id: int) -> HttpResponse:
    case = found(casework.case_get, user=request.user, case_id=case_id)
    if request.method == "GET" and not can_allocate(request.user, unit_id=case.unit_id):
        raise PermissionDenied(NOT_LEADER)
    units, workers = casework.allocation_choices(user=request.user)
    form = AllocateForm(
        request.POST if request.method == "POST" else None,
        initial=VersionedForm.versioned_initial(case, unit=case.unit_id, worker=case.worker_id),
        units=[(u.pk, u.name) for u in units],
        workers=[(w.pk, f"{w.name} ({w.unit.name})") for w in workers],
    )
    if form.is_valid():
        data = form.cleaned_data
        allocated = run_service(
            form,
            services.case_allocate,
            user=request.user,
            case=form.as_seen(case),
            version=data["version"],
            unit=next(u for u in units if u.pk == data["unit"]),
            worker=next((w for w in workers if w.pk == data["worker"]), None),
            on=data["on"],
            reason=data["reason"],
        )
        if allocated is not None:
            return done(request, "The case is re-allocated.", "case", case)
        form.after_refusal(case)
    return show_case(request, "allocate.html", case, "case", "Re-allocate the case", form=form)


@case_page
@require_http_methods(["GET", "POST"])
def case_reopen(request: HttpRequest, case_id: int) -> HttpResponse:
    case = found(casework.case_get, user=request.user, case_id=case_id)
    if request.method == "GET" and not can_allocate(request.user, unit_id=case.unit_id):
        raise PermissionDenied(NOT_LEADER)
    form = ReopenForm(
        request.POST if request.method == "POST" else None,
        initial=VersionedForm.versioned_initial(case),
    )
    if form.is_valid():
        reopened = run_service(
            form,
            services.case_reopen,
            user=request.user,
            case=form.as_seen(case),
            version=form.cleaned_data["version"],
            reopened_on=form.cleaned_data["reopened_on"],
            reason=form.cleaned_data["reason"],
        )
        if reopened is not None:
            return done(request, "The case is re-opened.", "case", case)
        form.after_refusal(case)
    return show_case(request, "reopen.html", case, "case", "Re-open the case", form=form)
