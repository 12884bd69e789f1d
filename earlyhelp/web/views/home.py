"""Pages. Thin: each reads through selectors and renders; writes go through services."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from earlyhelp.casework import selectors as casework
from earlyhelp.common import clock
from earlyhelp.domain.casestate import STAGE_LABELS
from earlyhelp.domain.codes import UserRole, label
from earlyhelp.domain.duedates import DRIFT_LABELS
from earlyhelp.frontdoor import selectors as frontdoor
from earlyhelp.web.views.portal import portal_home

ROLE_HOME_TITLES = {
    UserRole.PRACTITIONER: "Your work list",
    UserRole.TRIAGE_OFFICER: "Triage queue",
    UserRole.UNIT_LEADER: "Your unit's open cases",
    UserRole.MANAGER: "Open cases in your area of responsibility",
}


@require_GET
@login_required
def home(request: HttpRequest) -> HttpResponse:
    user = request.user
    if user.role == UserRole.PARTNER:
        return portal_home(request)  # partners' home is the portal's

    context: dict[str, object] = {
        "title": ROLE_HOME_TITLES.get(user.role, "Early Help"),
        "today": clock.today(),
        "role_label": label(user.role) if user.role else "",
        "stage_labels": STAGE_LABELS,
        "drift_labels": DRIFT_LABELS,
    }
    if user.role == UserRole.PRACTITIONER:
        context["work"] = casework.work_list(user=user)
        context["case_url"] = True
    elif user.role == UserRole.TRIAGE_OFFICER:
        context["queue"] = frontdoor.triage_queue(user=user)
        context["notification_url"] = True
    elif user.role == UserRole.UNIT_LEADER and user.org_unit_id:
        context["meeting"] = casework.unit_open_cases(user=user, unit_id=user.org_unit_id)
        context["case_url"] = True
    elif user.role == UserRole.MANAGER:
        context["open_cases"] = casework.open_cases_by_unit(user=user)
    return render(request, "web/home.html", context)


@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return JsonResponse({"status": "ok"})
