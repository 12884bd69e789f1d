"""Who may see and act on notifications."""

from __future__ import annotations

from django.db.models import Q

from earlyhelp.domain.codes import UserRole
from earlyhelp.organisation.models import User
from earlyhelp.people.models import Family
from earlyhelp.people.policies import family_scope, listed_family_ids

TRIAGE_ROLES = {UserRole.TRIAGE_OFFICER}


def notification_scope(user: User) -> Q:
    """Triage sees the whole front door; partners what they submitted; staff their families."""
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    if user.role in TRIAGE_ROLES:  # the whole front door, less restricted families not theirs
        return Q(family__restricted=False) | Q(family_id__in=listed_family_ids(user))
    if user.role == UserRole.PARTNER:
        return Q(submitted_by_id=user.pk)
    return Q(family_id__in=Family.objects.filter(family_scope(user)).values("pk"))


def may_triage(user: User) -> bool:
    return user.is_active and user.role in TRIAGE_ROLES


def may_submit(user: User) -> bool:
    return user.is_active and user.role in {
        UserRole.TRIAGE_OFFICER,
        UserRole.PARTNER,
        UserRole.PRACTITIONER,
        UserRole.UNIT_LEADER,
        UserRole.MANAGER,
    }
