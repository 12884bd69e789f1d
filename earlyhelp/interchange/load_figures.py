"""Writing context_figures.csv, imported_indicators.csv and targets.csv."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from earlyhelp.interchange.checks import chunked
from earlyhelp.interchange.load_context import LoadContext
from earlyhelp.interchange.reader import Row
from earlyhelp.interchange.upsert import Record, Table, Tally, upsert
from earlyhelp.performance.models import ContextFigure, ImportedIndicatorValue, Target

CONTEXT_FIGURES = Table(ContextFigure, ("measure", "period", "org_unit_id"), ("value",))
IMPORTED_VALUES = Table(
    ImportedIndicatorValue,
    ("indicator_code", "period", "org_unit_id"),
    ("value", "numerator", "denominator"),
)
TARGETS = Table(Target, ("indicator_code", "year"), ("target", "floor"))


def _load(
    rows: Iterable[Row], ctx: LoadContext, table: Table, record: Callable[[Row], Record]
) -> Tally:
    tally = Tally()
    for chunk in chunked(rows):
        tally.add(upsert(table, [record(row) for row in chunk], ctx.stamp))
    return tally


def load_context_figures(rows: Iterable[Row], ctx: LoadContext) -> Tally:
    def record(row: Row) -> Record:
        return {
            "measure": row["measure"],
            "period": row["period"],
            "org_unit_id": ctx.org_unit_pk(row["org_unit_code"]),
            "value": row["value"],
        }

    return _load(rows, ctx, CONTEXT_FIGURES, record)


def load_imported_indicators(rows: Iterable[Row], ctx: LoadContext) -> Tally:
    def record(row: Row) -> Record:
        return {
            "indicator_code": row["indicator_code"],
            "period": row["period"],
            "org_unit_id": ctx.org_unit_pk(row["org_unit_code"]),
            "value": row["value"],
            "numerator": row["numerator"],
            "denominator": row["denominator"],
        }

    return _load(rows, ctx, IMPORTED_VALUES, record)


def load_targets(rows: Iterable[Row], ctx: LoadContext) -> Tally:
    def record(row: Row) -> Record:
        return {
            "indicator_code": row["indicator_code"],
            "year": row["year"],
            "target": row["target"],
            "floor": row["floor"],
        }

    return _load(rows, ctx, TARGETS, record)
