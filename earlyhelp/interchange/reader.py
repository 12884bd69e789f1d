"""Reading one file of a dataset as a stream of parsed rows.

Every cell goes through its column's parser; what fails is reported (when an `Issues`
is given) and marked bad in the row, so that the rules of several columns skip it
rather than report the same problem twice. A file whose header lacks a column is still
read: its rows have that column marked bad, so the identifiers it holds stay known and
other files do not fill up with errors that only repeat the first.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from earlyhelp.interchange.issues import WHOLE_ROW, FileIssues
from earlyhelp.interchange.spec import Column, FileSpec
from earlyhelp.interchange.values import CellError

ENCODING = "utf-8-sig"  # UTF-8; a byte-order mark, as spreadsheets write, is tolerated


@dataclass(slots=True)
class Row:
    """A row's parsed values by column (None when empty or bad) and the bad columns."""

    line: int
    values: dict[str, Any]
    bad: set[str] = field(default_factory=set)

    def __getitem__(self, column: str) -> Any:
        return self.values.get(column)

    def ok(self, *columns: str) -> bool:
        """True when none of the columns is bad (an empty optional cell is fine)."""
        return not any(column in self.bad for column in columns)


def check_header(header: list[str], spec: FileSpec, issues: FileIssues | None) -> list[str]:
    """The expected columns missing from the header, after reporting every header problem."""
    expected = spec.column_names
    missing = [name for name in expected if name not in header]
    if issues is None:
        return missing
    seen: set[str] = set()
    for name in header:
        if name in seen:
            issues.error(1, name or WHOLE_ROW, "the column appears twice")
        elif name not in expected:
            issues.error(
                1, name or WHOLE_ROW, f"unknown column: the columns are {', '.join(expected)}"
            )
        seen.add(name)
    for name in missing:
        issues.error(1, name, "missing column")
    return missing


def read_rows(path: Path, spec: FileSpec, issues: FileIssues | None = None) -> Iterator[Row]:
    """The file's rows, parsed; with `issues`, every problem found is reported there."""
    with path.open(encoding=ENCODING, newline="") as handle:
        reader = csv.reader(handle, strict=True)
        line = 1
        try:
            header = next(reader, None)
            if header is None:
                if issues is not None:
                    issues.error(1, WHOLE_ROW, "the file is empty: it needs a header row")
                return
            missing = check_header(header, spec, issues)
            positions = {name: i for i, name in enumerate(header) if name in spec.column_names}
            while True:
                line = reader.line_num + 1
                cells = next(reader, None)
                if cells is None:
                    return
                if not cells:  # a blank line
                    continue
                if len(cells) != len(header):
                    if issues is not None:
                        issues.error(
                            line,
                            WHOLE_ROW,
                            f"the row has {len(cells)} fields where the header has {len(header)}",
                        )
                    continue
                yield _parse(line, cells, spec, positions, missing, issues)
        except csv.Error as error:
            if issues is not None:
                issues.error(line, WHOLE_ROW, f"the file is not valid CSV: {error}")
        except UnicodeDecodeError:
            if issues is not None:
                issues.error(line, WHOLE_ROW, "the file is not UTF-8 text")


def _parse(
    line: int,
    cells: list[str],
    spec: FileSpec,
    positions: dict[str, int],
    missing: list[str],
    issues: FileIssues | None,
) -> Row:
    row = Row(line, {}, set(missing))
    for column in spec.columns:
        position = positions.get(column.name)
        if position is not None:
            _parse_cell(row, column, cells[position], issues)
    return row


def _parse_cell(row: Row, column: Column, raw: str, issues: FileIssues | None) -> None:
    if raw == "":
        row.values[column.name] = None
        if column.required:
            row.bad.add(column.name)
            if issues is not None:
                issues.error(row.line, column.name, "a value is required")
        return
    try:
        row.values[column.name] = column.parse(raw)
    except CellError as error:
        row.values[column.name] = None
        row.bad.add(column.name)
        if issues is not None:
            issues.error(row.line, column.name, error.message)
