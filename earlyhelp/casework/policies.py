"""Who may see and change cases: the same rule answers for one case and for a list."""

from __future__ import annotations

from django.db.models import Q

from earlyhelp.domain.codes import UserRole
from earlyhelp.organisation.models import User
from earlyhelp.organisation.selectors import scope_org_unit_ids


def case_scope(user: User) -> Q:
    """A filter on Case: cases held by units inside the user's place in the organisation."""
    units = scope_org_unit_ids(user)
    if not units:
        return Q(pk__in=[])
    return Q(unit_id__in=units, family__restricted=False)


def can_view_case(user: User, *, unit_id: int, restricted: bool = False) -> bool:
    return not restricted and unit_id in scope_org_unit_ids(user)


def can_write_case(user: User, *, unit_id: int, worker_id: int | None) -> bool:
    """Practitioners write to their own cases; unit leaders and managers to any in scope."""
    if unit_id not in scope_org_unit_ids(user):
        return False
    if user.role in {UserRole.UNIT_LEADER, UserRole.MANAGER}:
        return True
    return (
        user.role == UserRole.PRACTITIONER
        and worker_id is not None
        and (user.worker_id == worker_id)
    )


def can_allocate(user: User, *, unit_id: int) -> bool:
    if user.role in {UserRole.UNIT_LEADER, UserRole.MANAGER}:
        return unit_id in scope_org_unit_ids(user)
    return False


def can_authorise_closure(user: User, *, unit_id: int) -> bool:
    """A unit leader (or a manager above the unit) authorises closures that need it."""
    return can_allocate(user, unit_id=unit_id)
