"""Journey 4: the monthly scorecard and its downloads, and what every figures page shares.

Pages read the monthly snapshots only (`performance.selectors`); a month the snapshots do
not hold is a message saying how to compute it, never a computation during the request.
The outcome tracker is in `performance_tracker.py`; an indicator's page, the records
behind a number and the methodology in `performance_indicator.py`.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from earlyhelp.common import clock
from earlyhelp.common.errors import NotFound, PermissionRefused
from earlyhelp.domain.indicators.definitions import Indicator, Unit
from earlyhelp.domain.indicators.periods import as_of, month_index, parse_period, period_label
from earlyhelp.performance import selectors as performance
from earlyhelp.performance.scorecard import plain, value_text, write_csv
from earlyhelp.performance.scorecard_xlsx import write_xlsx
from earlyhelp.performance.selectors import Figure, Place, Snapshots, Travel
from earlyhelp.web.forms_performance import MonthForm
from earlyhelp.web.views.performance_charts import Spark, month_label, sparkline

T = TypeVar("T")
RECOMPUTE = "earlyhelp scorecard --recompute"
RAG_TAGS = {
    "GREEN": ("Green", "govuk-tag--green"),
    "AMBER": ("Amber", "govuk-tag--yellow"),
    "RED": ("Red", "govuk-tag--red"),
}


def read(call: Callable[..., T], /, **kwargs: Any) -> T:
    """Call a selector: out of scope is a 404, a role without access a 403."""
    try:
        return call(**kwargs)
    except NotFound as error:
        raise Http404(error.message) from error
    except PermissionRefused as error:
        raise PermissionDenied(error.message) from error


# --- how figures are written -----------------------------------------------------------------


def number_text(item: Indicator, number: Decimal | None, *, as_value: bool = True) -> str:
    """A value (to the indicator's decimals) or a target, with its unit: 62.1%, 351, 4.25."""
    if number is None:
        return ""
    text = value_text(item.code, number) if as_value else plain(number)
    if item.unit is Unit.PERCENT and not text.endswith("%"):
        return f"{text}%"
    return f"{text} days" if item.unit is Unit.DAYS else text


def fraction_text(numerator: int | None, denominator: int | Decimal | None) -> str:
    if numerator is None and denominator is None:
        return ""
    if numerator is None or denominator is None:
        return plain(numerator if denominator is None else denominator)
    return f"{plain(numerator)} / {plain(denominator)}"


@dataclass(frozen=True)
class Line:
    """One indicator's row on the scorecard and the tracker."""

    item: Indicator
    value: str
    fraction: str
    target: str
    rag: tuple[str, str] | None
    baseline: str
    travel: Travel | None
    arrow: str
    travel_note: str
    spark: Spark | None
    spark_label: str
    trend: list[str]


ARROWS = {Travel.SAME: "▶"}


def _arrow(travel: Travel | None, now: Decimal | None, before: Decimal | None) -> str:
    if travel is None or now is None or before is None:
        return ""
    return ARROWS.get(travel) or ("▲" if now > before else "▼")


def _spark_label(item: Indicator, figure: Figure) -> str:
    known = [(p, v) for p, v in figure.trend if v is not None]
    if len(known) < 2:
        return ""
    (first, start), (last, end) = known[0], known[-1]
    low, high = min(v for _, v in known), max(v for _, v in known)
    return (
        f"{item.code} trend, {month_label(first)} to {month_label(last)}: from "
        f"{number_text(item, start)} to {number_text(item, end)}; lowest "
        f"{number_text(item, low)}, highest {number_text(item, high)}"
    )


def line(figure: Figure) -> Line:
    item, row, before = figure.indicator, figure.row, figure.previous
    now, then = (row.value if row else None), (before.value if before else None)
    travel = figure.travel
    note = ""
    if travel is not None and before is not None:
        note = f"from {number_text(item, then)} in {month_label(before.period)}"
    return Line(
        item=item,
        value=number_text(item, now),
        fraction=fraction_text(row.numerator, row.denominator) if row else "",
        target=number_text(item, row.target, as_value=False) if row and now is not None else "",
        rag=RAG_TAGS.get(row.rag or "") if row else None,
        baseline=number_text(item, item.baseline, as_value=False),
        travel=travel,
        arrow=_arrow(travel, now, then),
        travel_note=note,
        spark=sparkline(figure.trend),
        spark_label=_spark_label(item, figure),
        trend=[number_text(item, v) for _, v in figure.trend],
    )


# --- the month asked for ---------------------------------------------------------------------


@dataclass(frozen=True)
class Month:
    form: MonthForm
    period: str
    window: int
    held: Snapshots | None
    provisional: bool

    @property
    def available(self) -> bool:
        return self.held is not None and self.held.holds(self.period)

    @property
    def label(self) -> str:
        return month_label(self.period)

    @property
    def as_of(self) -> date:
        return as_of(parse_period(self.period))


def month_asked(request: HttpRequest) -> Month:
    """The month and window of the query (the last complete month and 12 by default)."""
    held = performance.snapshots()
    default = performance.default_period(held, clock.today())
    form = MonthForm(request.GET, periods=held.periods() if held else [], default=default)
    valid = form.is_valid()
    period = form.cleaned_data["month"] if valid else default
    window = form.cleaned_data["window"] if valid else 12
    provisional = parse_period(period) >= month_index(clock.today())
    return Month(form, period, window, held, provisional)


def keep(request: HttpRequest, *names: str) -> list[tuple[str, str]]:
    """Query parameters carried by the month picker as hidden fields."""
    return [(name, request.GET[name]) for name in names if request.GET.get(name)]


def query(**values: object) -> str:
    found = QueryDict(mutable=True)
    for name, value in values.items():
        if value not in (None, ""):
            found[name] = str(value)
    return found.urlencode()


def place_query(place: Place, month: Month) -> str:
    """How an indicator's page is asked for one place and month: `org=CODE` or `worker=CODE`."""
    where = {"worker": place.code} if place.worker_id else {"org": place.code}
    return query(**where, month=month.period, window=month.window)


def month_context(month: Month) -> dict[str, object]:
    return {
        "month": month,
        "form": month.form,
        "recompute": RECOMPUTE,
        "trend_months": [month_label(p, short=True) for p in _trend_periods(month.period)],
    }


def _trend_periods(period: str) -> list[str]:
    last = parse_period(period)
    return [period_label(m) for m in range(last - 11, last + 1)]


# --- the scorecard ---------------------------------------------------------------------------


@require_GET
@login_required
def scorecard(request: HttpRequest) -> HttpResponse:
    """Every indicator for one org unit and month: value, target, RAG, baseline, travel, trend."""
    view = read(performance.scorecard_place, user=request.user, org=request.GET.get("org", ""))
    month = month_asked(request)
    figures = (
        performance.place_figures(place=view.place, period=month.period, window=month.window)
        if month.available
        else []
    )
    downloads = query(month=month.period, window=month.window)
    context = {
        "title": f"Monthly scorecard: {view.place.name}",
        "view": view,
        "lines": [line(f) for f in figures],
        "hidden": keep(request, "org"),
        "downloads": downloads,
        "place_query": place_query(view.place, month),
        **month_context(month),
    }
    return render(request, "web/performance/scorecard.html", context)


def _export(request: HttpRequest) -> tuple[Month, list] | HttpResponse:
    """The rows to download; a month not computed (or not a month) goes back to the
    scorecard page, which says why and how to compute it."""
    month = month_asked(request)
    if month.form.errors or not month.available:
        return redirect(f"{reverse('scorecard')}?{request.GET.urlencode()}")
    rows = read(
        performance.scorecard_export, user=request.user, period=month.period, window=month.window
    )
    return month, rows


@require_GET
@login_required
def scorecard_csv(request: HttpRequest) -> HttpResponse:
    """The month's scorecard in the CSV of spec/indicators.md, within the user's scope."""
    found = _export(request)
    if isinstance(found, HttpResponse):
        return found
    month, rows = found
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"scorecard-{month.period}-w{month.window}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    write_csv(rows, response)  # type: ignore[arg-type]  (it has write())
    return response


@require_GET
@login_required
def scorecard_xlsx(request: HttpRequest) -> HttpResponse:
    """The same as a workbook: a sheet per level, RAG colours and the definitions."""
    found = _export(request)
    if isinstance(found, HttpResponse):
        return found
    month, rows = found
    name = f"scorecard-{month.period}-w{month.window}.xlsx"
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        write_xlsx(
            rows, path, period=month.period, window=month.window, data_as_at=clock.today(),
            computed_at=month.held.computed_at if month.held else None,
        )  # fmt: skip
        content = path.read_bytes()
    response = HttpResponse(
        content,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
