"""Journey 3: the family and person record, editing a person, merging two records."""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_GET, require_http_methods

from earlyhelp.audit.models import CaseEvent
from earlyhelp.audit.services import Actor, Refs
from earlyhelp.casework import selectors as casework
from earlyhelp.casework.models import Case
from earlyhelp.common import clock
from earlyhelp.domain.codes import THRESHOLD_LEVELS, Category, label
from earlyhelp.domain.events import TITLES, EventKind
from earlyhelp.frontdoor import selectors as frontdoor
from earlyhelp.frontdoor.models import Notification
from earlyhelp.people import selectors as people
from earlyhelp.people import services as people_services
from earlyhelp.people.models import Family, Person
from earlyhelp.people.policies import may_edit_people
from earlyhelp.web.forms_family import (
    ETHNICITY_LABELS,
    FIELD_LABELS,
    SEX_LABELS,
    MergeChooseForm,
    MergeConfirmForm,
    PersonForm,
    seen_token,
    seen_values,
)
from earlyhelp.web.views.base import found, log_view, run_service
from earlyhelp.web.views.dataprotection import family_data_protection

TIMELINE_PAGE = 20
# The merge service's refusals (conflicting identifiers, a record merged already) are
# shown on the confirmation the user gives.
MERGE_FIELD_MAP = {
    "nhs_number": "confirm",
    "upn": "confirm",
    "keep": "confirm",
    "duplicate": "confirm",
}


def has_route(name: str) -> bool:
    """Whether a page is routed (links to pages of other journeys are shown when they are)."""
    try:
        reverse(name, args=[1])
    except NoReverseMatch:
        return False
    return True


def _links() -> dict[str, bool]:
    return {"case_url": has_route("case"), "notification_url": has_route("notification")}


# --- what people and events read as ---------------------------------------------------------


def nhs_spaced(value: str) -> str:
    """An NHS number as it is written: 3-3-4 digits."""
    return f"{value[:3]} {value[3:6]} {value[6:]}" if len(value) == 10 else value


def age_of(born: date | None, today: date) -> str:
    if born is None:
        return "Not known"
    years = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
    if years >= 1:
        return f"{years}"
    months = (today.year - born.year) * 12 + today.month - born.month - (today.day < born.day)
    return f"{max(months, 0)} month{'s' if months != 1 else ''}"


def _words(value: object) -> str:
    return label(str(value)) if value else ""


@dataclass
class Lookup:
    """Names of the records events refer to, read once for a page of the timeline."""

    cases: dict[int, str] = field(default_factory=dict)
    people: dict[int, str] = field(default_factory=dict)

    def case(self, event: CaseEvent) -> str:
        return self.cases.get(event.case_id or 0, "")


def _opened(d: dict, _e: CaseEvent, _l: Lookup) -> str:
    worker = d.get("worker") or "no lead practitioner yet"
    return f"Case {d.get('ref', '')} opened in {d.get('unit', 'a unit')}, with {worker}."


def _received(d: dict, e: CaseEvent, lk: Lookup) -> str:
    about = lk.people.get(e.person_id or 0)
    who = f" about {about}" if about else ""
    return f"{d.get('ref', 'A notification')} from {_words(d.get('source')) or 'a partner'}{who}."


def _triaged(d: dict, _e: CaseEvent, _l: Lookup) -> str:
    level = d.get("level")
    need = f"Level of need {level} ({THRESHOLD_LEVELS.get(level, '')}). " if level else ""
    reason = f" {d['reason']}" if d.get("reason") else ""
    return f"{need}Decision: {_words(d.get('decision')).lower()}.{reason}"


def _plan(d: dict, _e: CaseEvent, _l: Lookup) -> str:
    outcomes = d.get("outcomes") or []
    if not outcomes:
        return "The family plan was agreed."
    count = f"{len(outcomes)} outcome{'s' if len(outcomes) != 1 else ''}"
    return f"The family plan was agreed with {count}: " + "; ".join(map(str, outcomes)) + "."


def _plan_updated(d: dict, _e: CaseEvent, _l: Lookup) -> str:
    if d.get("added_outcome"):
        return f"Outcome added: {d['added_outcome']}."
    if d.get("added_action"):
        return f"Action added: {d['added_action']}."
    return f"Action “{d.get('action', '')}” is now {_words(d.get('status')).lower()}."


