"""Who may see the indicators, and for which part of the organisation.

Indicator values are counts per org unit and worker, not personal data, but they are still
read by place in the organisation:

- analysts and administrators: the whole county;
- managers: their district or area and everything below it;
- unit leaders: their unit and its workers;
- practitioners: their own figures only (the outcome tracker and an indicator's page for
  themselves; not the scorecard, which is the report of org units);
- triage officers, QA auditors and partners: none (the pages answer 403).

The cases (or notifications) behind a number are case content: they are listed only for
the roles that see cases (practitioners, unit leaders, managers), and only those inside
their case scope (`casework.policies.case_scope`, `frontdoor.policies.notification_scope`).
Analysts and administrators get a message instead.
"""

from __future__ import annotations

from dataclasses import dataclass

from earlyhelp.domain.codes import OrgKind, UserRole
from earlyhelp.domain.orgtree import OrgTree
from earlyhelp.organisation.models import User

PERFORMANCE_ROLES = frozenset(
    {
        UserRole.ANALYST,
        UserRole.ADMINISTRATOR,
        UserRole.MANAGER,
        UserRole.UNIT_LEADER,
        UserRole.PRACTITIONER,
    }
)
SCORECARD_ROLES = PERFORMANCE_ROLES - {UserRole.PRACTITIONER}
COUNTY_WIDE_ROLES = frozenset({UserRole.ANALYST, UserRole.ADMINISTRATOR})
CASE_LIST_ROLES = frozenset({UserRole.PRACTITIONER, UserRole.UNIT_LEADER, UserRole.MANAGER})


@dataclass(frozen=True, slots=True)
class PerformanceScope:
    """The figures a user may see: those of some org units, or of one worker.

    `org_ids` are the org units whose figures are visible; a worker's figures are visible
    when the worker's unit is one of them, or when the worker is `own_worker_id`.
    `root_org_id` / `own_worker_id` is where the user's pages start.
    """

    org_ids: frozenset[int]
    root_org_id: int | None = None
    own_worker_id: int | None = None

    def sees_org(self, org_id: int) -> bool:
        return org_id in self.org_ids

    def sees_worker(self, *, worker_id: int, unit_id: int) -> bool:
        return worker_id == self.own_worker_id or unit_id in self.org_ids


def may_view_performance(user: User) -> bool:
    """The outcome tracker, an indicator's page and the methodology."""
    return bool(user.is_authenticated and user.is_active and user.role in PERFORMANCE_ROLES)


def may_view_scorecard(user: User) -> bool:
    """The monthly scorecard and its downloads: the report of the org units."""
    return may_view_performance(user) and user.role in SCORECARD_ROLES


def may_list_cases(user: User) -> bool:
    """Whether the cases behind a number may be listed (within the case scope)."""
    return may_view_performance(user) and user.role in CASE_LIST_ROLES


def performance_scope(user: User, tree: OrgTree) -> PerformanceScope | None:
    """The user's scope over the figures; None when they may see none."""
    if not may_view_performance(user):
        return None
    if user.role in COUNTY_WIDE_ROLES:
        county = tree.of_kind(OrgKind.COUNTY)
        if not county:
            return None
        return PerformanceScope(frozenset(tree.nodes), root_org_id=county[0].id)
    if user.role == UserRole.PRACTITIONER:
        if user.worker_id is None:
            return None
        return PerformanceScope(frozenset(), own_worker_id=user.worker_id)
    if user.org_unit_id is None or user.org_unit_id not in tree.nodes:
        return None
    return PerformanceScope(
        frozenset(tree.descendants(user.org_unit_id)), root_org_id=user.org_unit_id
    )
