"""Small-number suppression for exports to partners, following the DfE convention.

- **Primary**: a count from 1 to 5 (a numerator, a denominator, or the value of an
  indicator whose value is a count) is shown as `c`. Zero is shown: it discloses no one.
- **Derived**: a value computed from a suppressed count (a percentage, a median, cases
  per FTE) is `c` too, and so is its RAG; otherwise `value × denominator` would give the
  numerator back.
- **Secondary**: within one indicator, month, window and figure, the children of an org
  unit (its areas, districts or units; a unit's workers) add up to it. Where the parent
  is shown and exactly one child is suppressed, the child would be parent − the others,
  so the next smallest child is suppressed as well (a non-zero one when there is one; the
  parent itself when the child has no sibling). Where a parent is suppressed and every
  child is shown, the parent would be the children's sum, so its smallest child is
  suppressed. The two rules are applied until neither changes anything.

The rules work on the rows of every level at once, whatever level an export then shows,
so that two exports of the same month cannot be combined to work a cell back.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal

from earlyhelp.domain.indicators.compute import ResultRow
from earlyhelp.domain.indicators.definitions import INDICATORS, Basis, Unit
from earlyhelp.organisation.models import OrgUnit, Worker

SUPPRESSED = "c"
SMALLEST, LARGEST = 1, 5
COUNT_FIELDS = ("numerator", "denominator", "value")

Node = tuple[str, int]  # ("O", org unit id) or ("W", worker id)


@dataclass(frozen=True)
class Tree:
    """The parent of every org unit and worker (a worker's is its unit)."""

    parent: Mapping[Node, Node | None]

    @classmethod
    def from_pairs(
        cls, org_units: Iterable[tuple[int, int | None]], workers: Iterable[tuple[int, int]] = ()
    ) -> Tree:
        parent: dict[Node, Node | None] = {
            ("O", org): (("O", up) if up is not None else None) for org, up in org_units
        }
        parent.update({("W", worker): ("O", unit) for worker, unit in workers})
        return cls(parent)


def tree_from_database() -> Tree:
    return Tree.from_pairs(
        OrgUnit.objects.values_list("id", "parent_id"), Worker.objects.values_list("id", "unit_id")
    )


def is_small(count: int) -> bool:
    return SMALLEST <= count <= LARGEST


def cells_to_suppress(cells: Mapping[Node, int], tree: Tree) -> set[Node]:
    """The cells of one table (one indicator, month, window and figure) to show as `c`."""
    hidden = {node for node, count in cells.items() if is_small(count)}
    children: dict[Node, list[Node]] = defaultdict(list)
    for node in sorted(cells):
        up = tree.parent.get(node)
        if up is not None and up in cells:
            children[up].append(node)
    changed = bool(hidden)
    while changed:
        changed = False
        for up, kids in children.items():
            hidden_kids = sum(1 for kid in kids if kid in hidden)
            shown = [kid for kid in kids if kid not in hidden]
            if up not in hidden and hidden_kids == 1:
                hidden.add(_smallest(shown, cells) if shown else up)
                changed = True
            elif up in hidden and hidden_kids == 0 and shown:
                hidden.add(_smallest(shown, cells))
                changed = True
    return hidden


def _smallest(nodes: Sequence[Node], cells: Mapping[Node, int]) -> Node:
    """The next smallest cell: non-zero first (a zero discloses no one), then by count."""
    return min(nodes, key=lambda node: (cells[node] == 0, cells[node], node))


def _node(row: ResultRow) -> Node:
    return ("W", row.worker_id) if row.worker_id is not None else ("O", row.org_id or 0)


def _counts(row: ResultRow, field: str) -> int | None:
    """The row's figure when it is a count of people or records (else None).

    Numerators and denominators are counts, but for EH10's (FTE); a value is a count for an
    imported indicator counted in people (YJ01, TF01, EX01-EX04). Snapshots read back from
    the database hold their denominators as decimals: whole ones are counts.
    """
    indicator = INDICATORS[row.code]
    if field == "value":
        if indicator.basis is not Basis.IMPORTED or indicator.unit is not Unit.COUNT:
            return None
    elif field == "denominator" and indicator.unit is Unit.PER_FTE:
        return None
    return _whole(getattr(row, field))


def _whole(number: object) -> int | None:
    if isinstance(number, bool) or number is None:
        return None
    if isinstance(number, int):
        return number
    if isinstance(number, Decimal) and number == number.to_integral_value():
        return int(number)
    return None


def suppress(rows: Iterable[ResultRow], tree: Tree | None = None) -> list[ResultRow]:
    """The rows with every figure to withhold replaced by `c` (rows keep their order)."""
    rows = list(rows)
    tree = tree if tree is not None else tree_from_database()
    tables: dict[tuple[str, str, int | None, str], dict[Node, int]] = defaultdict(dict)
    for row in rows:
        for field in COUNT_FIELDS:
            count = _counts(row, field)
            if count is not None:
                tables[(row.code, row.period, row.window, field)][_node(row)] = count
    hidden = {key: cells_to_suppress(cells, tree) for key, cells in tables.items()}
    return [_masked(row, hidden) for row in rows]


def _masked(
    row: ResultRow, hidden: Mapping[tuple[str, str, int | None, str], set[Node]]
) -> ResultRow:
    node = _node(row)
    fields = [
        field
        for field in COUNT_FIELDS
        if node in hidden.get((row.code, row.period, row.window, field), ())
    ]
    if not fields:
        return row
    if row.value is not None:
        fields.append("value")  # derived from a suppressed count, or a count itself
    changes = {field: SUPPRESSED for field in fields}
    if "value" in changes and row.rag:
        changes["rag"] = SUPPRESSED
    return row._replace(**changes)