def _scale(d: dict, what: str) -> str:
    scale = d.get("scale")
    return f"{what}, scaled {scale} out of 10." if scale is not None else f"{what}."


def _merged(d: dict, _e: CaseEvent, _l: Lookup) -> str:
    moved = ", ".join(FIELD_LABELS.get(f, f).lower() for f in d.get("identifiers_moved") or [])
    also = f" Copied across: {moved}." if moved else ""
    merged, kept = d.get("merged_person_ref", ""), d.get("kept_person_ref", "")
    return f"Record {merged} was merged into {kept}.{also}"


SENTENCES: dict[str, Callable[[dict, CaseEvent, Lookup], str]] = {
    EventKind.NOTIFICATION_RECEIVED: _received,
    EventKind.STEP_DOWN_RECEIVED: _received,
    EventKind.NOTIFICATION_TRIAGED: _triaged,
    EventKind.REFERRER_INFORMED: lambda d, e, lk: f"The referrer was told by {d.get('how', '')}.",
    EventKind.NOTIFICATION_LINKED: lambda d, e, lk: (
        f"{d.get('linked', 'A notification')} was linked to case {lk.case(e)}, already open."
    ),
    EventKind.CASE_OPENED: _opened,
    EventKind.CASE_ALLOCATED: lambda d, e, lk: (
        f"Allocated to {d.get('worker') or 'no one yet'} "
        f"in {d.get('unit', 'the unit')}." + (f" {d['reason']}" if d.get("reason") else "")
    ),
    EventKind.ASSESSMENT_STARTED: lambda d, e, lk: f"The assessment of {lk.case(e)} started.",
    EventKind.ASSESSMENT_UPDATED: lambda d, e, lk: (
        "Updated: "
        + ", ".join(str(f).replace("_", " ") for f in d.get("fields") or ["the assessment"])
        + "."
    ),
    EventKind.ASSESSMENT_COMPLETED: lambda d, e, lk: _scale(d, "The assessment was completed"),
    EventKind.PLAN_AGREED: _plan,
    EventKind.PLAN_UPDATED: _plan_updated,
    EventKind.REVIEW_RECORDED: lambda d, e, lk: _scale(d, "The plan was reviewed"),
    EventKind.NOTE_ADDED: lambda d, e, lk: f"{_words(d.get('kind')) or 'A note'} recorded.",
    EventKind.CASE_CLOSED: lambda d, e, lk: (
        f"Case {lk.case(e)} closed: "
        f"{_words(d.get('reason')).lower()}." + (f" {d['summary']}" if d.get("summary") else "")
    ),
    EventKind.CASE_REOPENED: lambda d, e, lk: f"Case {lk.case(e)} re-opened: {d.get('reason', '')}",
    EventKind.STEPPED_UP: lambda d, e, lk: (
        f"Referred to Specialist Children's Services: {d.get('reason', '')}"
    ),
    EventKind.PERSON_MERGED: _merged,
}


@dataclass(frozen=True)
class TimelineItem:
    title: str
    on: date
    actor: str
    sentence: str
    case_id: int | None


def timeline_items(events: Iterable[CaseEvent], lookup: Lookup) -> list[TimelineItem]:
    items = []
    for event in events:
        describe = SENTENCES.get(event.kind)
        data = event.data if isinstance(event.data, dict) else {}
        items.append(
            TimelineItem(
                title=TITLES.get(event.kind, _words(event.kind)),  # type: ignore[call-overload]
                on=event.occurred_on,
                actor=event.actor_name or "the system",
                sentence=describe(data, event, lookup).strip() if describe else "",
                case_id=event.case_id if event.case_id in lookup.cases else None,
            )
        )
    return items


def _timeline_page(request: HttpRequest, events: QuerySet[CaseEvent], lookup: Lookup) -> Page:
    page = Paginator(events, TIMELINE_PAGE).get_page(request.GET.get("page"))
    page.object_list = timeline_items(page.object_list, lookup)
    return page


# --- the family record ----------------------------------------------------------------------


