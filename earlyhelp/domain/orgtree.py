"""The organisation tree held in memory: ~100 org units, read once per request or job."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from earlyhelp.domain.codes import OrgKind


@dataclass(frozen=True, slots=True)
class Node:
    id: int
    code: str
    name: str
    kind: str
    parent_id: int | None
    service: str


@dataclass
class OrgTree:
    nodes: dict[int, Node]
    children: dict[int | None, list[int]] = field(default_factory=lambda: defaultdict(list))

    @classmethod
    def build(cls, nodes: list[Node]) -> OrgTree:
        tree = cls(nodes={n.id: n for n in nodes})
        for node in sorted(nodes, key=lambda n: n.code):
            tree.children[node.parent_id].append(node.id)
        return tree

    def descendants(self, node_id: int) -> set[int]:
        """The node and everything below it."""
        found, stack = set(), [node_id]
        while stack:
            current = stack.pop()
            found.add(current)
            stack.extend(self.children.get(current, []))
        return found

    def ancestors(self, node_id: int) -> list[Node]:
        """The node's parents, nearest first."""
        out: list[Node] = []
        parent = self.nodes[node_id].parent_id
        while parent is not None:
            out.append(self.nodes[parent])
            parent = self.nodes[parent].parent_id
        return out

    def ancestor_of_kind(self, node_id: int, kind: OrgKind) -> Node | None:
        node = self.nodes[node_id]
        if node.kind == kind:
            return node
        return next((a for a in self.ancestors(node_id) if a.kind == kind), None)

    def of_kind(self, kind: OrgKind) -> list[Node]:
        return sorted((n for n in self.nodes.values() if n.kind == kind), key=lambda n: n.code)

    def by_code(self, code: str) -> Node | None:
        return next((n for n in self.nodes.values() if n.code == code), None)
