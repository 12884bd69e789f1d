"""Journey 2, triage: the queue, a notification with its candidate matches, the decision,
telling the referrer, and notifications keyed at the front door."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from earlyhelp.audit.services import Refs
from earlyhelp.casework import selectors as casework
from earlyhelp.casework.selectors_matching import MatchWithHistory, person_matches_with_history
from earlyhelp.casework.services import notification_route
from earlyhelp.casework.services.routing import RouteResult
from earlyhelp.common import clock
from earlyhelp.common.errors import NotFound
from earlyhelp.domain.codes import (
    ASSESSMENT_DECISIONS,
    SAME_DAY_CATEGORIES,
    THRESHOLD_LEVELS,
    OrgKind,
    TriageDecision,
    UserRole,
    label,
)
from earlyhelp.frontdoor import selectors as frontdoor
from earlyhelp.frontdoor import services as frontdoor_services
from earlyhelp.frontdoor.linking import (
    NewChild,
    notification_create_for_new_child,
    notification_link_person,
)
from earlyhelp.frontdoor.models import Notification
from earlyhelp.frontdoor.policies import may_triage
from earlyhelp.frontdoor.services import notification_create, notification_referrer_informed
from earlyhelp.organisation.selectors import units_of_kind
from earlyhelp.people import selectors as people
from earlyhelp.web.forms_triage import (
    KNOWN,
    InformedForm,
    LinkForm,
    NewNotificationForm,
    QueueFilterForm,
    TriageForm,
)
from earlyhelp.web.views.base import found, log_view, run_service

# Roles that read notifications (within their scope); triage officers also act on them.
READERS = {UserRole.TRIAGE_OFFICER, UserRole.PRACTITIONER, UserRole.UNIT_LEADER, UserRole.MANAGER}
MATCHES_SHOWN = 10
# The service's refusals about the person linked are about the whole form (its field is hidden).
NON_FIELD = "__all__"
# A notification keyed on an earlier day than today is taken as received at this time.
EARLIER_DAY_TIME = time(9, 0)


def has_route(name: str) -> bool:
    """Whether a page of another journey is routed (its links are shown when it is)."""
    try:
        reverse(name, args=[1])
    except NoReverseMatch:
        return False
    return True


def _links() -> dict[str, bool]:
    return {
        "case_url": has_route("case"),
        "person_url": has_route("person"),
        "family_url": has_route("family"),
        "notification_url": True,
    }


def _triage_only(request: HttpRequest) -> None:
    if not may_triage(request.user):
        raise PermissionDenied("Only triage officers can do this.")


def _notification(request: HttpRequest, notification_id: int) -> Notification:
    if request.user.role not in READERS:
        raise Http404("No notification was found.")
    return found(frontdoor.notification_get, user=request.user, notification_id=notification_id)


# --- the queue ------------------------------------------------------------------------------


def _filter_tags(request: HttpRequest, form: QueueFilterForm) -> list[dict[str, str]]:
    """Each filter chosen, with the querystring that removes it (MOJ filter tags)."""
    tags = []
    for value in form.cleaned_data.get("category", []):
        query = request.GET.copy()
        query.setlist("category", [v for v in query.getlist("category") if v != value])
        tags.append({"text": label(value), "query": query.urlencode()})
    if form.cleaned_data.get("overdue"):
        query = request.GET.copy()
        query.pop("overdue", None)
        tags.append({"text": "Overdue only", "query": query.urlencode()})
    return tags


@require_GET
@login_required
def triage_queue(request: HttpRequest) -> HttpResponse:
    _triage_only(request)
    form = QueueFilterForm(request.GET)
    form.is_valid()  # unknown values are dropped; the queue shows what remains
    chosen = form.cleaned_data
    queue = frontdoor.triage_queue_filtered(
        user=request.user,
        categories=list(chosen.get("category", [])),
        overdue_only=bool(chosen.get("overdue")),
    )
    context = {
        "title": "Triage queue",
        "form": form,
        "queue": queue,
        "tags": _filter_tags(request, form),
        "notification_url": True,
    }
    return render(request, "web/triage/queue.html", context)


# --- one notification -----------------------------------------------------------------------


@dataclass(frozen=True)
class Due:
    """When the notification must be triaged by, and how that stands today."""

    due_on: date
    days_left: int
    same_day: bool
    pending: bool

    @property
    def overdue(self) -> bool:
        return self.pending and self.days_left < 0

    @property
    def days_late(self) -> int:
        return max(0, -self.days_left)


def _due(notification: Notification) -> Due:
    return Due(
        due_on=notification.due_on,
        days_left=(notification.due_on - clock.today()).days,
        same_day=notification.category in SAME_DAY_CATEGORIES,
        pending=notification.is_pending,
    )


def _matches(request: HttpRequest, notification: Notification) -> list[MatchWithHistory]:
    """Known people who may be the notification's child (the child's own record left out)."""
    child = notification.person
    matches = person_matches_with_history(
        user=request.user,
        given_name=child.given_name,
        family_name=child.family_name,
        date_of_birth=child.date_of_birth,
        postcode=notification.family.postcode or None,
        limit=MATCHES_SHOWN + 1,
    )
    return [m for m in matches if m.person_id != child.pk][:MATCHES_SHOWN]


def _age(born: date | None) -> str:
    if born is None:
        return ""
    today = clock.today()
    years = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    return f"{years}" if years >= 1 else "under 1"


def notification_context(
    request: HttpRequest, notification: Notification, *, with_matches: bool = False
) -> dict[str, Any]:
    """What the notification page, and the forms shown with it, show of the notification."""
    user = request.user
    triage = with_matches and may_triage(user) and notification.is_pending
    return {
        "notification": notification,
        "title": f"Notification {notification.notification_ref}",
        "due": _due(notification),
        "age": _age(notification.person.date_of_birth),
        "levels": THRESHOLD_LEVELS,
        "outcome": found(casework.notification_outcome, user=user, notification_id=notification.pk),
        "open_cases": casework.family_open_cases_minimal(
            user=user, family_id=notification.family_id
        ),
        "may_triage": may_triage(user),
        "matches": _matches(request, notification) if triage else None,
        **_links(),
    }


def _show_notification(
    request: HttpRequest, notification: Notification, **extra: Any
) -> HttpResponse:
    context = notification_context(request, notification, with_matches=True)
    context["members"] = found(
        people.family_members, user=request.user, family_id=notification.family_id
    )
    context["version_form"] = LinkForm(initial=LinkForm.versioned_initial(notification))
    told = notification.referrer_informed_at is not None
    if may_triage(request.user) and not notification.is_pending and not told:
        context["informed_form"] = InformedForm(
            initial=InformedForm.versioned_initial(notification)
        )
    context.update(extra)
    _log_notification(request, notification)
    return render(request, "web/triage/notification.html", context, status=200)


def _log_notification(request: HttpRequest, notification: Notification, page: str = "") -> None:
    log_view(
        request,
        what=f"notification {notification.notification_ref}" + (f" ({page})" if page else ""),
        refs=Refs(family_id=notification.family_id, person_id=notification.person_id),
    )


@require_GET
@login_required
def notification_page(request: HttpRequest, notification_id: int) -> HttpResponse:
    notification = _notification(request, notification_id)
    if frontdoor_services.notification_screening_start(
        user=request.user, notification=notification
    ):
        notification.refresh_from_db()
    return _show_notification(request, notification)


@require_POST
@login_required
def notification_link(request: HttpRequest, notification_id: int) -> HttpResponse:
    """ "This is the same child": the notification now names the known child and family."""
    _triage_only(request)
    notification = _notification(request, notification_id)
    form = LinkForm(request.POST)
    if form.is_valid():
        person = found(people.person_get, user=request.user, person_id=form.cleaned_data["person"])
        linked = run_service(
            form,
            notification_link_person,
            field_map={"person": NON_FIELD},
            user=request.user,
            notification=form.as_seen(notification),
            version=form.cleaned_data["version"],
            person=person,
        )
        if linked is not None:
            messages.success(
                request,
                f"{linked.notification_ref} is now about {person.full_name} "
                f"({person.person_ref}), of family {person.family.family_ref}.",
            )
            return redirect("notification", notification.pk)
    fresh = _notification(request, notification_id)
    return _show_notification(request, fresh, form=form)


# --- triage ---------------------------------------------------------------------------------


def _decided(result: RouteResult) -> str:
    n = result.notification
    level = n.threshold_level or 0
    said = (
        f"{n.notification_ref} triaged: level {level} ({THRESHOLD_LEVELS.get(level, '')}), "
        f"{label(n.triage_decision).lower()}."
    )
    if result.case is not None:
        worker = result.case.worker.name if result.case.worker else "no lead practitioner yet"
        return f"{said} Case {result.case.case_ref} opened in {result.case.unit.name}, {worker}."
    if result.linked_case is not None:
        return f"{said} Linked to case {result.linked_case.case_ref}."
    if result.scs_referral is not None:
        return f"{said} The referral to Specialist Children's Services is recorded."
    return said


def _after_triage(request: HttpRequest, result: RouteResult) -> HttpResponse:
    messages.success(request, _decided(result))
    if result.case is not None:
        try:
            casework.case_get(user=request.user, case_id=result.case.pk)
        except NotFound:
            pass  # triage officers do not open case pages: back to the notification
        else:
            if has_route("case"):
                return redirect("case", result.case.pk)
    return redirect("notification", result.notification.pk)


def _route(request: HttpRequest, form: TriageForm, notification: Notification) -> Any:
    data = form.cleaned_data
    opens_case = data["decision"] in ASSESSMENT_DECISIONS
    return run_service(
        form,
        notification_route,
        user=request.user,
        notification=form.as_seen(notification),
        version=data["version"],
        threshold_level=data["threshold_level"],
        decision=data["decision"],
        decision_reason=data["decision_reason"],
        unit=form.chosen_unit() if opens_case else None,
        worker=form.chosen_worker() if opens_case else None,
        scs_reason=data["scs_reason"] if data["decision"] == TriageDecision.STEP_UP_SCS else "",
    )


def _already_triaged(notification: Notification) -> str:
    when = clock.local_date(notification.triaged_at) if notification.triaged_at else None
    on = f" on {when:%-d %B %Y}" if when else ""
    by = f" by {notification.triaged_by_name}" if notification.triaged_by_name else ""
    return (
        f"{notification.notification_ref} has already been triaged{by}{on}: "
        f"{label(notification.triage_decision).lower()}. It cannot be triaged again."
    )


@require_http_methods(["GET", "POST"])
@login_required
def notification_triage(request: HttpRequest, notification_id: int) -> HttpResponse:
    _triage_only(request)
    notification = _notification(request, notification_id)
    allocation = casework.triage_allocation_choices(district_id=notification.family.district_id)
    form = TriageForm(
        request.POST if request.method == "POST" else None,
        initial=TriageForm.versioned_initial(notification),
        allocation=allocation,
        district=notification.family.district,
    )
    refused = "" if notification.is_pending else _already_triaged(notification)
    if not refused and form.is_valid():
        result = _route(request, form, notification)
        if result is not None:
            return _after_triage(request, result)
        fresh = _notification(request, notification_id)
        if not fresh.is_pending:  # someone else triaged it while this form was open
            notification, refused = fresh, _already_triaged(fresh)
        else:
            form.after_refusal(fresh)
    context = notification_context(request, notification)
    context.update({"form": form, "refused": refused, "title": "Triage the notification"})
    _log_notification(request, notification, "triage")
    return render(request, "web/triage/triage.html", context)


# --- telling the referrer -------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@login_required
def notification_informed(request: HttpRequest, notification_id: int) -> HttpResponse:
    _triage_only(request)
    notification = _notification(request, notification_id)
    form = InformedForm(
        request.POST if request.method == "POST" else None,
        initial=InformedForm.versioned_initial(notification),
    )
    if form.is_valid():
        told = run_service(
            form,
            notification_referrer_informed,
            user=request.user,
            notification=form.as_seen(notification),
            version=form.cleaned_data["version"],
            how=form.told(),
        )
        if told is not None:
            messages.success(request, f"Recorded that the referrer was told by {form.told()}.")
            return redirect("notification", notification.pk)
        form.after_refusal(_notification(request, notification_id))
    context = notification_context(request, notification)
    context.update({"form": form, "title": "Record what the referrer was told"})
    _log_notification(request, notification, "referrer told")
    return render(request, "web/triage/informed.html", context)


# --- a notification keyed at the front door ---------------------------------------------------


NEW_CHILD_FIELDS = ("given_name", "family_name", "date_of_birth", "sex", "postcode")


def _received_at(on: date) -> datetime:
    if on == clock.today():
        return clock.now()
    return datetime.combine(on, EARLIER_DAY_TIME, tzinfo=clock.LONDON)


def _details(form: NewNotificationForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {
        "received_at": _received_at(data["received_on"]),
        "source": data["source"],
        "category": data["category"],
        "reason": data["reason"],
        "what_has_been_tried": data["what_has_been_tried"],
        "family_consent": form.consent(),
        "referrer_name": data["referrer_name"].strip(),
        "referrer_organisation": data["referrer_organisation"].strip(),
        "referrer_email": data["referrer_email"].strip(),
        "referrer_phone": data["referrer_phone"].strip(),
    }


def _create(request: HttpRequest, form: NewNotificationForm) -> Notification | None:
    data = form.cleaned_data
    field_map = {"received_at": "received_on"}
    if data["who"] == KNOWN:
        try:
            person = people.person_by_ref(user=request.user, ref=data["person_ref"])
        except NotFound:
            form.add_error(
                "person_ref", f"No child with the reference {data['person_ref']} was found."
            )
            return None
        if person.merged_into_id is not None:
            form.add_error(
                "person_ref", "That record was merged into another: use the record kept."
            )
            return None
        return run_service(
            form, notification_create, field_map, user=request.user, person=person, **_details(form)
        )
    child = NewChild(
        **{name: data[name] for name in NEW_CHILD_FIELDS},
        district=form.chosen_district(),
        address_line_1=data["address_line_1"],
        town=data["town"],
    )
    return run_service(
        form,
        notification_create_for_new_child,
        field_map,
        user=request.user,
        child=child,
        **_details(form),
    )


@require_http_methods(["GET", "POST"])
@login_required
def notification_new(request: HttpRequest) -> HttpResponse:
    _triage_only(request)
    districts = sorted(units_of_kind(kind=OrgKind.DISTRICT), key=lambda d: d.name)
    form = NewNotificationForm(
        request.POST if request.method == "POST" else None,
        initial={"received_on": clock.today()},
        districts=districts,
    )
    if form.is_valid():
        notification = _create(request, form)
        if notification is not None:
            messages.success(
                request,
                f"Notification {notification.notification_ref} is recorded. "
                "Check the candidate matches, then triage it.",
            )
            return redirect("notification", notification.pk)
    return render(
        request, "web/triage/new.html", {"form": form, "title": "Record a new notification"}
    )
