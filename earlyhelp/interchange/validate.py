"""The first pass of an import: read every file and apply every rule, writing nothing.

Files are read in the order of `spec.FILES` (each refers only to those before it),
streamed in chunks: memory holds what later files need to know of each record (see
`known.py`), never the rows themselves.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from earlyhelp.interchange.checks import FileCheck, chunked
from earlyhelp.interchange.checks_casework import CasesCheck, NotificationsCheck, ReviewsCheck
from earlyhelp.interchange.checks_figures import (
    ContextFiguresCheck,
    ImportedIndicatorsCheck,
    TargetsCheck,
)
from earlyhelp.interchange.checks_org import FamiliesCheck, OrgUnitsCheck, WorkersCheck
from earlyhelp.interchange.checks_people import PeopleCheck
from earlyhelp.interchange.issues import WHOLE_ROW, FileIssues, Issues
from earlyhelp.interchange.known import Known
from earlyhelp.interchange.reader import Row, read_rows
from earlyhelp.interchange.spec import FILE_NAMES, FILES, FileSpec

CHECKS: dict[str, type[FileCheck]] = {
    check.spec.name: check
    for check in (
        OrgUnitsCheck,
        WorkersCheck,
        FamiliesCheck,
        PeopleCheck,
        NotificationsCheck,
        CasesCheck,
        ReviewsCheck,
        ContextFiguresCheck,
        ImportedIndicatorsCheck,
        TargetsCheck,
    )
}


@dataclass
class Validation:
    issues: Issues
    known: Known
    present: list[FileSpec]

    @property
    def ok(self) -> bool:
        return not self.issues.errors


def validate_dataset(directory: Path) -> Validation:
    issues = Issues()
    present = _files_present(directory, issues)
    known = Known()
    for spec in present:
        _validate_file(directory / spec.name, spec, known, issues.for_file(spec.name))
    return Validation(issues, known, present)


def _files_present(directory: Path, issues: Issues) -> list[FileSpec]:
    for path in sorted(directory.glob("*.csv")):
        if path.name not in FILE_NAMES:
            issues.error(
                path.name,
                0,
                WHOLE_ROW,
                f"unknown file: the files of a dataset are {', '.join(FILE_NAMES)}",
            )
    for spec in FILES:
        if spec.required and not (directory / spec.name).is_file():
            issues.error(spec.name, 0, WHOLE_ROW, "the file is missing: every dataset has one")
    return [spec for spec in FILES if (directory / spec.name).is_file()]


def _validate_file(path: Path, spec: FileSpec, known: Known, issues: FileIssues) -> None:
    check = CHECKS[spec.name](known, issues)
    first_lines: dict[object, int] = {}
    for chunk in chunked(read_rows(path, spec, issues)):
        fresh = [row for row in chunk if _is_first(row, spec, first_lines, issues)]
        check.prefetch(fresh)
        for row in fresh:
            check.check(row)
    check.finish()


def _is_first(row: Row, spec: FileSpec, first_lines: dict[object, int], issues: FileIssues) -> bool:
    """False for a row whose identifier (key) an earlier row of the file has (reported)."""
    if not row.ok(*spec.key) or any(row[column] is None for column in spec.key):
        return True
    key = row[spec.key[0]] if len(spec.key) == 1 else tuple(row[c] for c in spec.key)
    first = first_lines.setdefault(key, row.line)
    if first == row.line:
        return True
    if len(spec.key) == 1:
        issues.error(row.line, spec.key[0], f"{key} appears twice: first on line {first}")
    else:
        issues.error(row.line, spec.key[-1], f"the same {', '.join(spec.key)} as line {first}")
    return False


def validate_files(directory: Path, specs: tuple[FileSpec, ...]) -> Validation:
    """Validate only the files of `specs` found in `directory` (no other file is looked at),
    against the database for what they refer to: the figures of the upload page."""
    issues = Issues()
    present = [spec for spec in FILES if spec in specs and (directory / spec.name).is_file()]
    known = Known()
    for spec in present:
        _validate_file(directory / spec.name, spec, known, issues.for_file(spec.name))
    return Validation(issues, known, present)
