"""Journey 4, the case: reviews of the plan, case notes and the case's history."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.views.decorators.http import require_GET, require_http_methods

from earlyhelp.audit.selectors import case_events_for_case
from earlyhelp.casework import selectors as casework
from earlyhelp.casework import services
from earlyhelp.domain.codes import UserRole
from earlyhelp.domain.codes import label as code_label
from earlyhelp.domain.events import TITLES, EventKind
from earlyhelp.web.forms_case import AssessmentForm, NoteForm, ReviewForm, VersionedForm
from earlyhelp.web.views.base import found, run_service
from earlyhelp.web.views.case import case_page, done, may_write, show_case

PAGE_SIZE = 25


# --- reviews and notes ---------------------------------------------------------------------


@case_page
@require_http_methods(["GET", "POST"])
def case_reviews(request: HttpRequest, case_id: int) -> HttpResponse:
    case = found(casework.case_get, user=request.user, case_id=case_id)
    form = ReviewForm(
        request.POST if request.method == "POST" else None,
        initial=VersionedForm.versioned_initial(case),
    )
    if form.is_valid():
        review = run_service(
            form,
            services.review_record,
            user=request.user,
            case=form.as_seen(case),
            version=form.cleaned_data["version"],
            review_date=form.cleaned_data["review_date"],
            summary=form.cleaned_data["summary"],
            scale=form.cleaned_data["scale"],
        )
        if review is not None:
            return done(request, "The review is recorded.", "case-reviews", case)
        form.after_refusal(case)
    return show_case(
        request,
        "reviews.html",
        case,
        "case-reviews",
        "Reviews",
        form=form,
        reviews=list(casework.reviews_of(user=request.user, case_id=case.pk)),
        can_record=case.is_open and case.plan_agreed_on and may_write(request.user, case),
    )


@case_page
@require_http_methods(["GET", "POST"])
def case_notes(request: HttpRequest, case_id: int) -> HttpResponse:
    case = found(casework.case_get, user=request.user, case_id=case_id)
    form = NoteForm(request.POST if request.method == "POST" else None)
    if form.is_valid():
        note = run_service(
            form,
            services.case_note_add,
            user=request.user,
            case=case,
            occurred_on=form.cleaned_data["occurred_on"],
            kind=form.cleaned_data["kind"],
            text=form.cleaned_data["text"],
        )
        if note is not None:
            return done(request, "The note is added.", "case-notes", case)
    notes = casework.notes_of(user=request.user, case_id=case.pk)
    return show_case(
        request,
        "notes.html",
        case,
        "case-notes",
        "Case notes",
        form=form,
        page_obj=Paginator(notes, PAGE_SIZE).get_page(request.GET.get("page")),
        can_add=may_write(request.user, case) or request.user.role == UserRole.MANAGER,
    )


# --- history -------------------------------------------------------------------------------


@dataclass(frozen=True)
class TimelineItem:
    title: str
    on: date
    by: str
    text: str


def _joined(items: object) -> str:
    return "; ".join(str(i) for i in items) if isinstance(items, list) else ""


SENTENCES: dict[str, Callable[[dict[str, Any]], str]] = {
    EventKind.CASE_OPENED: lambda d: (
        f"Opened in {d.get('unit') or 'the unit'}"
        + (f", led by {d['worker']}." if d.get("worker") else ".")
    ),
    EventKind.CASE_ALLOCATED: lambda d: (
        f"Allocated to {d.get('worker') or 'no lead practitioner yet'} in {d.get('unit', '')}."
        + (f" Reason: {d['reason']}" if d.get("reason") else "")
    ),
    EventKind.ASSESSMENT_STARTED: lambda d: "The whole-family assessment started.",
    EventKind.ASSESSMENT_UPDATED: lambda d: (
        "Changed: " + ", ".join(_assessment_label(f) for f in d["fields"]) + "."
        if d.get("fields")
        else "Saved without changes."
    ),
    EventKind.ASSESSMENT_COMPLETED: lambda d: (
        "The assessment was completed"
        + (f", scaled {d['scale']} out of 10." if d.get("scale") is not None else ".")
    ),
    EventKind.PLAN_AGREED: lambda d: (
        f"Outcomes agreed with the family: {_joined(d['outcomes'])}."
        if d.get("outcomes")
        else "The family plan was agreed."
    ),
    EventKind.PLAN_UPDATED: lambda d: (
        f"Outcome added: {d['added_outcome']}"
        if "added_outcome" in d
        else f"Action added: {d['added_action']}"
        if "added_action" in d
        else f"{d.get('action', 'An action')}: {code_label(d.get('status', '')).lower()}."
    ),
    EventKind.REVIEW_RECORDED: lambda d: (
        f"Scaled {d['scale']} out of 10." if d.get("scale") is not None else "Plan reviewed."
    ),
    EventKind.NOTE_ADDED: lambda d: f"{code_label(d.get('kind', 'CASE_RECORDING'))} recorded.",
    EventKind.CASE_CLOSED: lambda d: (
        f"Closed: {code_label(d.get('reason', '')).lower()}."
        + (f" {d['summary']}" if d.get("summary") else "")
    ),
    EventKind.CASE_REOPENED: lambda d: f"Reason: {d.get('reason', '')}",
    EventKind.STEPPED_UP: lambda d: f"Reason: {d.get('reason', '')}",
    EventKind.NOTIFICATION_LINKED: lambda d: f"Notification {d.get('linked', '')} linked.",
}


def _assessment_label(name: str) -> str:
    field = AssessmentForm.base_fields.get(name)
    return str(field.label).lower() if field else name.replace("_", " ")


def timeline_item(event: Any) -> TimelineItem:
    sentence = SENTENCES.get(event.kind)
    return TimelineItem(
        title=TITLES.get(event.kind, code_label(event.kind)),  # type: ignore[call-overload]
        on=event.occurred_on,
        by=event.actor_name,
        text=sentence(event.data or {}) if sentence else "",
    )


@case_page
@require_GET
def case_history(request: HttpRequest, case_id: int) -> HttpResponse:
    case = found(casework.case_get, user=request.user, case_id=case_id)
    page = Paginator(case_events_for_case(case_id=case.pk), PAGE_SIZE * 2).get_page(
        request.GET.get("page")
    )
    return show_case(
        request,
        "history.html",
        case,
        "case-history",
        "Case history",
        page_obj=page,
        items=[timeline_item(event) for event in page],
        allocations=list(casework.allocation_history(user=request.user, case_id=case.pk)),
    )
