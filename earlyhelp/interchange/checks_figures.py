"""Checks of context_figures.csv, imported_indicators.csv and targets.csv."""

from __future__ import annotations

from earlyhelp.domain.codes import OrgKind
from earlyhelp.interchange.checks import FileCheck
from earlyhelp.interchange.reader import Row
from earlyhelp.interchange.spec import CONTEXT_FIGURES, IMPORTED_INDICATOR_VALUES, TARGETS


class ContextFiguresCheck(FileCheck):
    spec = CONTEXT_FIGURES

    def check(self, row: Row) -> None:
        self.org_unit(row, "org_unit_code", (OrgKind.DISTRICT,), "a DISTRICT")


class ImportedIndicatorsCheck(FileCheck):
    spec = IMPORTED_INDICATOR_VALUES

    def check(self, row: Row) -> None:
        self.org_unit(
            row,
            "org_unit_code",
            (OrgKind.COUNTY, OrgKind.AREA, OrgKind.DISTRICT),
            "the COUNTY, an AREA or a DISTRICT",
        )


class TargetsCheck(FileCheck):
    """Every column's rule is its own (see spec.py): nothing across columns or files."""

    spec = TARGETS

    def check(self, row: Row) -> None:
        return None
