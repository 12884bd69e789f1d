"""A chunked bulk writer: rows as plain dicts in, batched INSERTs (or COPY) out.

The demo writes a few million rows. `Model.objects.bulk_create` costs ~60 µs a row on SQLite
(building model instances, `pre_save`, compiling the SQL); this writer costs ~15 µs, and on
PostgreSQL it streams with COPY. It stays inside Django: table and column names come
from each model's `_meta`, values go through the same adaptation Django applies, and it
writes on the `default` connection inside the caller's transaction. Ids are assigned here
(continuing from the table's largest id), so that generated rows can point at each other
before anything is written; `finish()` moves PostgreSQL's sequences past them.

`created_at`/`updated_at` of `Tracked` models are taken from the row (the simulated moment
the record was made), falling back to `default_moment`: the demo never reads the real clock.
See docs/decisions/0001-demo-writes-in-bulk.md.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max

Row = dict[str, Any]
Converter = Callable[[Any], Any]

DEFAULT_BATCH = 5_000


def _sqlite_datetime(value: datetime | None) -> str | None:
    if value is None:
        return None
    return str(value.astimezone(UTC).replace(tzinfo=None))


def _sqlite_date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _json(value: object) -> str:
    return json.dumps(value)


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _identity(value: object) -> object:
    return value


class _Table:
    """One model's columns, defaults and value converters, and its pending rows."""

    def __init__(self, model: type[models.Model], vendor: str) -> None:
        self.model = model
        self.fields = [f for f in model._meta.concrete_fields]
        self.names = [f.attname for f in self.fields]
        self.defaults = [self._default(f) for f in self.fields]
        self.converters = [self._converter(f, vendor) for f in self.fields]
        self.tracked = "created_at" in self.names and "updated_at" in self.names
        self.rows: list[tuple[Any, ...]] = []
        self.next_id = (model._default_manager.aggregate(m=Max("pk"))["m"] or 0) + 1
        quote = connection.ops.quote_name
        self.columns = ", ".join(quote(f.column) for f in self.fields)
        self.table = quote(model._meta.db_table)

    @staticmethod
    def _default(field: models.Field) -> object:
        if field.primary_key or getattr(field, "auto_now_add", False):
            return None
        if getattr(field, "auto_now", False):
            return None
        return field.get_default()

    @staticmethod
    def _converter(field: models.Field, vendor: str) -> Converter:
        if isinstance(field, models.JSONField):
            return _json
        if vendor != "sqlite":
            return _identity
        if isinstance(field, models.DateTimeField):
            return _sqlite_datetime
        if isinstance(field, models.DateField):
            return _sqlite_date
        if isinstance(field, models.DecimalField):
            return _decimal
        return _identity

    def tuple_of(self, row: Row) -> tuple[Any, ...]:
        values = []
        for name, default, convert in zip(self.names, self.defaults, self.converters, strict=True):
            value = row.get(name, default)
            values.append(value if convert is _identity else convert(value))
        return tuple(values)


class BulkWriter:
    """Buffer rows per model and write them in batches on the default connection."""

    def __init__(self, *, default_moment: datetime, batch_size: int = DEFAULT_BATCH) -> None:
        self.default_moment = default_moment
        self.batch_size = batch_size
        self.vendor = connection.vendor
        self._tables: dict[type[models.Model], _Table] = {}
        self.counts: dict[str, int] = {}

    def _table(self, model: type[models.Model]) -> _Table:
        table = self._tables.get(model)
        if table is None:
            table = self._tables[model] = _Table(model, self.vendor)
        return table

    def next_id(self, model: type[models.Model]) -> int:
        table = self._table(model)
        value = table.next_id
        table.next_id += 1
        return value

    def add(self, model: type[models.Model], row: Row) -> int:
        """Queue one row (a dict keyed by attribute name); return its id."""
        table = self._table(model)
        if row.get("id") is None:
            row["id"] = self.next_id(model)
        if table.tracked:
            row.setdefault("created_at", self.default_moment)
            row.setdefault("updated_at", row["created_at"])
        table.rows.append(table.tuple_of(row))
        if len(table.rows) >= self.batch_size:
            self._write(table)
        return row["id"]

    def flush(self) -> None:
        """Write everything pending (the order does not matter: foreign keys are deferred)."""
        for table in self._tables.values():
            if table.rows:
                self._write(table)

    def finish(self) -> None:
        """Flush, then move PostgreSQL sequences past the ids assigned here."""
        self.flush()
        statements = connection.ops.sequence_reset_sql(no_style(), list(self._tables))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)

    def _write(self, table: _Table) -> None:
        rows, table.rows = table.rows, []
        label = table.model._meta.label
        self.counts[label] = self.counts.get(label, 0) + len(rows)
        with connection.cursor() as cursor:
            raw = cursor.cursor
            if self.vendor == "postgresql" and hasattr(raw, "copy"):
                _copy(raw, table, rows)
            else:
                placeholders = ", ".join(["%s"] * len(table.names))
                sql = f"INSERT INTO {table.table} ({table.columns}) VALUES ({placeholders})"
                cursor.executemany(sql, rows)


def _copy(raw_cursor: Any, table: _Table, rows: Iterable[tuple[Any, ...]]) -> None:
    with raw_cursor.copy(f"COPY {table.table} ({table.columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
