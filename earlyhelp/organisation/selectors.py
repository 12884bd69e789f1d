"""Reads of the organisation: the tree, units, workers, and each user's scope."""

from __future__ import annotations

from django.db.models import QuerySet

from earlyhelp.domain.codes import CASEHOLDING_ROLES, OrgKind, UserRole
from earlyhelp.domain.orgtree import Node, OrgTree
from earlyhelp.organisation.models import OrgUnit, User, Worker


def org_tree() -> OrgTree:
    rows = OrgUnit.objects.values_list("id", "code", "name", "kind", "parent_id", "service")
    return OrgTree.build([Node(*row) for row in rows])


def org_unit_by_code(*, code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def units_of_kind(*, kind: OrgKind) -> QuerySet[OrgUnit]:
    return OrgUnit.objects.filter(kind=kind).order_by("code")


def workers_in_units(*, unit_ids: set[int]) -> QuerySet[Worker]:
    return Worker.objects.filter(unit_id__in=unit_ids, active=True).order_by("name")


def caseholders_in_unit(*, unit_id: int) -> QuerySet[Worker]:
    return Worker.objects.filter(unit_id=unit_id, role__in=CASEHOLDING_ROLES, active=True)


# Roles whose scope is the part of the tree below their org unit.
_TREE_SCOPED = {UserRole.PRACTITIONER, UserRole.UNIT_LEADER, UserRole.MANAGER}


def scope_org_unit_ids(user: User, tree: OrgTree | None = None) -> frozenset[int]:
    """The org units whose casework the user may see: empty for roles that see none.

    A practitioner or unit leader sees their unit; a manager their district or area;
    the county's managers everything. Triage, analysts, auditors, partners and
    administrators see no case content through this scope (their own rules apply).
    """
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    if user.role not in _TREE_SCOPED or user.org_unit_id is None:
        return frozenset()
    tree = tree or org_tree()
    return frozenset(tree.descendants(user.org_unit_id))


def scope_district_ids(user: User, tree: OrgTree | None = None) -> frozenset[int]:
    """Districts inside the user's scope (families living there are in scope)."""
    tree = tree or org_tree()
    ids = scope_org_unit_ids(user, tree)
    return frozenset(i for i in ids if tree.nodes[i].kind == OrgKind.DISTRICT)
