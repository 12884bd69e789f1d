"""The scorecard as a workbook: a sheet per level, RAG colours, definitions, a data stamp."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from itertools import groupby
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from earlyhelp.domain.codes import label
from earlyhelp.domain.indicators.compute import ResultRow
from earlyhelp.domain.indicators.definitions import INDICATORS, SPEC_VERSION
from earlyhelp.domain.indicators.periods import as_of, parse_period
from earlyhelp.performance.scorecard import ordered

HEADER = (
    "Indicator", "Name", "Org unit", "Period", "Window (months)", "Numerator", "Denominator",
    "Value", "Target", "RAG",
)  # fmt: skip
WIDTHS = (10, 60, 14, 9, 9, 11, 12, 10, 9, 8)
# GOV.UK colours: green, yellow (amber), red; white text on red and green.
FILLS = {
    "GREEN": (PatternFill("solid", fgColor="00703C"), Font(color="FFFFFF", bold=True)),
    "AMBER": (PatternFill("solid", fgColor="FFDD00"), Font(color="0B0C0C", bold=True)),
    "RED": (PatternFill("solid", fgColor="D4351C"), Font(color="FFFFFF", bold=True)),
}
BOLD = Font(bold=True)


def write_xlsx(
    rows: Iterable[ResultRow], path: Path, *, period: str, window: int, data_as_at: date,
    computed_at: datetime | None, notes: Sequence[tuple[str, str]] = (),
) -> int:  # fmt: skip
    """Write the workbook; returns the number of indicator rows written.

    `notes` are more lines for the About sheet (sign-off, suppression).
    """
    book = Workbook()
    about = book.active
    if about is None:  # a new workbook always has one sheet
        about = book.create_sheet()
    _about(about, period=period, window=window, data_as_at=data_as_at, computed_at=computed_at)
    for note in notes:
        about.append(note)
    count = 0
    for level, level_rows in groupby(
        sorted(ordered(rows), key=lambda r: _LEVELS.index(r.level)), key=lambda r: r.level
    ):
        count += _level_sheet(book.create_sheet(label(level)), list(level_rows))
    _definitions(book.create_sheet("Definitions"))
    book.save(path)
    return count


_LEVELS = ["COUNTY", "AREA", "DISTRICT", "UNIT", "WORKER"]


def _about(
    sheet: Worksheet, *, period: str, window: int, data_as_at: date,
    computed_at: datetime | None,
) -> None:  # fmt: skip
    sheet.title = "About"
    month_end = as_of(parse_period(period))
    lines = [
        ("Early Help monthly scorecard", ""),
        ("Period", period),
        ("As-of date", month_end.isoformat()),
        ("Window (months)", str(window)),
        ("Data as at", data_as_at.isoformat()),
        ("Computed at", computed_at.isoformat(timespec="minutes") if computed_at else "now"),
        ("Definitions", f"spec/indicators.md, version {SPEC_VERSION}"),
    ]
    for line in lines:
        sheet.append(line)
    sheet["A1"].font = Font(bold=True, size=14)
    sheet.column_dimensions["A"].width = 20
    sheet.column_dimensions["B"].width = 40


def _level_sheet(sheet: Worksheet, rows: list[ResultRow]) -> int:
    sheet.append(HEADER)
    for cell in sheet[1]:
        cell.font = BOLD
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    sheet.freeze_panes = "A2"
    for index, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for row in rows:
        sheet.append(_cells(row))
        _style(sheet, sheet.max_row, row)
    sheet.auto_filter.ref = sheet.dimensions
    return len(rows)


def _cells(row: ResultRow) -> list[object]:
    indicator = INDICATORS[row.code]
    return [
        row.code, indicator.name, row.org_code, row.period, row.window, row.numerator,
        row.denominator, row.value, row.target if row.value is not None else None, row.rag or "",
    ]  # fmt: skip


def _style(sheet: Worksheet, line: int, row: ResultRow) -> None:
    places = INDICATORS[row.code].decimals
    sheet.cell(line, 8).number_format = "0" if places == 0 else "0." + "0" * (places or 1)
    if isinstance(row.denominator, Decimal):
        sheet.cell(line, 7).number_format = "0.0#"
    if row.rag in FILLS:
        fill, font = FILLS[row.rag]
        sheet.cell(line, 10).fill = fill
        sheet.cell(line, 10).font = font


def _definitions(sheet: Worksheet) -> None:
    sheet.append(("Indicator", "Name", "Basis", "Polarity", "Unit", "Window", "Baseline 2015",
                  "Definition"))  # fmt: skip
    for cell in sheet[1]:
        cell.font = BOLD
    sheet.freeze_panes = "A2"
    for indicator in INDICATORS.values():
        sheet.append((
            indicator.code, indicator.name, indicator.basis.value.lower(),
            indicator.polarity.value.lower(), indicator.unit.value,
            "yes" if indicator.uses_window else "no",
            indicator.baseline, indicator.definition,
        ))  # fmt: skip
    for index, width in enumerate((10, 60, 13, 9, 14, 8, 13, 100), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
