"""Signed-off months: which they are, and freezing a month's snapshots as a new version.

A signed-off month's snapshots (`IndicatorValue`) are left alone by a recompute unless it
is asked for explicitly; each version's values are copied to `SignedOffValue` with one
`INSERT … SELECT`, so every version stays readable after a later one (decision 0010).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import connection
from django.db.models import Max

from earlyhelp.audit.models import Action
from earlyhelp.audit.services import Actor, Refs, change_record
from earlyhelp.common import clock
from earlyhelp.performance.models import IndicatorValue, MonthSignOff, SignedOffValue

COPIED = (
    "indicator_code", "level", "org_unit", "worker", "org_code", "period", "window_months",
    "numerator", "denominator", "value", "target", "floor", "rag", "computed_at",
)  # fmt: skip


def signed_off_periods() -> frozenset[str]:
    """Every month that is signed off (in any version)."""
    return frozenset(MonthSignOff.objects.values_list("period", flat=True).distinct())


def latest_versions(periods: Iterable[str] | None = None) -> dict[str, MonthSignOff]:
    """The latest version of each signed-off month (of those given, or of all)."""
    rows = MonthSignOff.objects.all()
    if periods is not None:
        rows = rows.filter(period__in=list(periods))
    latest: dict[str, MonthSignOff] = {}
    for sign_off in rows.order_by("period", "version"):
        latest[sign_off.period] = sign_off
    return latest


def freeze(*, period: str, actor: Actor, note: str) -> MonthSignOff:
    """A new version of a month's sign-off holding its snapshots as they are now.

    Call inside a transaction, with the month's snapshots in place.
    """
    last = MonthSignOff.objects.filter(period=period).aggregate(v=Max("version"))["v"] or 0
    sign_off = MonthSignOff.objects.create(
        period=period,
        version=last + 1,
        signed_off_by_id=actor.id,
        signed_off_by_name=actor.name,
        at=clock.now(),
        note=note,
    )
    sign_off.rows = _copy(period, sign_off.pk)
    sign_off.save(update_fields=["rows"])
    change_record(actor=actor, instance=sign_off, action=Action.CREATE, refs=Refs())
    return sign_off


def _copy(period: str, sign_off_id: int) -> int:
    quote = connection.ops.quote_name
    source, target = IndicatorValue._meta, SignedOffValue._meta
    source_columns = ", ".join(quote(source.get_field(name).column) for name in COPIED)
    target_columns = ", ".join(quote(target.get_field(name).column) for name in COPIED)
    sign_off_column = quote(target.get_field("sign_off").column)
    sql = (
        f"INSERT INTO {quote(target.db_table)} ({target_columns}, {sign_off_column}) "  # noqa: S608  # nosec B608  # quoted identifiers, bound values
        f"SELECT {source_columns}, %s FROM {quote(source.db_table)} WHERE "
        f"{quote(source.get_field('period').column)} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [sign_off_id, period])
        return max(cursor.rowcount, 0)
