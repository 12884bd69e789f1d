"""Who may see and change cases: the same rule answers for one case and for a list."""

from __future__ import annotations

from django.db.models import Q

from earlyhelp.domain.codes import UserRole
from earlyhelp.organisation.models import User
from earlyhelp.organisation.selectors import scope_org_unit_ids
from earlyhelp.people.models import FamilyAccess
from earlyhelp.people.policies import granted_family_ids, listed_family_ids, may_break_glass


def case_scope(user: User) -> Q:
    """A filter on Case: cases held by units inside the user's place in the organisation.

    Cases of a restricted family only for the staff on its access list; cases of a family
    opened by break-glass while the grant lasts (read only: writing checks the unit).
    """
    units = scope_org_unit_ids(user)
    home = (
        Q(unit_id__in=units)
        & (Q(family__restricted=False) | Q(family_id__in=listed_family_ids(user)))
        if units
        else Q(pk__in=[])
    )
    if may_break_glass(user):
        return home | Q(family_id__in=granted_family_ids(user), family__restricted=False)
    return home


def can_view_case(
    user: User, *, unit_id: int, restricted: bool = False, family_id: int | None = None
) -> bool:
    """One case, by the rule of `case_scope` (break-glass grants are read by the scope)."""
    if unit_id not in scope_org_unit_ids(user):
        return False
    if not restricted:
        return True
    return (
        family_id is not None
        and FamilyAccess.objects.filter(user_id=user.pk, family_id=family_id).exists()
    )


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
