"""Writes of targets: an analyst's or administrator's override of a year's target and floor.

Each change keeps its history (a `ChangeRecord` with the values before and after), is
refused when someone else changed the same target since it was read (optimistic locking:
`version` is 0 for a target still at its default), and refreshes the target, floor and RAG
of the snapshots of that target year at once (`services_refresh.rag_refresh`).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction

from earlyhelp.audit.models import Action
from earlyhelp.audit.services import Actor, Refs, change_record, diff
from earlyhelp.common.errors import InvalidInput, PermissionRefused, StaleRecord
from earlyhelp.common.validation import full_clean_or_raise
from earlyhelp.domain.indicators.arithmetic import Polarity
from earlyhelp.domain.indicators.definitions import INDICATORS, SPEC_VERSION
from earlyhelp.performance.figures_policies import REFUSED, can_edit_targets
from earlyhelp.performance.models import Target
from earlyhelp.performance.selectors import data_signature
from earlyhelp.performance.services_refresh import fill_state_keep_current, rag_refresh

FIRST_YEAR, LAST_YEAR = 2000, 2100
_TRACKED = ("target", "floor")


@transaction.atomic
def target_set(
    *,
    user: Any,
    indicator_code: str,
    year: int,
    target: Decimal,
    floor: Decimal | None,
    version: int,
    seen: Target | None = None,
) -> Target:
    """Set the target (and floor) of one indicator for one target year."""
    _check(user, indicator_code, year)
    _check_floor(indicator_code, target, floor)
    signature_before = data_signature()
    current = _locked(indicator_code, year, version, seen)
    actor = Actor.of(user)
    if current is None:
        current = Target(indicator_code=indicator_code, year=year, target=target, floor=floor)
        current.created_by_id = current.updated_by_id = actor.id
        full_clean_or_raise(current)
        current.save()
        created = _keys(indicator_code, None, year)
        created |= {name: [None, value] for name, value in _tracked(current).items()}
        change_record(actor=actor, instance=current, action=Action.CREATE, changes=created,
                      refs=Refs())  # fmt: skip
    elif (current.target, current.floor) != (target, floor):
        before = _tracked(current)
        current.target, current.floor = target, floor
        current.version += 1
        current.updated_by_id = actor.id
        full_clean_or_raise(current)
        current.save()
        changes = {**_keys(indicator_code, year, year), **diff(before, _tracked(current))}
        change_record(actor=actor, instance=current, action=Action.UPDATE, changes=changes,
                      refs=Refs())  # fmt: skip
    else:
        return current
    _refresh(indicator_code, year, signature_before)
    return current


@transaction.atomic
def target_clear(
    *, user: Any, indicator_code: str, year: int, version: int, seen: Target | None = None
) -> None:
    """Remove the override: the year goes back to the default of spec/indicators.md."""
    _check(user, indicator_code, year)
    signature_before = data_signature()
    current = _locked(indicator_code, year, version, seen)
    if current is None:
        return
    changes = _keys(indicator_code, year, None)
    changes |= {name: [value, None] for name, value in _tracked(current).items()}
    change_record(actor=Actor.of(user), instance=current, action=Action.DELETE, changes=changes,
                  refs=Refs())  # fmt: skip
    current.delete()
    _refresh(indicator_code, year, signature_before)


def _check(user: Any, indicator_code: str, year: int) -> None:
    if not can_edit_targets(user):
        raise PermissionRefused(REFUSED)
    if indicator_code not in INDICATORS:
        message = f"'{indicator_code}' is not an indicator of version {SPEC_VERSION}"
        raise InvalidInput({"indicator_code": [message]})
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise InvalidInput({"year": [f"Enter a year from {FIRST_YEAR} to {LAST_YEAR}."]})


def _check_floor(indicator_code: str, target: Decimal, floor: Decimal | None) -> None:
    """The floor lies on the bad side of the target (or at it), following the polarity."""
    polarity = INDICATORS[indicator_code].polarity
    if floor is None or polarity is Polarity.NONE:
        return
    if polarity is Polarity.HIGHER and floor > target:
        message = "Enter a floor at or below the target: for this indicator higher is better."
    elif polarity is Polarity.LOWER and floor < target:
        message = "Enter a floor at or above the target: for this indicator lower is better."
    else:
        return
    raise InvalidInput({"floor": [message]})


def _locked(indicator_code: str, year: int, version: int, seen: Target | None) -> Target | None:
    """The override locked for update, if it is still at `version` (0: no override)."""
    current = (
        Target.objects.select_for_update().filter(indicator_code=indicator_code, year=year).first()
    )
    stored = current.version if current is not None else 0
    if stored == version:
        return current
    was = _tracked(seen) if seen is not None else {}
    now = _tracked(current) if current is not None else dict.fromkeys(_TRACKED)
    changes = {name: (was.get(name), now[name]) for name in _TRACKED if was.get(name) != now[name]}
    raise StaleRecord(what="target", changes=changes)


def _keys(code: str, before: int | None, after: int | None) -> dict[str, list[object]]:
    """Which target a change record is about: indicator and year, before and after (the
    history of one indicator and year is found by them, whatever became of the row)."""
    return {
        "indicator_code": [code if before else None, code if after else None],
        "year": [before, after],
    }


def _tracked(target: Target) -> dict[str, str | None]:
    """Target and floor as plain numbers (`84`, not `84.0000`), for history and stale checks."""
    return {name: _plain(getattr(target, name)) for name in _TRACKED}


def _plain(number: Decimal | None) -> str | None:
    if number is None:
        return None
    text = format(Decimal(number).normalize(), "f")
    return "0" if text == "-0" else text


def _refresh(indicator_code: str, year: int, signature_before: str) -> None:
    rag_refresh(indicator_code=indicator_code, years=[year])
    fill_state_keep_current(signature_before=signature_before)
