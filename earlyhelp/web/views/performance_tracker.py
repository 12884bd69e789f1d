"""Journey 4: the outcome tracker, from the county down to each practitioner."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from earlyhelp.domain.indicators.definitions import Basis, Indicator
from earlyhelp.performance import selectors as performance
from earlyhelp.performance.policies import may_view_scorecard
from earlyhelp.performance.selectors import Place, PlaceView
from earlyhelp.web.views.performance import (
    RAG_TAGS,
    Month,
    keep,
    line,
    month_asked,
    month_context,
    number_text,
    place_query,
    query,
    read,
)

# --- the outcome tracker ---------------------------------------------------------------------

_PREFIX = re.compile(r"^[A-Z]+")
# Sets of indicators for the table of the places below, chosen from the definitions.
SETS: tuple[tuple[str, str, Callable[[Indicator], bool]], ...] = (
    ("casework", "Casework", lambda i: i.basis is Basis.CASE),
    ("front-door", "Front door", lambda i: i.basis is Basis.NOTIFICATION),
    ("children", "Children's centres, youth service and NEET",
     lambda i: _prefix(i) in {"CC", "YS", "NEET"}),
    ("youth-justice", "Youth justice and Troubled Families",
     lambda i: _prefix(i) in {"YJ", "TF"}),
    ("schools", "School attendance and exclusions", lambda i: _prefix(i) in {"PA", "EX"}),
)  # fmt: skip


def _prefix(item: Indicator) -> str:
    match = _PREFIX.match(item.code)
    return match.group(0) if match else ""


@dataclass(frozen=True)
class IndicatorSet:
    slug: str
    title: str
    items: list[Indicator]
    query: str
    current: bool


def indicator_sets(view: PlaceView, chosen: str, request: HttpRequest) -> list[IndicatorSet]:
    """The sets that have values at the level of the places below."""
    levels = {c.level for c in view.children}
    sets = []
    for slug, title, member in SETS:
        items = [
            i
            for i in performance.indicators_at(view.place.level)
            if member(i) and levels & set(i.levels)
        ]
        if items:
            found = request.GET.copy()
            found["set"] = slug
            sets.append(IndicatorSet(slug, title, items, found.urlencode(), False))
    pick = next((s for s in sets if s.slug == chosen), sets[0] if sets else None)
    return [IndicatorSet(s.slug, s.title, s.items, s.query, s is pick) for s in sets]


@dataclass(frozen=True)
class Cell:
    value: str
    rag: tuple[str, str] | None
    applies: bool


def child_rows(
    view: PlaceView, chosen: IndicatorSet | None, month: Month
) -> list[tuple[Place, list[Cell]]]:
    if chosen is None or not month.available:
        return []
    found = performance.children_figures(
        view=view, period=month.period, window=month.window, codes=[i.code for i in chosen.items]
    )
    rows = []
    for child in view.children:
        values = found.get((child.level, child.code), {})
        cells = []
        for item in chosen.items:
            row = values.get(item.code)
            applies = child.level in item.levels
            cells.append(
                Cell(
                    number_text(item, row.value) if row else "",
                    RAG_TAGS.get(row.rag or "") if row else None,
                    applies,
                )
            )
        rows.append((child, cells))
    return rows


@require_GET
@login_required
def tracker_start(request: HttpRequest) -> HttpResponse:
    """The outcome tracker starts at the user's place: the county, their unit, themselves."""
    place = read(performance.performance_home, user=request.user).place
    url = reverse("outcome-tracker", args=[place.slug, place.code])
    return redirect(f"{url}?{request.GET.urlencode()}" if request.GET else url)


@require_GET
@login_required
def tracker(request: HttpRequest, level: str, org_code: str) -> HttpResponse:
    """One place's figures, and a set of indicators for each place below, linking deeper."""
    view = read(performance.performance_place, user=request.user, level=level, code=org_code)
    month = month_asked(request)
    figures = (
        performance.place_figures(place=view.place, period=month.period, window=month.window)
        if month.available
        else []
    )
    sets = indicator_sets(view, request.GET.get("set", ""), request)
    chosen = next((s for s in sets if s.current), None)
    carried = query(month=month.period, window=month.window, set=chosen.slug if chosen else "")
    context = {
        "title": f"Outcome tracker: {view.place.name}",
        "view": view,
        "lines": [line(f) for f in figures],
        "sets": sets,
        "chosen": chosen,
        "children": child_rows(view, chosen, month),
        "carried": carried,
        "hidden": keep(request, "set"),
        "place_query": place_query(view.place, month),
        "show_scorecard": may_view_scorecard(request.user),
        **month_context(month),
    }
    return render(request, "web/performance/tracker.html", context)
