"""Where figures are read: places (org units and workers) within the user's scope, and the
scorecard's rows at every level of that scope."""

from __future__ import annotations

from dataclasses import dataclass

from earlyhelp.common.errors import NotFound, PermissionRefused
from earlyhelp.domain.codes import OrgKind
from earlyhelp.domain.indicators.compute import ResultRow
from earlyhelp.domain.indicators.definitions import (
    Level,
)
from earlyhelp.domain.orgtree import Node, OrgTree
from earlyhelp.organisation.models import User, Worker
from earlyhelp.organisation.selectors import org_tree
from earlyhelp.performance.policies import (
    COUNTY_WIDE_ROLES,
    PerformanceScope,
    may_view_scorecard,
    performance_scope,
)
from earlyhelp.performance.selectors_snapshots import indicator_values


@dataclass(frozen=True, slots=True)
class Place:
    """Where figures are read: an org unit (county, area, district, unit) or a worker."""

    level: Level
    code: str
    name: str
    org_id: int | None = None
    worker_id: int | None = None

    @property
    def slug(self) -> str:
        """The level as written in addresses: county, area, district, unit, worker."""
        return self.level.value.lower()


@dataclass(frozen=True, slots=True)
class PlaceView:
    """A place with the places above it (top first) and below it that the user may see."""

    place: Place
    trail: tuple[Place, ...]
    children: tuple[Place, ...]


def _org_place(node: Node) -> Place:
    return Place(Level(node.kind), node.code, node.name, org_id=node.id)


def _worker_place(worker_id: int, code: str, name: str) -> Place:
    return Place(Level.WORKER, code, name, worker_id=worker_id)


def _scope(user: User, tree: OrgTree) -> PerformanceScope:
    scope = performance_scope(user, tree)
    if scope is None:
        raise PermissionRefused("Your role does not give access to the indicators.")
    return scope


def _trail(tree: OrgTree, scope: PerformanceScope, org_id: int, *, inclusive: bool) -> tuple:
    nodes = [*reversed(tree.ancestors(org_id)), *([tree.nodes[org_id]] if inclusive else [])]
    return tuple(_org_place(n) for n in nodes if scope.sees_org(n.id))


def _org_view(tree: OrgTree, scope: PerformanceScope, node: Node) -> PlaceView:
    if node.kind == OrgKind.UNIT:
        workers = Worker.objects.filter(unit_id=node.id).order_by("name", "code")
        below = tuple(_worker_place(w.pk, w.code, w.name) for w in workers)
    else:
        below = tuple(_org_place(tree.nodes[i]) for i in tree.children.get(node.id, []))
    return PlaceView(_org_place(node), _trail(tree, scope, node.id, inclusive=False), below)


def _worker_view(tree: OrgTree, scope: PerformanceScope, worker: Worker) -> PlaceView:
    trail = _trail(tree, scope, worker.unit_id, inclusive=True)
    return PlaceView(_worker_place(worker.pk, worker.code, worker.name), trail, ())


def performance_home(*, user: User) -> PlaceView:
    """Where the user's figures start: the county, their district, area or unit, or themselves."""
    tree = org_tree()
    scope = _scope(user, tree)
    if scope.root_org_id is not None:
        return _org_view(tree, scope, tree.nodes[scope.root_org_id])
    worker = Worker.objects.get(pk=scope.own_worker_id)
    return _worker_view(tree, scope, worker)


def performance_home_or_none(*, user: User) -> Place | None:
    try:
        return performance_home(user=user).place
    except PermissionRefused:
        return None


def performance_place(*, user: User, level: str, code: str) -> PlaceView:
    """One place by level (`district`, `worker` …) and code; out of scope is not found."""
    tree = org_tree()
    scope = _scope(user, tree)
    if level.upper() == Level.WORKER:
        worker = Worker.objects.filter(code=code).first()
        if worker is None or not scope.sees_worker(worker_id=worker.pk, unit_id=worker.unit_id):
            raise NotFound("worker")
        return _worker_view(tree, scope, worker)
    node = tree.by_code(code)
    if node is None or node.kind != level.upper() or not scope.sees_org(node.id):
        raise NotFound("org unit")
    return _org_view(tree, scope, node)


def performance_place_of(*, user: User, org: str = "", worker: str = "") -> PlaceView:
    """A place given as `?org=CODE` or `?worker=CODE`; neither is the user's home."""
    if worker:
        return performance_place(user=user, level=Level.WORKER.value, code=worker)
    if org:
        node = org_tree().by_code(org)
        if node is None:
            raise NotFound("org unit")
        return performance_place(user=user, level=node.kind, code=org)
    return performance_home(user=user)


def scorecard_place(*, user: User, org: str = "") -> PlaceView:
    """The scorecard's org unit: the user's home unless another in scope is asked for."""
    if not may_view_scorecard(user):
        raise PermissionRefused("Your role does not give access to the scorecard.")
    return performance_place_of(user=user, org=org)


def scorecard_export(*, user: User, period: str, window: int) -> list[ResultRow]:
    """The month's scorecard rows at every level of the user's scope (for CSV and XLSX)."""
    if not may_view_scorecard(user):
        raise PermissionRefused("Your role does not give access to the scorecard.")
    tree = org_tree()
    scope = _scope(user, tree)
    rows = indicator_values(period=period, window=window)
    if user.role in COUNTY_WIDE_ROLES:
        return list(rows)
    units = dict(Worker.objects.values_list("id", "unit_id"))
    return [
        r
        for r in rows
        if (r.org_id is not None and scope.sees_org(r.org_id))
        or (r.worker_id is not None and scope.sees_worker(worker_id=r.worker_id,
                                                          unit_id=units.get(r.worker_id, 0)))
    ]  # fmt: skip
