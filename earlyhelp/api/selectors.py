"""The one read the API makes of the indicator snapshots, by the performance policies.

Indicator values are counts, not personal data: analysts and administrators read the
county, managers their district or area, unit leaders their unit and its workers,
practitioners their own figures (`performance.policies.performance_scope`).
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from earlyhelp.organisation.models import User
from earlyhelp.organisation.selectors import org_tree
from earlyhelp.performance.models import IndicatorValue
from earlyhelp.performance.policies import performance_scope


def indicator_value_list(*, user: User) -> QuerySet[IndicatorValue]:
    scope = performance_scope(user, org_tree())
    if scope is None:
        return IndicatorValue.objects.none()
    visible = Q(org_unit_id__in=scope.org_ids) | Q(worker__unit_id__in=scope.org_ids)
    if scope.own_worker_id is not None:
        visible |= Q(worker_id=scope.own_worker_id)
    return IndicatorValue.objects.filter(visible).order_by(
        "period", "indicator_code", "level", "org_code", "window_months", "pk"
    )
