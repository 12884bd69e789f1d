"""Journeys 5 and 6: the weekly unit meeting, the district overview, step-down panels."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from earlyhelp.audit.services import Refs
from earlyhelp.casework import selectors as casework
from earlyhelp.common import clock
from earlyhelp.domain.codes import OrgKind
from earlyhelp.domain.duedates import DRIFT_LABELS
from earlyhelp.frontdoor import selectors as frontdoor
from earlyhelp.frontdoor.models import StepDownProposal
from earlyhelp.frontdoor.stepdown import step_down_decide, step_down_propose
from earlyhelp.organisation.models import OrgUnit
from earlyhelp.organisation.selectors import workers_in_units
from earlyhelp.people import selectors as people
from earlyhelp.web.forms_unit import DecisionForm, MeetingFilterForm, ProposalForm
from earlyhelp.web.views.base import found, log_view, run_service
from earlyhelp.web.views.family import has_route

MEETING_PAGE = 50
COLUMNS = (
    ("case", "Case"),
    ("worker", "Lead practitioner"),
    ("stage", "Stage"),
    ("days_open", "Days open"),
    ("next_due", "Next due"),
    ("flags", "Drift flags"),
)


def _links() -> dict[str, bool]:
    return {"case_url": has_route("case"), "notification_url": has_route("notification")}


# --- the unit meeting -----------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    aria_sort: str
    next_direction: str
    query: str
    numeric: bool


def _query(request: HttpRequest, **changes: str | None) -> str:
    query = request.GET.copy()
    for name in ("page", "print"):
        query.pop(name, None)
    for name, value in changes.items():
        if value is None:
            query.pop(name, None)
        else:
            query[name] = value
    return query.urlencode()


def sort_columns(request: HttpRequest, sort: str, descending: bool) -> list[Column]:
    """The table's headers: each a link sorting by it, with aria-sort on the current one."""
    columns = []
    for key, text in COLUMNS:
        current = key == sort
        direction = "ascending" if not current or descending else "descending"
        columns.append(
            Column(
                key=key,
                label=text,
                aria_sort=("descending" if descending else "ascending") if current else "none",
                next_direction=direction,
                query=_query(request, sort=key, dir="asc" if direction == "ascending" else "desc"),
                numeric=key == "days_open",
            )
        )
    return columns


def _removable(request: HttpRequest, form: MeetingFilterForm) -> list[tuple[str, list]]:
    """The filters in use as tags, each linking to the page without it."""
    groups = []
    for heading, items in form.selected():
        tags = []
        for name, value, words in items:
            query: QueryDict = request.GET.copy()
            query.setlist(name, [v for v in query.getlist(name) if v != value])
            query.pop("page", None)
            tags.append((words, query.urlencode()))
        groups.append((heading, tags))
    return groups


def _meeting_context(request: HttpRequest, unit_id: int) -> dict[str, object]:
    user = request.user
    unit = found(casework.unit_get, user=user, unit_id=unit_id)
    workers = workers_in_units(unit_ids={unit.pk})
    form = MeetingFilterForm(request.GET, workers=workers)
    form.is_valid()  # every filter is optional: unknown values are dropped
    sort = request.GET.get("sort", "")
    descending = request.GET.get("dir") == "desc"
    meeting = found(
        casework.unit_meeting,
        user=user,
        unit_id=unit.pk,
        workers=form.worker_ids(),
        stages=form.cleaned_data.get("stage") or [],
        drift=form.cleaned_data.get("drift") or [],
        sort=sort,
        descending=descending,
    )
    keep = QueryDict(mutable=True)
    for name in ("sort", "dir"):
        if name in request.GET:
            keep[name] = request.GET[name]
    return {
        "title": f"{unit.name}: unit meeting",
        "unit": unit,
        "meeting": meeting,
        "form": form,
        "selected": _removable(request, form),
        "clear_query": keep.urlencode(),
        "columns": sort_columns(request, sort, descending),
        "print_query": _query(request, print="1"),
        "back_query": _query(request),
        "drift_labels": DRIFT_LABELS,
        **_links(),
    }


@require_GET
@login_required
def unit_meeting(request: HttpRequest, unit_id: int) -> HttpResponse:
    """Every open case of the unit with drift flags; filters, sorting, a print layout."""
    context = _meeting_context(request, unit_id)
    meeting: casework.MeetingList = context["meeting"]  # type: ignore[assignment]
    log_view(request, what=f"unit meeting list of {meeting.unit.name}", refs=Refs())
    if request.GET.get("print"):
        context["today"] = clock.today()
        return render(request, "web/unit/meeting_print.html", context)
    context["page_obj"] = Paginator(meeting.cases, MEETING_PAGE).get_page(request.GET.get("page"))
    return render(request, "web/unit/meeting.html", context)


@require_GET
@login_required
def my_unit(request: HttpRequest) -> HttpResponse:
    """A unit leader's (or practitioner's) unit meeting; a manager's district overview."""
    org_unit = request.user.org_unit
    if org_unit is None:
        raise Http404("You are not part of a unit or district.")
    if org_unit.kind == OrgKind.UNIT:
        return redirect("unit-meeting", unit_id=org_unit.pk)
    return redirect("district", org_id=org_unit.pk)