@dataclass(frozen=True)
class Member:
    person: Person
    age: str
    nhs: str


def _members(user: object, family_id: int, today: date) -> list[Member]:
    rows = found(people.family_members, user=user, family_id=family_id)
    return [
        Member(person=p, age=age_of(p.date_of_birth, today), nhs=nhs_spaced(p.nhs_number))
        for p in rows.prefetch_related("relationships__other")
    ]


def _alerts(
    family: Family, open_cases: list[casework.CaseStatus], notifications: list[Notification]
) -> list[str]:
    alerts = []
    if family.restricted:
        alerts.append("This family's record is restricted to named staff.")
    for status in open_cases:
        worker = status.case.worker.name if status.case.worker else "no lead practitioner yet"
        alerts.append(
            f"Case {status.case.case_ref} is open with {status.case.unit.name} ({worker})."
        )
    for n in notifications:
        if n.is_pending:
            alerts.append(
                f"Notification {n.notification_ref} about {n.person.full_name} is waiting for "
                f"triage (due {n.due_on:%-d %B %Y})."
            )
    return alerts


def _history_alerts(step_ups: Iterable, notifications: list[Notification]) -> list[str]:
    alerts = [
        f"Stepped up to Specialist Children's Services on {s.referred_on:%-d %B %Y}."
        for s in step_ups
    ]
    alerts += [
        f"Stepped down from Specialist Children's Services: {n.notification_ref}, "
        f"received {clock.local_date(n.received_at):%-d %B %Y}."
        for n in notifications
        if n.category == Category.SCS_STEP_DOWN
    ]
    return alerts


def _case_rows(cases: Iterable[Case], today: date) -> list[casework.CaseStatus]:
    return [casework.case_status(c, today) for c in cases]


@require_GET
@login_required
def family_record(request: HttpRequest, family_id: int) -> HttpResponse:
    user = request.user
    today = clock.today()
    record = found(people.family_get, user=user, family_id=family_id)
    members = _members(user, family_id, today)
    cases = _case_rows(casework.cases_of_family(user=user, family_id=family_id), today)
    notifications = list(frontdoor.notifications_of_family(user=user, family_id=family_id))
    step_ups = casework.step_ups_of_families(user=user, family_ids=[family_id])
    lookup = Lookup(
        cases={s.case.pk: s.case.case_ref for s in cases},
        people={m.person.pk: m.person.full_name for m in members}
        | {n.person_id: n.person.full_name for n in notifications},
    )
    events = casework.family_timeline(user=user, family_id=family_id)
    log_view(request, what="family record", refs=Refs(family_id=record.pk))
    context = {
        "title": f"Family {record.family_ref}",
        "family": record,
        "members": members,
        "relationships": [
            (m.person, r.kind, r.other) for m in members for r in m.person.relationships.all()
        ],
        "cases": cases,
        "notifications": notifications,
        "alerts": _alerts(record, [s for s in cases if s.case.is_open], notifications),
        "history_alerts": _history_alerts(step_ups, notifications),
        "page_obj": _timeline_page(request, events, lookup),
        "data_protection": family_data_protection(user, record),
        **_links(),
    }
    return render(request, "web/family/family.html", context)


# --- the person record ----------------------------------------------------------------------


def _history(person: Person) -> tuple[list[int], list[int]]:
    """(ids of the person and the records merged into it, ids of their families)."""
    rows = people.person_history_map([person.pk]).get(person.pk) or [(person.pk, person.family_id)]
    return sorted({p for p, _ in rows}), sorted({f for _, f in rows})


