"""Checks of org_units.csv, workers.csv and families.csv."""

from __future__ import annotations

from earlyhelp.domain.codes import OrgKind
from earlyhelp.interchange.checks import FileCheck, a
from earlyhelp.interchange.issues import FileIssues
from earlyhelp.interchange.known import IN_DATABASE, Known, OrgInfo, WorkerInfo
from earlyhelp.interchange.reader import Row
from earlyhelp.interchange.spec import FAMILIES, ORG_UNITS, WORKERS

# The kinds an org unit's parent may be, and how a message says so.
PARENT_KINDS: dict[str, tuple[tuple[str, ...], str]] = {
    OrgKind.AREA: ((OrgKind.COUNTY,), "the COUNTY"),
    OrgKind.DISTRICT: ((OrgKind.AREA,), "an AREA"),
    OrgKind.UNIT: ((OrgKind.DISTRICT, OrgKind.COUNTY), "a DISTRICT or the COUNTY"),
}


class OrgUnitsCheck(FileCheck):
    """The tree needs every row (a parent may come after its children): checked at the end."""

    spec = ORG_UNITS

    def __init__(self, known: Known, issues: FileIssues) -> None:
        super().__init__(known, issues)
        self.rows: list[Row] = []

    def check(self, row: Row) -> None:
        self.rows.append(row)
        self.known.org_units.add(row["code"], OrgInfo(row["kind"] or "", row.line))

    def finish(self) -> None:
        tree = self.known.org_units.merged()
        for row in self.rows:
            self._check_parent(row, tree)
            self._check_service(row)
        self._check_one_county(tree)

    def _check_parent(self, row: Row, tree: dict[str, OrgInfo]) -> None:
        kind, parent = row["kind"], row["parent_code"]
        if kind is None or not row.ok("parent_code"):
            return
        if kind == OrgKind.COUNTY:
            if parent is not None:
                self.error(row, "parent_code", "the COUNTY has no parent: leave it empty")
            return
        kinds, wanted = PARENT_KINDS[kind]
        if parent is None:
            self.error(row, "parent_code", f"a value is required: {a(kind)}'s parent is {wanted}")
        elif parent not in tree:
            self.error(row, "parent_code", f"{parent} is not in org_units.csv or the database")
        elif tree[parent].kind and tree[parent].kind not in kinds:
            self.error(
                row,
                "parent_code",
                f"{parent} is {a(tree[parent].kind)}: {a(kind)}'s parent is {wanted}",
            )

    def _check_service(self, row: Row) -> None:
        if row["kind"] is None or not row.ok("service"):
            return
        if row["kind"] == OrgKind.UNIT and row["service"] is None:
            self.error(row, "service", "a value is required for a UNIT")
        elif row["kind"] != OrgKind.UNIT and row["service"] is not None:
            self.error(row, "service", "only a UNIT has a service: leave it empty")

    def _check_one_county(self, tree: dict[str, OrgInfo]) -> None:
        counties = sorted((info.line, code) for code, info in tree.items() if info.kind == "COUNTY")
        if len(counties) < 2:
            return
        first_line, first = counties[0]
        where = "in the database" if first_line == IN_DATABASE else f"line {first_line}"
        for line, _ in counties[1:]:
            self.issues.error(line, "kind", f"only one COUNTY: {first} ({where}) is the COUNTY")


class WorkersCheck(FileCheck):
    spec = WORKERS

    def check(self, row: Row) -> None:
        self.org_unit(row, "unit_code", (OrgKind.UNIT,), "a UNIT")
        self.known.workers.add(row["code"], WorkerInfo(row["unit_code"] or "", row.line))


class FamiliesCheck(FileCheck):
    spec = FAMILIES

    def check(self, row: Row) -> None:
        self.org_unit(row, "district_code", (OrgKind.DISTRICT,), "a DISTRICT")
        self.known.families.add(row["family_id"], row["family_id"])
