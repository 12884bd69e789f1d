"""Journey 4: one indicator's page, the records behind its number, and the methodology."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET

from earlyhelp.audit.services import Refs
from earlyhelp.common import clock
from earlyhelp.domain.indicators.arithmetic import default_floor
from earlyhelp.domain.indicators.compute import ResultRow
from earlyhelp.domain.indicators.definitions import Indicator, UnknownIndicator
from earlyhelp.domain.indicators.periods import parse_period, target_year
from earlyhelp.performance import methodology as methods
from earlyhelp.performance import selectors as performance
from earlyhelp.performance.policies import may_list_cases, may_view_performance
from earlyhelp.performance.scorecard import plain
from earlyhelp.performance.selectors import Place
from earlyhelp.web.views.base import log_view
from earlyhelp.web.views.family import has_route
from earlyhelp.web.views.performance import (
    RAG_TAGS,
    Month,
    fraction_text,
    keep,
    month_asked,
    month_context,
    number_text,
    query,
    read,
)
from earlyhelp.web.views.performance_charts import line_chart, month_label

CASES_PAGE = 50


def _method(code: str) -> methods.Method:
    try:
        return methods.indicator_method(code)
    except UnknownIndicator as error:
        raise Http404(error.message) from error


def _place_view(request: HttpRequest) -> performance.PlaceView:
    return read(
        performance.performance_place_of,
        user=request.user,
        org=request.GET.get("org", "").strip(),
        worker=request.GET.get("worker", "").strip(),
    )


def _where(place: Place) -> dict[str, str]:
    return {"worker": place.code} if place.worker_id else {"org": place.code}


@dataclass(frozen=True)
class SeriesRow:
    month: str
    value: str
    fraction: str
    target: str
    rag: tuple[str, str] | None


def _summary(method: methods.Method, place: Place, rows: list[ResultRow], window: int) -> str:
    """The chart's text alternative: first, last, lowest and highest value."""
    item = method.indicator
    known = [r for r in rows if r.value is not None]
    if not known:
        return f"No values of {item.code} for {place.name}."
    low = min(known, key=lambda r: r.value)
    high = max(known, key=lambda r: r.value)
    first, last = known[0], known[-1]

    def at(row: ResultRow) -> str:
        return f"{number_text(item, row.value)} in {month_label(row.period)}"

    span = f"{window} months to each month" if item.uses_window else "at each month's end"
    target = ""
    if last.target is not None:
        target = f" The target for {month_label(last.period)} is " + number_text(
            item, last.target, as_value=False
        )
        target += "."
    return (
        f"{item.code}, {item.name}, for {place.name} ({span}): first {at(first)}, last "
        f"{at(last)}; lowest {at(low)}, highest {at(high)}.{target}"
    )


def _series(method: methods.Method, rows: list) -> list[SeriesRow]:
    item = method.indicator
    return [
        SeriesRow(
            month_label(r.period),
            number_text(item, r.value),
            fraction_text(r.numerator, r.denominator),
            number_text(item, r.target, as_value=False) if r.target is not None else "",
            RAG_TAGS.get(r.rag or ""),
        )
        for r in rows
    ]


def _breakdown(method: methods.Method, view: performance.PlaceView, month: Month) -> list:
    if not month.available:
        return []
    item = method.indicator
    found = performance.indicator_breakdown(
        view=view, code=item.code, period=month.period, window=month.window
    )
    return [
        (
            child,
            query(**_where(child), month=month.period, window=month.window),
            number_text(item, row.value) if row else "",
            fraction_text(row.numerator, row.denominator) if row else "",
            RAG_TAGS.get(row.rag or "") if row else None,
        )
        for child, row in found
    ]


@require_GET
@login_required
def indicator(request: HttpRequest, indicator_code: str) -> HttpResponse:
    """The definition, value against target over time, and the breakdown below the place."""
    method = _method(indicator_code)
    view = _place_view(request)
    month = month_asked(request)
    item = method.indicator
    if view.place.level not in item.levels:
        raise Http404(f"{item.code} has no values for a {view.place.slug}.")
    rows = performance.indicator_series(
        place=view.place, code=item.code, window=month.window, held=month.held
    )
    chart = line_chart(
        [(r.period, r.value) for r in rows],
        [r.target for r in rows],
        tick_text=lambda t: plain(round_tick(t)),
    )
    context = {
        "title": f"{item.code}: {item.name}",
        "method": method,
        "item": item,
        "view": view,
        "chart": chart,
        "summary": _summary(method, view.place, rows, month.window),
        "series": _series(method, rows),
        **_current(item, next((r for r in rows if r.period == month.period), None)),
        "target_year": methods.financial_year(target_year(parse_period(month.period))),
        "breakdown": _breakdown(method, view, month),
        "hidden": keep(request, "org", "worker"),
        "here": query(**_where(view.place), month=month.period, window=month.window),
        "cases_listed": may_list_cases(request.user) and item.computed,
        **month_context(month),
    }
    return render(request, "web/performance/indicator.html", context)


