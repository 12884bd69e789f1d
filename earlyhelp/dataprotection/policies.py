"""Who may read the audit, answer subject access requests and take analysts' extracts.

The data protection officer works county-wide but sees no case pages; managers read the
audit and answer subject access only for records and staff within their own scope.
"""

from __future__ import annotations

from django.db.models import Q

from earlyhelp.domain.codes import UserRole
from earlyhelp.organisation.models import User
from earlyhelp.organisation.selectors import scope_org_unit_ids
from earlyhelp.people.models import Family
from earlyhelp.people.policies import family_home_scope, is_data_protection_officer

AUDIT_READERS = frozenset({UserRole.MANAGER, UserRole.DATA_PROTECTION_OFFICER})
BREAK_GLASS_REVIEWERS = frozenset(
    {UserRole.UNIT_LEADER, UserRole.MANAGER, UserRole.DATA_PROTECTION_OFFICER}
)
PSEUDONYMISED_READERS = frozenset({UserRole.ANALYST, UserRole.DATA_PROTECTION_OFFICER})


def _active(user: User) -> bool:
    return bool(user.is_authenticated and user.is_active)


def may_read_audit(user: User) -> bool:
    """The access log pages and subject access: managers and the data protection officer."""
    return _active(user) and user.role in AUDIT_READERS


def may_review_break_glass(user: User) -> bool:
    return _active(user) and user.role in BREAK_GLASS_REVIEWERS


def may_export_pseudonymised(user: User) -> bool:
    return _active(user) and user.role in PSEUDONYMISED_READERS


def audit_family_scope(user: User) -> Q:
    """A filter on Family: whose audit the user may read (the whole county for the DPO)."""
    if not may_read_audit(user) and not may_review_break_glass(user):
        return Q(pk__in=[])
    if is_data_protection_officer(user):
        return Q()
    return family_home_scope(user)


def may_audit_family(user: User, family_id: int) -> bool:
    return (
        may_read_audit(user)
        and Family.objects.filter(audit_family_scope(user), pk=family_id).exists()
    )


def audit_user_scope(user: User) -> Q:
    """A filter on User: whose activity the user may read (their own staff, for a manager)."""
    if not may_read_audit(user):
        return Q(pk__in=[])
    if is_data_protection_officer(user):
        return Q()
    return Q(org_unit_id__in=scope_org_unit_ids(user))
