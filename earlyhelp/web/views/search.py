"""Journey 7, search: people and cases within the user's scope; notifications by reference."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from earlyhelp.audit.services import Actor, Refs, access_record
from earlyhelp.casework import selectors as casework
from earlyhelp.common.errors import NotFound
from earlyhelp.domain.codes import UserRole
from earlyhelp.frontdoor import selectors as frontdoor
from earlyhelp.people import selectors as people
from earlyhelp.web.views.base import client_ip
from earlyhelp.web.views.triage import has_route

SEARCHERS = {UserRole.PRACTITIONER, UserRole.UNIT_LEADER, UserRole.MANAGER, UserRole.TRIAGE_OFFICER}
PAGE_SIZE = 20
MAX_QUERY = 100
# A reference: its letter (person, family, case, notification) and its number, which may be
# typed without the leading zeros (n123 is N0000123).
REFERENCE = re.compile(r"^([PFCN])-?0*(\d{1,12})$", re.IGNORECASE)
DATE = re.compile(r"^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$")
REF_KINDS: dict[str, tuple[str, Callable[..., Any]]] = {
    "P": ("person", people.person_by_ref),
    "F": ("family", people.family_by_ref),
    "C": ("case", casework.case_by_ref),
    "N": ("notification", frontdoor.notification_by_ref),
}


@dataclass
class Query:
    """What was typed, read as a reference, a date of birth and name words."""

    text: str
    words: list[str] = field(default_factory=list)
    date_of_birth: date | None = None
    bad_date: str = ""

    @property
    def single(self) -> str:
        return self.text if len(self.text.split()) == 1 else ""


def parse(text: str) -> Query:
    query = Query(text=" ".join(text.split())[:MAX_QUERY])
    for token in query.text.split():
        when = DATE.match(token)
        if when is None:
            query.words.append(token)
            continue
        day, month, year = (int(part) for part in when.groups())
        try:
            query.date_of_birth = date(year, month, day)
        except ValueError:
            query.bad_date = token
    return query


def _padded(ref: str) -> str | None:
    found = REFERENCE.match(ref)
    if found is None:
        return None
    letter, number = found.groups()
    return f"{letter.upper()}{int(number):07d}"


def by_reference(user: Any, ref: str) -> dict[str, Any]:
    """The person, family, case or notification with this reference, within scope."""
    hits: dict[str, Any] = {}
    padded = _padded(ref)
    for letter, (kind, selector) in REF_KINDS.items():
        tries = [ref.upper()]
        if padded and padded[0] == letter and padded != tries[0]:
            tries.append(padded)
        for candidate in tries:
            try:
                hits[kind] = selector(user=user, ref=candidate)
                break
            except NotFound:
                continue
    return hits


def _log(request: HttpRequest, query: Query) -> None:
    access_record(
        actor=Actor.of(request.user),
        action="SEARCH",
        what=f"search for “{query.text}”"[:200],
        refs=Refs(),
        ip_address=client_ip(request),
    )


@require_GET
@login_required
def search(request: HttpRequest) -> HttpResponse:
    if request.user.role not in SEARCHERS:
        raise PermissionDenied("Your role does not search people's records.")
    query = parse(request.GET.get("q", ""))
    context: dict[str, Any] = {"title": "Search", "query": query, "searched": bool(query.text)}
    if query.text:
        refs = by_reference(request.user, query.single) if query.single else {}
        name_words = [w for w in query.words if not _padded(w)]
        hits, more = people.person_name_search(
            user=request.user, words=name_words, date_of_birth=query.date_of_birth
        )
        page = Paginator(hits, PAGE_SIZE).get_page(request.GET.get("page"))
        context.update(
            refs=refs,
            page_obj=page,
            hits=page.object_list,
            total=len(hits),
            more=more,
            case_url=has_route("case"),
            person_url=has_route("person"),
            family_url=has_route("family"),
        )
        _log(request, query)
    return render(request, "web/search/search.html", context)