def _current(item: Indicator, row: ResultRow | None) -> dict[str, object]:
    """The month's figure as the page's summary shows it."""
    if row is None:
        return {"current_value": ""}
    return {
        "current_value": number_text(item, row.value),
        "current_fraction": fraction_text(row.numerator, row.denominator),
        "current_rag": RAG_TAGS.get(row.rag or ""),
        "current_target": _target_text(item, row),
    }


def _target_text(item: Indicator, row: ResultRow | None) -> str:
    if row is None or row.target is None:
        return ""
    text = number_text(item, row.target, as_value=False)
    floor = row.floor if row.floor is not None else default_floor(row.target, item.polarity)
    if floor is not None:
        text += f" (floor {number_text(item, floor, as_value=False)})"
    return text


def round_tick(number: float) -> Decimal:
    """A tick of the y axis as a plain number: 2.5, 10, 7000."""
    return Decimal(str(number)).normalize()


@require_GET
@login_required
def indicator_cases(request: HttpRequest, indicator_code: str) -> HttpResponse:
    """The cases (or notifications) behind the number, for the roles that see cases."""
    method = _method(indicator_code)
    view = _place_view(request)
    month = month_asked(request)
    item = method.indicator
    context: dict[str, object] = {
        "title": f"{item.code}: the records behind the figure",
        "method": method,
        "item": item,
        "view": view,
        "hidden": keep(request, "org", "worker"),
        "here": query(**_where(view.place), month=month.period, window=month.window),
        "listable": may_list_cases(request.user),
        "case_url": has_route("case"),
        "notification_url": has_route("notification"),
        **month_context(month),
    }
    if context["listable"] and month.available:
        members = read(
            performance.indicator_members, user=request.user, view=view, code=item.code,
            period=month.period, window=month.window,
        )  # fmt: skip
        shown = _filter(members.members, request.GET.get("show", ""))
        context.update(
            members=members,
            show=request.GET.get("show", ""),
            page_obj=Paginator(shown, CASES_PAGE).get_page(request.GET.get("page")),
            figure_value=number_text(item, members.figure.value) if members.figure else "",
            figure_parts=_parts(members.figure),
        )
        log_view(
            request,
            what=f"records behind {item.code} for {view.place.name}, {month.period} "
            f"(window {month.window})",
            refs=Refs(),
        )
    return render(request, "web/performance/indicator_cases.html", context)


def _parts(row: ResultRow | None) -> str:
    if row is None:
        return ""
    parts = (("numerator", row.numerator), ("denominator", row.denominator))
    return ", ".join(f"{name} {plain(n)}" for name, n in parts if n is not None)


def _filter(members: list, show: str) -> list:
    if show == "counted":
        return [m for m in members if m.counted]
    if show == "not-counted":
        return [m for m in members if m.counted is False]
    return members


# --- methodology -----------------------------------------------------------------------------


def _methodology_context(request: HttpRequest) -> dict[str, object]:
    if not may_view_performance(request.user):
        raise PermissionDenied("Your role does not give access to the indicators.")
    found = methods.methodology()
    return {
        "title": methods.TITLE,
        "methods": found,
        "terms": methods.TERMS,
        "version": methods.SPEC_VERSION,
        "years": [(y, methods.financial_year(y)) for y in methods.target_years(found)],
        "generated_on": clock.today(),
    }


@require_GET
@login_required
def methodology(request: HttpRequest) -> HttpResponse:
    """Every indicator's definition, polarity, basis, levels, window, targets and source."""
    return render(request, "web/performance/methodology.html", _methodology_context(request))


@require_GET
@login_required
def methodology_download(request: HttpRequest) -> HttpResponse:
    """The same as a standalone HTML document to keep, print or publish."""
    context = _methodology_context(request)
    content = render_to_string("web/performance/methodology_document.html", context)
    response = HttpResponse(content, content_type="text/html; charset=utf-8")
    name = f"early-help-indicators-methodology-v{methods.SPEC_VERSION}.html"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
