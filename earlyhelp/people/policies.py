"""Who may see and change people and families: one rule for a record and for a list."""

from __future__ import annotations

from django.db.models import Q

from earlyhelp.domain.codes import UserRole
from earlyhelp.organisation.models import User
from earlyhelp.organisation.selectors import org_tree, scope_district_ids, scope_org_unit_ids
from earlyhelp.people.models import Family

# Roles that may see identity details of anyone in the county (to match at the front door).
_COUNTY_IDENTITY_ROLES = {UserRole.TRIAGE_OFFICER}


def family_scope(user: User) -> Q:
    """A filter on Family: the households the user may see.

    Staff in the organisation tree see families living in their districts and families
    with a case held by their units; triage officers see every family (to match people);
    other roles see none here. Restricted families are left out.
    """
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.role in _COUNTY_IDENTITY_ROLES:
        return Q(restricted=False)
    tree = org_tree()
    units = scope_org_unit_ids(user, tree)
    if not units:
        return Q(pk__in=[])
    districts = scope_district_ids(user, tree)
    with_cases = Family.objects.filter(cases__unit_id__in=units).values("pk")
    return (Q(district_id__in=districts) | Q(pk__in=with_cases)) & Q(restricted=False)


def person_scope(user: User) -> Q:
    """A filter on Person: people whose household the user may see."""
    return Q(family_id__in=Family.objects.filter(family_scope(user)).values("pk"))


def can_view_family(user: User, family: Family) -> bool:
    return Family.objects.filter(family_scope(user), pk=family.pk).exists()


def may_edit_people(user: User) -> bool:
    return user.role in {
        UserRole.TRIAGE_OFFICER,
        UserRole.PRACTITIONER,
        UserRole.UNIT_LEADER,
        UserRole.MANAGER,
    }
