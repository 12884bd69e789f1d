"""Signing off a month: its figures are brought up to date once more, then frozen.

After that a recompute (`indicator_values_recompute`, `indicator_values_ensure`, a target
change, an upload of imported figures) leaves the month's snapshots as they are; only
`earlyhelp scorecard --recompute --include-signed-off` changes them, as a new version.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db import transaction

from earlyhelp.audit.services import SYSTEM, Actor
from earlyhelp.common import clock
from earlyhelp.common.errors import InvalidInput, PermissionRefused
from earlyhelp.domain.indicators.periods import InvalidPeriod, month_index, parse_period
from earlyhelp.performance.figures_policies import REFUSED, can_sign_off
from earlyhelp.performance.models import IndicatorValue, MonthSignOff
from earlyhelp.performance.services import indicator_values_ensure
from earlyhelp.performance.signoff import freeze, latest_versions


def month_name(period: str) -> str:
    """'2016-03' as 'March 2016'."""
    month = parse_period(period)
    return date(month // 12, month % 12 + 1, 1).strftime("%B %Y")


@transaction.atomic
def month_sign_off(*, user: Any, period: str) -> MonthSignOff:
    """Sign off a month that has ended. `user` None is the system (the command line)."""
    if user is not None and not can_sign_off(user):
        raise PermissionRefused(REFUSED)
    try:
        month = parse_period(period)
    except InvalidPeriod as error:
        raise InvalidInput({"period": [error.message]}) from error
    if month >= month_index(clock.today()):
        raise InvalidInput(
            {"period": [f"{month_name(period)} has not ended: sign off a month once it is over."]}
        )
    existing = latest_versions([period]).get(period)
    if existing is not None:
        raise InvalidInput({"period": [_already(existing)]})
    indicator_values_ensure()
    if not IndicatorValue.objects.filter(period=period).exists():
        raise InvalidInput({"period": [f"There are no figures for {month_name(period)}."]})
    actor = SYSTEM if user is None else Actor.of(user)
    return freeze(period=period, actor=actor, note="Signed off")


def _already(sign_off: MonthSignOff) -> str:
    when = clock.local_date(sign_off.at).strftime("%-d %B %Y")
    return (
        f"{month_name(sign_off.period)} is already signed off (version {sign_off.version}, "
        f"{when}, by {sign_off.signed_off_by_name})."
    )