@require_GET
@login_required
def person_record(request: HttpRequest, person_id: int) -> HttpResponse:
    user = request.user
    today = clock.today()
    person = found(people.person_get, user=user, person_id=person_id)
    person_ids, family_ids = _history(person)
    merged = list(people.person_list(user=user).filter(pk__in=person_ids).exclude(pk=person.pk))
    notifications = list(
        frontdoor.notification_list(user=user)
        .filter(person_id__in=person_ids)
        .order_by("-received_at")
    )
    cases = _case_rows(casework.cases_of_families(user=user, family_ids=family_ids), today)
    lookup = Lookup(
        cases={s.case.pk: s.case.case_ref for s in cases},
        people={p.pk: p.full_name for p in [person, *merged]},
    )
    events = casework.person_timeline(user=user, person_id=person.pk, family_ids=family_ids)
    log_view(
        request, what="person record", refs=Refs(family_id=person.family_id, person_id=person.pk)
    )
    context = {
        "title": person.full_name,
        "person": person,
        "age": age_of(person.date_of_birth, today),
        "nhs": nhs_spaced(person.nhs_number),
        "sex": SEX_LABELS.get(person.sex, person.sex),
        "ethnicity": ETHNICITY_LABELS.get(person.ethnicity, ""),
        "merged": merged,
        "relationships": _relationships(user, person),
        "notifications": notifications,
        "cases": cases,
        "page_obj": _timeline_page(request, events, lookup),
        "may_edit": may_edit_people(user) and person.merged_into_id is None,
        **_links(),
    }
    return render(request, "web/family/person.html", context)


def _relationships(user: object, person: Person) -> list[tuple[Person, str, Person]]:
    """(who, is what, of whom): the person's own and those of household members to them."""
    own = [
        (person, r.kind, r.other)
        for r in found(people.relationships_of, user=user, person_id=person.pk)
    ]
    household = found(people.family_members, user=user, family_id=person.family_id)
    theirs = [
        (member, r.kind, person)
        for member in household.prefetch_related("relationships")
        for r in member.relationships.all()
        if r.other_id == person.pk
    ]
    return own + theirs


# --- editing a person -----------------------------------------------------------------------


def _editable(request: HttpRequest, person_id: int) -> Person:
    """A person the user may see and change: not a record merged into another."""
    person = found(people.person_get, user=request.user, person_id=person_id)
    if person.merged_into_id is not None:
        raise Http404("That record was merged into another.")
    if not may_edit_people(request.user):
        raise PermissionDenied("You cannot change people's records.")
    return person


def _shown(name: str, value: object) -> str:
    if value in (None, ""):
        return "(blank)"
    if name == "sex":
        return SEX_LABELS.get(str(value), str(value))
    if name == "ethnicity":
        return ETHNICITY_LABELS.get(str(value), str(value))
    if name == "date_of_birth":
        return f"{date.fromisoformat(str(value)):%-d %B %Y}"
    if name == "nhs_number":
        return nhs_spaced(str(value))
    return str(value)


def stale_rows(changes: dict[str, tuple[object, object]]) -> list[tuple[str, str, str]]:
    """(field, what the user saw, what is stored now) for each field someone else changed."""
    return [
        (label_, _shown(name, changes[name][0]), _shown(name, changes[name][1]))
        for name, label_ in FIELD_LABELS.items()
        if name in changes
    ]


def _as_seen(person: Person, token: str) -> Person:
    """The record as the user saw it when the form was shown (to list others' changes)."""
    seen = copy.copy(person)
    for name, value in seen_values(token).items():
        setattr(seen, name, value)
    return seen


def _refresh(form: PersonForm | MergeConfirmForm, **values: object) -> None:
    """After a stale save: keep what the user typed, carry the versions now stored."""
    form.data = form.data.copy()
    for name, value in values.items():
        form.data[name] = str(value)


@require_http_methods(["GET", "POST"])
@login_required
def person_edit(request: HttpRequest, person_id: int) -> HttpResponse:
    person = _editable(request, person_id)
    form = PersonForm(request.POST) if request.method == "POST" else PersonForm.for_person(person)
    if request.method == "POST" and form.is_valid():
        saved = run_service(
            form,
            people_services.person_update,
            actor=Actor.of(request.user),
            person=_as_seen(person, form.cleaned_data["seen"]),
            version=form.cleaned_data["version"],
            **form.changes(),
        )
        if saved is not None:
            messages.success(request, f"{saved.full_name}'s record has been saved.")
            return redirect("person", person_id=saved.pk)
        if hasattr(form, "stale_changes"):
            _refresh(form, version=person.version, seen=seen_token(person))
    log_view(request, what="person record (edit)", refs=Refs(person.family_id, person.pk))
    context = {
        "title": f"Change {person.full_name}'s details",
        "person": person,
        "form": form,
        "stale": stale_rows(getattr(form, "stale_changes", {})),
    }
    return render(request, "web/family/person_edit.html", context)


