"""Journey: the partner portal, continued. Check your answers and send; the confirmation;
what has happened to the notifications a partner sent (their progress, never case content).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django import forms
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from earlyhelp.casework.selectors_partner import (
    PartnerView,
    partner_status,
    partner_submission_list,
    partner_views,
)
from earlyhelp.common import clock
from earlyhelp.common.errors import InvalidInput
from earlyhelp.domain.submissions import Stage
from earlyhelp.frontdoor.submissions import draft_delete, partner_submission_create
from earlyhelp.web.forms_portal import (
    BOOLEAN_FIELDS,
    DATE_FIELDS,
    STEP_OF_FIELD,
    STEPS,
    Step,
    answers_of,
    portal_errors,
)
from earlyhelp.web.views.base import found
from earlyhelp.web.views.portal import _draft, log_partner_views, partner_only, step_url

PAGE_SIZE = 25


@dataclass(frozen=True, slots=True)
class Row:
    name: str
    label: str
    value: str
    change_url: str


@dataclass(frozen=True, slots=True)
class Card:
    step: Step
    rows: list[Row]


@dataclass(frozen=True, slots=True)
class Problem:
    message: str
    url: str


def _shown(field: forms.Field, name: str, value: object) -> str:
    if name in DATE_FIELDS:
        if isinstance(value, list):
            return f"{' / '.join(str(p) for p in value)} (not a real date)"
        return date.fromisoformat(str(value)).strftime("%-d %B %Y") if value else "Not given"
    if name in BOOLEAN_FIELDS:
        return {True: "Yes", False: "No"}.get(value, "Not answered")  # type: ignore[call-overload]
    if isinstance(field, forms.ChoiceField) and value:
        return str(dict(field.choices).get(value, value))
    return str(value).strip() if value else "Not given"


def _cards(answers: dict[str, object], draft_id: int) -> list[Card]:
    cards = []
    for step in STEPS:
        change = step_url(step, draft_id, returning=True)
        rows = [
            Row(name, str(field.label), _shown(field, name, answers.get(name)), change)
            for name, field in step.form.base_fields.items()
        ]
        cards.append(Card(step, rows))
    return cards


def _problems(errors: dict[str, str], draft_id: int) -> list[Problem]:
    problems = []
    for name, message in errors.items():
        step = STEP_OF_FIELD.get(name, STEPS[0])
        problems.append(Problem(message, f"{step_url(step, draft_id, returning=True)}#id_{name}"))
    return problems


@never_cache
@require_http_methods(["GET", "POST"])
@partner_only
def portal_check(request: HttpRequest, draft_id: int) -> HttpResponse:
    """Check your answers, then send: every answer is checked again before anything is sent."""
    user = request.user
    if request.method == "POST":
        sent = partner_submission_list(user=user).filter(
            partner_submission__idempotency_key=f"draft-{draft_id}"
        )
        already = sent.first()
        if already is not None:  # sent already (a second click on "Send")
            return redirect("portal-sent", notification_ref=already.notification_ref)
    draft = _draft(user, draft_id)
    problems: list[Problem] = []
    if request.method == "POST":
        errors = portal_errors(draft.answers, today=clock.today())
        if not errors:
            try:
                submitted = partner_submission_create(
                    user=user,
                    answers=answers_of(draft.answers),
                    idempotency_key=f"draft-{draft.pk}",
                )
            except InvalidInput as error:
                errors = {name: messages_[0] for name, messages_ in error.errors.items()}
            else:
                draft_delete(user=user, draft=draft)
                ref = submitted.reference
                return redirect("portal-sent", notification_ref=ref)
        problems = _problems(errors, draft.pk)
    context = {
        "title": "Check your answers before sending the notification",
        "draft": draft,
        "cards": _cards(draft.answers, draft.pk),
        "problems": problems,
        "back_url": step_url(STEPS[-1], draft.pk),
    }
    return render(request, "web/portal/check.html", context)


@require_GET
@partner_only
def portal_sent(request: HttpRequest, notification_ref: str) -> HttpResponse:
    view = found(partner_status, user=request.user, notification_ref=notification_ref)
    log_partner_views(request, [view])
    context = {
        "title": "Notification sent",
        "view": view,
        "same_day": view.due_on <= clock.local_date(view.received_at),
    }
    return render(request, "web/portal/sent.html", context)


@require_GET
@partner_only
def portal_notifications(request: HttpRequest) -> HttpResponse:
    """The notifications this account sent, newest first, with how far each has got."""
    page = Paginator(partner_submission_list(user=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    rows = partner_views(user=request.user, notifications=list(page.object_list))
    log_partner_views(request, rows)
    count = page.paginator.count
    caption = f"{count} notification{'s' if count != 1 else ''}"
    context = {"title": "Your notifications", "page_obj": page, "rows": rows, "caption": caption}
    return render(request, "web/portal/notifications.html", context)


@dataclass(frozen=True, slots=True)
class Milestone:
    title: str
    reached: bool
    when: str
    text: str = ""
    withheld: bool = False  # reached or not is the family's to share


def _milestones(view: PartnerView) -> list[Milestone]:
    order = list(Stage)
    at = order.index(view.stage)
    unit = f"Allocated to {view.unit_name}." if view.unit_name else ""
    withheld = view.decided_at is not None and not view.shared
    return [
        Milestone("Received", True, f"{view.received_at:%-d %B %Y}"),
        Milestone(
            "Being screened",
            view.screening_started_at is not None or at >= order.index(Stage.BEING_SCREENED),
            f"{view.screening_started_at:%-d %B %Y}" if view.screening_started_at else "",
        ),
        Milestone(
            "Decision made",
            view.decided_at is not None,
            f"{view.decided_at:%-d %B %Y}" if view.decided_at else "",
        ),
        Milestone(
            "Allocated to an Early Help Unit",
            at >= order.index(Stage.ALLOCATED),
            "",
            unit,
            withheld=withheld,
        ),
        Milestone(
            "Closed",
            view.stage == Stage.CLOSED,
            f"{view.closed_on:%-d %B %Y}" if view.closed_on else "",
            withheld=withheld,
        ),
    ]


@require_GET
@partner_only
def portal_notification(request: HttpRequest, notification_ref: str) -> HttpResponse:
    """One notification's progress: received, screened, decided (in time or not), and what
    was decided and where it went only when the family agreed it may be shared."""
    view = found(partner_status, user=request.user, notification_ref=notification_ref)
    log_partner_views(request, [view])
    today = clock.today()
    context = {
        "title": f"Notification {view.notification_ref}",
        "view": view,
        "milestones": _milestones(view),
        "overdue": view.decided_at is None and view.due_on < today,
    }
    return render(request, "web/portal/notification.html", context)
