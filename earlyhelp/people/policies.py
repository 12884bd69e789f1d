"""Who may see and change people and families: one rule for a record and for a list."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.utils import timezone

from earlyhelp.domain.codes import UserRole
from earlyhelp.organisation.models import User
from earlyhelp.organisation.selectors import org_tree, scope_district_ids, scope_org_unit_ids
from earlyhelp.people.models import BreakGlassGrant, Family, FamilyAccess

# Roles that may see identity details of anyone in the county (to match at the front door).
_COUNTY_IDENTITY_ROLES = {UserRole.TRIAGE_OFFICER}
# Staff who may open a record outside their scope for a typed reason (break-glass).
BREAK_GLASS_ROLES = frozenset({UserRole.PRACTITIONER, UserRole.UNIT_LEADER, UserRole.MANAGER})
# Hours a break-glass grant lasts.
BREAK_GLASS_HOURS = 8


def listed_family_ids(user: User) -> QuerySet[FamilyAccess]:
    """Ids of the restricted families whose access list names the user (a subquery)."""
    return FamilyAccess.objects.filter(user_id=user.pk).values("family_id")


def granted_family_ids(user: User) -> QuerySet[BreakGlassGrant]:
    """Ids of the families the user opened by break-glass, while the grant lasts (a subquery).

    Grants run on real time, not the application's clock (decision 0011): a security
    window must not stretch or shrink with a date pinned for a demo.
    """
    return BreakGlassGrant.objects.filter(user_id=user.pk, expires_at__gt=timezone.now()).values(
        "family_id"
    )


def _not_restricted_or_listed(user: User) -> Q:
    return Q(restricted=False) | Q(pk__in=listed_family_ids(user))


def family_home_scope(user: User) -> Q:
    """A filter on Family: the households the user's place in the organisation gives them.

    Staff in the organisation tree see families living in their districts and families
    with a case held by their units; triage officers see every family (to match people);
    other roles see none here. A restricted family is seen only by the staff named on its
    access list (and by them only within that scope). Break-glass grants are not included:
    this is also the rule for whose unit leader reviews a break-glass access.
    """
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.role in _COUNTY_IDENTITY_ROLES:
        return _not_restricted_or_listed(user)
    tree = org_tree()
    units = scope_org_unit_ids(user, tree)
    if not units:
        return Q(pk__in=[])
    districts = scope_district_ids(user, tree)
    with_cases = Family.objects.filter(cases__unit_id__in=units).values("pk")
    return (Q(district_id__in=districts) | Q(pk__in=with_cases)) & _not_restricted_or_listed(user)


def family_scope(user: User) -> Q:
    """A filter on Family: the households the user may see.

    The user's home scope (`family_home_scope`), and families opened by break-glass while
    the grant lasts (never a restricted family).
    """
    home = family_home_scope(user)
    if user.is_authenticated and user.is_active and user.role in BREAK_GLASS_ROLES:
        return home | (Q(pk__in=granted_family_ids(user)) & Q(restricted=False))
    return home


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


def may_break_glass(user: User) -> bool:
    return user.is_authenticated and user.is_active and user.role in BREAK_GLASS_ROLES


def is_data_protection_officer(user: User) -> bool:
    return (
        user.is_authenticated and user.is_active and user.role == UserRole.DATA_PROTECTION_OFFICER
    )


ACCESS_LIST_MANAGERS = frozenset({UserRole.UNIT_LEADER, UserRole.MANAGER})


def in_home_scope(user: User, family: Family) -> bool:
    """Whether the family is one the user answers for (their home scope, not break-glass)."""
    return Family.objects.filter(family_home_scope(user), pk=family.pk).exists()


def may_manage_access_list(user: User, family: Family) -> bool:
    """Who restricts a family and names its staff: the data protection officer, or a unit
    leader or manager responsible for it (for a restricted family, one already named)."""
    if is_data_protection_officer(user):
        return True
    return user.role in ACCESS_LIST_MANAGERS and in_home_scope(user, family)


def may_record_consent(user: User, family: Family) -> bool:
    """Staff who change people's records, for a family in their home scope (not break-glass)."""
    return may_edit_people(user) and in_home_scope(user, family)