# --- merging two records of one person ------------------------------------------------------


def _other_record(request: HttpRequest, keep: Person, ref: str) -> tuple[Person | None, str]:
    """The record to merge into `keep`, by reference, or why it cannot be."""
    ref = ref.strip().upper()
    other = people.person_list(user=request.user).filter(person_ref=ref).first()
    if other is None:
        return None, f"No record with the reference {ref} was found."
    if other.pk == keep.pk:
        return None, "That is this record: enter the reference of the other one."
    if other.merged_into_id is not None:
        return None, f"{ref} has already been merged into another record."
    return other, ""


def _compare(
    request: HttpRequest, keep: Person, other: Person, form: MergeConfirmForm
) -> HttpResponse:
    today = clock.today()
    notifications = frontdoor.notification_list(user=request.user)
    rows = []
    for person in (keep, other):
        rows.append(
            {
                "person": person,
                "age": age_of(person.date_of_birth, today),
                "sex": SEX_LABELS.get(person.sex, person.sex),
                "ethnicity": ETHNICITY_LABELS.get(person.ethnicity, "Not recorded"),
                "nhs": nhs_spaced(person.nhs_number),
                "notifications": notifications.filter(person_id=person.pk).count(),
            }
        )
        log_view(request, what="person record (merge)", refs=Refs(person.family_id, person.pk))
    conflicts = [
        words
        for name, words in (("nhs_number", "NHS numbers"), ("upn", "unique pupil numbers"))
        if getattr(keep, name)
        and getattr(other, name)
        and getattr(keep, name) != getattr(other, name)
    ]
    context = {
        "title": "Check the two records before merging them",
        "person": keep,
        "other": other,
        "rows": rows,
        "conflicts": conflicts,
        "form": form,
    }
    return render(request, "web/family/person_merge_check.html", context)


def _merge(request: HttpRequest, keep: Person) -> HttpResponse:
    form = MergeConfirmForm(request.POST)
    other, problem = _other_record(request, keep, request.POST.get("duplicate", ""))
    if other is None:
        choose = MergeChooseForm(request.POST)
        choose.is_valid()
        choose.add_error("duplicate", problem)
        return _choose(request, keep, choose)
    if form.is_valid():
        kept = run_service(
            form,
            people_services.person_merge,
            field_map=MERGE_FIELD_MAP,
            actor=Actor.of(request.user),
            keep=keep,
            duplicate=other,
            version_keep=form.cleaned_data["version_keep"],
            version_duplicate=form.cleaned_data["version_duplicate"],
        )
        if kept is not None:
            messages.success(request, f"{other.person_ref} has been merged into {kept.person_ref}.")
            return redirect("person", person_id=kept.pk)
        _refresh(form, version_keep=keep.version, version_duplicate=other.version)
    return _compare(request, keep, other, form)


def _choose(request: HttpRequest, keep: Person, form: MergeChooseForm) -> HttpResponse:
    log_view(request, what="person record (merge)", refs=Refs(keep.family_id, keep.pk))
    context = {
        "title": f"Merge another record into {keep.full_name}'s",
        "person": keep,
        "form": form,
    }
    return render(request, "web/family/person_merge.html", context)


@require_http_methods(["GET", "POST"])
@login_required
def person_merge(request: HttpRequest, person_id: int) -> HttpResponse:
    """Choose the duplicate by reference (GET), check both side by side, confirm (POST)."""
    keep = _editable(request, person_id)
    if request.method == "POST":
        return _merge(request, keep)
    if "duplicate" not in request.GET:
        return _choose(request, keep, MergeChooseForm())
    choose = MergeChooseForm(request.GET)
    if not choose.is_valid():
        return _choose(request, keep, choose)
    other, problem = _other_record(request, keep, choose.cleaned_data["duplicate"])
    if other is None:
        choose.add_error("duplicate", problem)
        return _choose(request, keep, choose)
    initial = {
        "duplicate": other.person_ref,
        "version_keep": keep.version,
        "version_duplicate": other.version,
    }
    return _compare(request, keep, other, MergeConfirmForm(initial=initial))