@require_GET
@login_required
def district(request: HttpRequest, org_id: int) -> HttpResponse:
    """Open cases and drift of each unit of a district (or an area, or the county)."""
    overview = found(casework.district_overview, user=request.user, org_id=org_id)
    drift_columns = list(DRIFT_LABELS.items())
    rows = [(u, [u.drift[flag] for flag, _ in drift_columns]) for u in overview.units]
    totals = [sum(u.drift[flag] for u in overview.units) for flag, _ in drift_columns]
    context = {
        "title": f"{overview.name}: open cases and drift",
        "overview": overview,
        "rows": rows,
        "drift_columns": drift_columns,
        "totals": totals,
        "panel": overview.kind == OrgKind.DISTRICT,
    }
    return render(request, "web/unit/district.html", context)


# --- step-down panels -----------------------------------------------------------------------


def _panel_districts(request: HttpRequest) -> QuerySet[OrgUnit]:
    districts = frontdoor.step_down_districts(user=request.user)
    if not districts.exists():
        raise Http404("You do not sit on a step-down panel.")
    return districts


@require_GET
@login_required
def step_down_panel(request: HttpRequest) -> HttpResponse:
    """The proposals of the user's district panels: still to decide, and decided."""
    districts = list(_panel_districts(request))
    chosen = request.GET.get("district", "")
    district_id = int(chosen) if chosen.isdigit() else None
    waiting, decided = frontdoor.step_down_panel(user=request.user, district_id=district_id)
    context = {
        "title": "Step-down panel",
        "districts": districts,
        "district_id": district_id,
        "waiting": waiting,
        "decided": decided,
        **_links(),
    }
    return render(request, "web/unit/stepdown_panel.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def step_down_new(request: HttpRequest) -> HttpResponse:
    """Propose a child for step-down from SCS to the district's panel."""
    districts = _panel_districts(request)
    data = request.POST if request.method == "POST" else None
    initial = {"district": districts.first()} if districts.count() == 1 else {}
    form = ProposalForm(data, districts=districts, initial=initial)
    if data is not None and form.is_valid():
        proposal = run_service(form, step_down_propose, user=request.user, **form.cleaned_data)
        if proposal is not None:
            messages.success(
                request,
                f"{proposal.proposal_ref}: {proposal.child_name} is on the agenda of the "
                f"{proposal.district.name} step-down panel.",
            )
            return redirect("step-down-panel")
    context = {"title": "Propose a step-down from SCS", "form": form}
    return render(request, "web/unit/stepdown_propose.html", context)


def _matches(request: HttpRequest, proposal: StepDownProposal) -> list[people.PersonMatch]:
    if not proposal.is_open:
        return []
    return people.person_match_candidates(
        user=request.user,
        given_name=proposal.given_name,
        family_name=proposal.family_name,
        date_of_birth=proposal.date_of_birth,
        postcode=proposal.postcode,
    )


def _decide(request: HttpRequest, proposal: StepDownProposal, form: DecisionForm) -> bool:
    person_id, create = form.person_choice()
    person = found(people.person_get, user=request.user, person_id=person_id) if person_id else None
    decided = run_service(
        form,
        step_down_decide,
        user=request.user,
        proposal=proposal,
        version=form.cleaned_data["version"],
        decision=form.cleaned_data["decision"],
        reason=form.cleaned_data["reason"],
        person=person,
        create_person=create,
    )
    if decided is None:
        form.data = form.data.copy()
        form.data["version"] = str(proposal.version)
        return False
    done = f"{decided.proposal_ref} ({decided.child_name}): {decided.get_status_display().lower()}"
    if decided.notification is not None:
        done += f". Notification {decided.notification.notification_ref} is at the front door"
    messages.success(request, done + ".")
    return True


@require_http_methods(["GET", "POST"])
@login_required
def step_down_proposal(request: HttpRequest, proposal_id: int) -> HttpResponse:
    """A proposal, with the panel's decision or the form to record it."""
    proposal = found(frontdoor.step_down_get, user=request.user, proposal_id=proposal_id)
    matches = _matches(request, proposal)
    if request.method == "POST":
        form = DecisionForm(request.POST, matches=matches)
        if form.is_valid() and _decide(request, proposal, form):
            return redirect("step-down-panel")
    else:
        initial = {"version": proposal.version}
        if not matches:
            initial["person"] = "new"
        form = DecisionForm(initial=initial, matches=matches)
    log_view(
        request,
        what=f"step-down proposal {proposal.proposal_ref}",
        refs=Refs(person_id=proposal.person_id, notification_id=proposal.notification_id),
    )
    context = {
        "title": f"Step-down proposal {proposal.proposal_ref}",
        "proposal": proposal,
        "matches": matches,
        "form": form,
        **_links(),
    }
    return render(request, "web/unit/stepdown_decide.html", context)
