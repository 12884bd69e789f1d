"""Journey 4, the case: the family plan (agree it; add outcomes and actions; record progress).

A new plan offers a few blank action rows under each outcome; "Add another outcome" posts
what was typed and draws the form again with one more outcome, so it works without
JavaScript.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_http_methods

from earlyhelp.casework import selectors as casework
from earlyhelp.casework import services
from earlyhelp.casework.models import Case
from earlyhelp.web.forms_case import (
    ActionUpdateForm,
    AddActionForm,
    AddOutcomeForm,
    AgreePlanForm,
    OutcomesForm,
    VersionedForm,
    unbound_copy,
)
from earlyhelp.web.views.base import found, run_service
from earlyhelp.web.views.case import case_page, done, may_write, require_write, show_case


@case_page
@require_http_methods(["GET", "POST"])
def case_plan(request: HttpRequest, case_id: int) -> HttpResponse:
    records = found(casework.case_records, user=request.user, case_id=case_id)
    if records.plan is None or request.method == "POST":
        return _agree_plan(request, records.case)
    return show_case(
        request,
        "plan.html",
        records.case,
        "case-plan",
        "Family plan",
        plan=records.plan,
        outcomes=casework.plan_outcomes(user=request.user, case_id=case_id),
        editable=records.case.is_open and may_write(request.user, records.case),
    )


def _agree_plan(request: HttpRequest, case: Case) -> HttpResponse:
    posted = request.method == "POST"
    count = OutcomesForm.count_in(request.POST) if posted else 1
    form = AgreePlanForm(
        request.POST if posted else None,
        initial=VersionedForm.versioned_initial(case),
        outcome_count=count,
    )
    if posted and "add_outcome" in request.POST:
        form = unbound_copy(form, outcome_count=count + 1)
    elif form.is_valid():
        outcomes = form.outcomes()
        plan = run_service(
            form,
            services.plan_agree,
            field_map=form.field_map,
            user=request.user,
            case=form.as_seen(case),
            version=form.cleaned_data["version"],
            agreed_on=form.cleaned_data["agreed_on"],
            outcomes=outcomes,
        )
        if plan is not None:
            return done(request, "The family plan is agreed.", "case-plan", case)
        form.after_refusal(case)
    return show_case(
        request,
        "plan_agree.html",
        case,
        "case-plan",
        "Agree the family plan",
        form=form,
        editable=case.is_open and may_write(request.user, case),
        started=case.assessment_started_on is not None,
    )


@case_page
@require_http_methods(["GET", "POST"])
def case_plan_outcome_add(request: HttpRequest, case_id: int) -> HttpResponse:
    records = found(casework.case_records, user=request.user, case_id=case_id)
    case, plan = records.case, records.plan
    if plan is None:
        raise Http404("The family plan has not been agreed.")
    if request.method == "GET":
        require_write(request.user, case)
    form = AddOutcomeForm(
        request.POST if request.method == "POST" else None,
        initial=VersionedForm.versioned_initial(plan),
    )
    if form.is_valid():
        typed = form.outcomes()[0]
        outcome = run_service(
            form,
            services.plan_outcome_add,
            field_map=form.field_map,
            user=request.user,
            plan=form.as_seen(plan),
            version=form.cleaned_data["version"],
            outcome=typed,
        )
        if outcome is not None:
            return done(request, "The outcome is added to the plan.", "case-plan", case)
        form.after_refusal(plan)
    return show_case(
        request, "plan_outcome_add.html", case, "case-plan", "Add an outcome", form=form
    )


@case_page
@require_http_methods(["GET", "POST"])
def case_plan_action_add(request: HttpRequest, case_id: int, outcome_id: int) -> HttpResponse:
    outcome = found(
        casework.plan_outcome_get, user=request.user, case_id=case_id, outcome_id=outcome_id
    )
    plan = outcome.plan
    if request.method == "GET":
        require_write(request.user, plan.case)
    form = AddActionForm(
        request.POST if request.method == "POST" else None,
        initial=VersionedForm.versioned_initial(plan),
    )
    if form.is_valid():
        action = run_service(
            form,
            services.plan_action_add,
            field_map=AddActionForm.field_map,
            user=request.user,
            outcome=outcome,
            plan_version=form.cleaned_data["version"],
            action=form.action(),
        )
        if action is not None:
            return done(request, "The action is added.", "case-plan", plan.case)
        form.after_refusal(plan)
    return show_case(
        request,
        "plan_action_add.html",
        plan.case,
        "case-plan",
        "Add an action",
        form=form,
        outcome=outcome,
    )


@case_page
@require_http_methods(["GET", "POST"])
def case_plan_action(request: HttpRequest, case_id: int, action_id: int) -> HttpResponse:
    action = found(
        casework.plan_action_get, user=request.user, case_id=case_id, action_id=action_id
    )
    case = action.outcome.plan.case
    if request.method == "GET":
        require_write(request.user, case)
    initial = {"status": action.status, "progress": action.progress, "due_on": action.due_on}
    form = ActionUpdateForm(
        request.POST if request.method == "POST" else None,
        initial=VersionedForm.versioned_initial(action, **initial),
    )
    if form.is_valid():
        saved = run_service(
            form,
            services.plan_action_update,
            user=request.user,
            action=form.as_seen(action),
            version=form.cleaned_data["version"],
            status=form.cleaned_data["status"],
            progress=form.cleaned_data["progress"],
            due_on=form.cleaned_data["due_on"],
        )
        if saved is not None:
            return done(request, "The action's progress is saved.", "case-plan", case)
        form.after_refusal(action)
    return show_case(
        request,
        "plan_action.html",
        case,
        "case-plan",
        "Update an action",
        form=form,
        action=action,
    )
