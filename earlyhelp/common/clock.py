"""The application's one clock.

`settings.EARLYHELP_TODAY` pins the date; otherwise the date the demo stored as the
`clock_date` setting; otherwise the real date. Every "today" in the system comes from here.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone

LONDON = ZoneInfo("Europe/London")
_CLOCK_KEY = "clock_date"
_cache: dict[str, date | None] = {}


def _stored_date() -> date | None:
    if "stored" not in _cache:
        from earlyhelp.common.models import Setting

        row = Setting.objects.filter(key=_CLOCK_KEY).values_list("value", flat=True).first()
        _cache["stored"] = date.fromisoformat(row) if row else None
    return _cache["stored"]


def today() -> date:
    if settings.EARLYHELP_TODAY:
        return date.fromisoformat(settings.EARLYHELP_TODAY)
    return _stored_date() or timezone.localdate()


def now() -> datetime:
    """The current moment; on a pinned date, that date at the current time of day."""
    real = timezone.localtime()
    pinned = today()
    if pinned == real.date():
        return real
    return datetime.combine(pinned, real.time(), tzinfo=LONDON)


def clock_set(*, on: date | None) -> None:
    """Store (or with None, clear) the date the application treats as today."""
    from earlyhelp.common.models import Setting

    if on is None:
        Setting.objects.filter(key=_CLOCK_KEY).delete()
    else:
        Setting.objects.update_or_create(key=_CLOCK_KEY, defaults={"value": on.isoformat()})
    clock_reset_cache()


def clock_reset_cache() -> None:
    _cache.clear()


def local_date(moment: datetime) -> date:
    """The UK calendar date of a moment."""
    return moment.astimezone(LONDON).date()


def start_of_day(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=LONDON)
