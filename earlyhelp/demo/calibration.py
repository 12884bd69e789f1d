"""How close the synthetic county comes to what it is calibrated to.

`calibration_report(2015)` computes EH01–EH06 at county level over the twelve months of a
financial year (April–March, named by the year it ends in) with plain ORM queries,
following the definitions of spec/indicators.md. It is the demo's own check, independent
of the performance app's indicator engine; a scorecard for March of that year with a
12-month window should give the same county figures.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Sum

from earlyhelp.casework.models import Case
from earlyhelp.common.clock import local_date, start_of_day
from earlyhelp.demo.rates import aimed_at
from earlyhelp.domain.codes import (
    ADMINISTRATIVE_CLOSURES,
    ASSESSMENT_DECISIONS,
    POSITIVE_CLOSURES,
    Category,
    ClosureReason,
    ContextMeasure,
    OrgKind,
    TriageDecision,
)
from earlyhelp.domain.duedates import PLAN_DAYS
from earlyhelp.frontdoor.models import Notification
from earlyhelp.performance.models import ContextFigure

Figure = dict[str, Any]


def percentage(numerator: int, denominator: int) -> float | None:
    """100 × n / d, rounded half away from zero to one place; None when d is 0."""
    if denominator == 0:
        return None
    value = Decimal(100 * numerator) / Decimal(denominator)
    return float(value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def _figure(code: str, aimed_year: int, numerator: int, denominator: int) -> Figure:
    return {
        "numerator": numerator,
        "denominator": denominator,
        "value": percentage(numerator, denominator),
        "aimed_at": aimed_at(code, aimed_year),
    }


def _window(year: int) -> tuple[date, date]:
    return date(year - 1, 4, 1), date(year, 3, 31)


def _moments(first: date, last: date) -> tuple[datetime, datetime]:
    """UK-local bounds for date-times whose date is in [first, last]."""
    return start_of_day(first), start_of_day(last + timedelta(days=1))


def _counted_closures(first: date, last: date) -> Any:
    return Case.objects.filter(closed_on__range=(first, last)).exclude(
        closure_reason__in=list(ADMINISTRATIVE_CLOSURES)
    )


def eh01_step_ups(year: int) -> Figure:
    closures = _counted_closures(*_window(year))
    stepped_up = closures.filter(closure_reason=ClosureReason.STEP_UP_SCS).count()
    return _figure("EH01", year, stepped_up, closures.count())


def eh02_step_downs(year: int) -> Figure:
    first, last = _window(year)
    low, high = _moments(first, last)
    step_downs = Notification.objects.filter(
        category=Category.SCS_STEP_DOWN, received_at__gte=low, received_at__lt=high
    ).count()
    periods = [f"{first.year}-{m:02d}" for m in range(4, 13)] + [
        f"{last.year}-{m:02d}" for m in range(1, 4)
    ]
    closures = ContextFigure.objects.filter(
        measure=ContextMeasure.SCS_CLOSURES, period__in=periods, org_unit__kind=OrgKind.DISTRICT
    ).aggregate(total=Sum("value"))["total"]
    return _figure("EH02", year, step_downs, closures or 0)


def eh03_assessments(year: int) -> Figure:
    low, high = _moments(*_window(year))
    triaged = Notification.objects.filter(triaged_at__gte=low, triaged_at__lt=high).exclude(
        triage_decision=TriageDecision.ALREADY_OPEN
    )
    assessed = triaged.filter(triage_decision__in=list(ASSESSMENT_DECISIONS)).count()
    return _figure("EH03", year, assessed, triaged.count())


def eh04_plans_in_time(year: int) -> Figure:
    first, last = _window(year)
    # A case's start is on or before its opening: no case opened earlier can qualify.
    rows = Case.objects.filter(opened_on__gte=first - timedelta(days=PLAN_DAYS)).values_list(
        "notification__received_at", "opened_on", "plan_agreed_on", "closed_on"
    )
    cohort = in_time = 0
    for received_at, opened_on, plan_on, closed_on in rows.iterator(chunk_size=5000):
        start = local_date(received_at) if received_at else opened_on
        deadline = start + timedelta(days=PLAN_DAYS)
        if not first <= deadline <= last:
            continue
        if plan_on is None and closed_on is not None and closed_on < deadline:
            continue
        cohort += 1
        in_time += plan_on is not None and plan_on <= deadline
    return _figure("EH04", year, in_time, cohort)


def eh05_positive(year: int) -> Figure:
    closures = _counted_closures(*_window(year))
    positive = closures.filter(closure_reason__in=list(POSITIVE_CLOSURES)).count()
    return _figure("EH05", year, positive, closures.count())


def eh06_rereferrals(year: int) -> Figure:
    """Closures of the year before, re-referred within 365 days of closing."""
    first, last = _window(year - 1)
    cohort = _counted_closures(first, last).exclude(closure_reason=ClosureReason.STEP_UP_SCS)
    rows = cohort.values_list("family_id", "closed_on")
    received: dict[int, list[date]] = {}
    notifications = Notification.objects.filter(
        family_id__in=cohort.values("family_id"),
        received_at__gte=start_of_day(first),
        received_at__lt=start_of_day(last + timedelta(days=367)),
    ).values_list("family_id", "received_at")
    for family_id, received_at in notifications.iterator(chunk_size=5000):
        received.setdefault(family_id, []).append(local_date(received_at))
    rereferred = sum(
        any(closed < d <= closed + timedelta(days=365) for d in received.get(family, ()))
        for family, closed in rows
    )
    # The cohort closed in the year before: it was generated with that year's rate.
    return _figure("EH06", year - 1, rereferred, len(rows))


def calibration_report(financial_year_end: int) -> dict[str, Figure]:
    """EH01–EH06 for the county over one financial year, with the values aimed at."""
    year = financial_year_end
    return {
        "EH01": eh01_step_ups(year),
        "EH02": eh02_step_downs(year),
        "EH03": eh03_assessments(year),
        "EH04": eh04_plans_in_time(year),
        "EH05": eh05_positive(year),
        "EH06": eh06_rereferrals(year),
    }


def describe(report: dict[str, Figure]) -> list[str]:
    """Lines for the terminal: value, what was aimed at, numerator / denominator."""
    lines = []
    for code, figure in report.items():
        value = "  —  " if figure["value"] is None else f"{figure['value']:5.1f}%"
        lines.append(
            f"  {code}  {value}  aimed at {figure['aimed_at']:4.1f}%  "
            f"({figure['numerator']} / {figure['denominator']})"
        )
    return lines
