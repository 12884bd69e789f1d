"""The monthly scorecard: which rows, in which order, and how each figure is written.

Columns and rules of spec/indicators.md, "Scorecard output": numbers as plain decimals
(never scientific notation), a value to its indicator's decimals (`0.0`, `17.9`, `4.25`,
`351`), an imported value as given, a target only beside a value. A figure withheld by
small-number suppression (`suppression.py`) is already the text `c` and is written as is.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from decimal import Decimal
from typing import TextIO

from earlyhelp.domain.indicators.compute import ResultRow
from earlyhelp.domain.indicators.definitions import ALL_LEVELS, INDICATORS

COLUMNS = (
    "indicator_code", "level", "org_unit_code", "period", "window_months", "numerator",
    "denominator", "value", "target", "rag",
)  # fmt: skip
_INDICATOR_ORDER = {code: i for i, code in enumerate(INDICATORS)}
_LEVEL_ORDER = {level.value: i for i, level in enumerate(ALL_LEVELS)}


def plain(number: Decimal | int | str | None) -> str:
    """A number as a plain decimal without trailing zeros: 18.7, 3, 0.5, 560; None is ''."""
    if number is None:
        return ""
    if isinstance(number, int | str):  # a suppressed figure is the text "c"
        return str(number)
    text = format(number.normalize(), "f")
    return "0" if text in {"-0", ""} else text


def value_text(code: str, value: Decimal | str | None) -> str:
    """A value to its indicator's decimal places; an imported value as given."""
    if value is None:
        return ""
    if isinstance(value, str):  # suppressed
        return value
    places = INDICATORS[code].decimals
    if places is None:
        return plain(value)
    return format(value.quantize(Decimal(1).scaleb(-places)), "f")


def ordered(rows: Iterable[ResultRow]) -> list[ResultRow]:
    """Indicators in definition order, then county → worker, then org unit code."""
    return sorted(
        rows,
        key=lambda r: (_INDICATOR_ORDER.get(r.code, 99), r.code, _LEVEL_ORDER[r.level], r.org_code),
    )


def cells(row: ResultRow) -> tuple[str, ...]:
    """One scorecard row as the CSV writes it."""
    return (
        row.code,
        row.level,
        row.org_code,
        row.period,
        "" if row.window is None else str(row.window),
        plain(row.numerator),
        plain(row.denominator),
        value_text(row.code, row.value),
        plain(row.target) if row.value is not None else "",
        row.rag or "",
    )


def write_csv(rows: Iterable[ResultRow], out: TextIO) -> int:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    count = 0
    for row in ordered(rows):
        writer.writerow(cells(row))
        count += 1
    return count
