"""Exports for analysts' tools: tables as Parquet (DuckDB, Power BI, Superset, pandas).

Each table is streamed from the database and written a record batch at a time, so memory
holds one batch, not the table. Column types come from the model's fields:

| Django field | Parquet (Arrow) type |
|---|---|
| CharField, TextField, JSONField | string (an empty text is null, as in the CSV files) |
| DateField | date32 |
| DateTimeField | timestamp[us, UTC] (an instant; UK local time is a display matter) |
| DecimalField(max_digits=p, decimal_places=s) | decimal128(p, s): exact, never float |
| SmallIntegerField, PositiveSmallIntegerField | int16 |
| IntegerField, PositiveIntegerField | int32 |
| BigIntegerField, AutoField, ForeignKey ids | int64 |
| BooleanField | bool |

A field path through a foreign key (`org_unit__code`) takes the type of the field it ends on.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from itertools import islice
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from django.db import models

from earlyhelp.performance.models import IndicatorValue

BATCH_ROWS = 50_000
CHUNK = 5_000
INDICATOR_VALUES = "indicator_values.parquet"
INDICATOR_VALUE_COLUMNS: dict[str, str] = {
    name: name
    for name in (
        "indicator_code", "level", "org_code", "period", "window_months", "numerator",
        "denominator", "value", "target", "floor", "rag", "computed_at",
    )
}  # fmt: skip
INDICATOR_VALUE_COLUMNS |= {"org_unit_id": "org_unit", "worker_id": "worker"}


def model_field(model: type[models.Model], path: str) -> models.Field:
    """The field a path such as `family__district__code` ends on."""
    *links, last = path.split("__")
    for name in links:
        model = model._meta.get_field(name).related_model  # type: ignore[assignment]
    return model._meta.get_field(last)  # type: ignore[return-value]


def arrow_type(field: models.Field) -> pa.DataType:
    """The Parquet column type of a Django field (see the table above)."""
    if isinstance(field, models.ForeignKey):
        return arrow_type(field.target_field)
    if isinstance(field, models.DecimalField):
        return pa.decimal128(field.max_digits, field.decimal_places)
    if isinstance(field, models.DateTimeField):
        return pa.timestamp("us", tz="UTC")
    if isinstance(field, models.DateField):
        return pa.date32()
    if isinstance(field, models.BooleanField):
        return pa.bool_()
    if isinstance(field, models.SmallIntegerField | models.PositiveSmallIntegerField):
        return pa.int16()
    if isinstance(field, models.BigIntegerField | models.BigAutoField):
        return pa.int64()
    if isinstance(field, models.IntegerField | models.AutoField):
        return pa.int32()
    return pa.string()


def schema_of(model: type[models.Model], columns: Mapping[str, str]) -> pa.Schema:
    """Columns (name → field path) with their types; every column may be null."""
    return pa.schema(
        [pa.field(name, arrow_type(model_field(model, path))) for name, path in columns.items()]
    )


def write_parquet(path: Path, schema: pa.Schema, rows: Iterable[Sequence[Any]]) -> int:
    """Write the rows (tuples in the schema's order) as one Parquet file; how many rows.

    Written to `<name>.partial` and renamed at the end: a reader never sees half a file.
    """
    partial = path.with_name(path.name + ".partial")
    texts = [i for i, field in enumerate(schema) if pa.types.is_string(field.type)]
    written = 0
    with pq.ParquetWriter(partial, schema, compression="zstd") as writer:
        for batch in _batches(rows):
            columns = [list(column) for column in zip(*batch, strict=True)]
            for i in texts:  # an empty text is null, as in the interchange CSV files
                columns[i] = [value if value != "" else None for value in columns[i]]
            arrays = [
                pa.array(column, type=field.type)
                for column, field in zip(columns, schema, strict=True)
            ]
            writer.write_batch(pa.RecordBatch.from_arrays(arrays, schema=schema))
            written += len(batch)
    os.replace(partial, path)
    return written


def _batches(rows: Iterable[Sequence[Any]]) -> Iterator[list[Sequence[Any]]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, BATCH_ROWS)):
        yield batch


def indicator_values_parquet(directory: Path) -> int:
    """The snapshot table (every indicator, level, org unit or worker, month and window)."""
    schema = schema_of(IndicatorValue, INDICATOR_VALUE_COLUMNS)
    rows = (
        IndicatorValue.objects.order_by("period", "indicator_code", "level", "org_code", "id")
        .values_list(*INDICATOR_VALUE_COLUMNS.values())
        .iterator(chunk_size=CHUNK)
    )
    return write_parquet(directory / INDICATOR_VALUES, schema, rows)
