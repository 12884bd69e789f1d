"""Who may see and decide step-down proposals: one rule for a record and for a list.

A district's step-down panel is chaired by its managers with the unit leaders of the
district; managers of an area or of the county sit on the panels below them; triage
officers (the front door the accepted step-downs arrive at) see every district's panel.
"""

from __future__ import annotations

from django.db.models import Q

from earlyhelp.domain.codes import OrgKind, UserRole
from earlyhelp.organisation.models import User
from earlyhelp.organisation.selectors import org_tree, scope_district_ids

PANEL_ROLES = {UserRole.MANAGER, UserRole.UNIT_LEADER, UserRole.TRIAGE_OFFICER}


def panel_district_ids(user: User) -> frozenset[int] | None:
    """The districts whose panel the user sits on; None means every district."""
    if not user.is_authenticated or not user.is_active or user.role not in PANEL_ROLES:
        return frozenset()
    if user.role == UserRole.TRIAGE_OFFICER:
        return None
    if user.org_unit_id is None:
        return frozenset()
    tree = org_tree()
    if user.role == UserRole.UNIT_LEADER:
        district = tree.ancestor_of_kind(user.org_unit_id, OrgKind.DISTRICT)
        return frozenset({district.id}) if district else frozenset()
    return scope_district_ids(user, tree)


def step_down_scope(user: User) -> Q:
    """A filter on StepDownProposal: the proposals of the panels the user sits on."""
    districts = panel_district_ids(user)
    if districts is None:
        return Q()
    if not districts:
        return Q(pk__in=[])
    return Q(district_id__in=districts)


def may_sit_on_panel(user: User, *, district_id: int) -> bool:
    """Propose to and decide for the district's panel."""
    districts = panel_district_ids(user)
    return districts is None or district_id in districts
