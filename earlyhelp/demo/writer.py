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
See docs/decisions/0007-demo-county-written-in-bulk.md.
"""

from __future__ import annotations

import json
import operator
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.management.color import no_style
from django.db import connection, models
from django.db.models import Max

Row = dict[str, Any]
Converter = Callable[[Any], Any]

DEFAULT_BATCH = 5_000


class _SqliteDateTime:
    """As Django stores an aware date-time in SQLite: UTC, without the offset.

    Remembers the last value converted: a record's created and updated moments, and the
    case event written with it, are usually the same object.
    """

    def __init__(self) -> None:
        self.last: datetime | None = None
        self.text: str | None = None

    def __call__(self, value: datetime | None) -> str | None:
        if value is self.last:
            return self.text
        if value is None:
            text = None
        elif (offset := value.utcoffset()) is None:
            text = value.isoformat(" ")
        else:
            text = (value.replace(tzinfo=None) - offset).isoformat(" ")
        self.last, self.text = value, text
        return text


def _sqlite_date(value: date | None) -> str | None:
    return None if value is None else value.isoformat()


def _json(value: object) -> str:
    """JSON text; a `str` is taken as JSON already encoded (callers cache common payloads)."""
    return value if isinstance(value, str) else json.dumps(value)


def _decimal(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def _identity(value: object) -> object:
    return value


class _Table:
    """One model's columns, defaults and value converters, and its pending rows."""

    def __init__(self, model: type[models.Model], vendor: str, moments: Converter) -> None:
        self.model = model
        fields = list(model._meta.concrete_fields)
        self.names = [f.attname for f in fields]
        self.defaults = {f.attname: self._default(f) for f in fields}
        self.conversions = [
            (f.attname, convert)
            for f in fields
            if (convert := self._converter(f, vendor, moments)) is not _identity
        ]
        self.getter = operator.itemgetter(*self.names)
        self.tracked = "created_at" in self.names and "updated_at" in self.names
        self.rows: list[tuple[Any, ...]] = []
        self.next_id = (model._default_manager.aggregate(m=Max("pk"))["m"] or 0) + 1
        quote = connection.ops.quote_name
        self.columns = ", ".join(quote(f.column) for f in fields)
        self.table = quote(model._meta.db_table)

    @staticmethod
    def _default(field: models.Field) -> object:
        if field.primary_key or getattr(field, "auto_now_add", False):
            return None
        if getattr(field, "auto_now", False):
            return None
        return field.get_default()

    @staticmethod
    def _converter(field: models.Field, vendor: str, moments: Converter) -> Converter:
        if isinstance(field, models.JSONField):
            return _json
        if vendor != "sqlite":
            return _identity
        if isinstance(field, models.DateTimeField):
            return moments
        if isinstance(field, models.DateField):
            return _sqlite_date
        if isinstance(field, models.DecimalField):
            return _decimal
        return _identity

    def tuple_of(self, row: Row) -> tuple[Any, ...]:
        merged = {**self.defaults, **row}
        if len(merged) != len(self.defaults):
            unknown = sorted(set(row) - set(self.defaults))
            raise ValueError(f"{self.model._meta.label} has no field {', '.join(unknown)}")
        for name, convert in self.conversions:
            merged[name] = convert(merged[name])
        return self.getter(merged)


class BulkWriter:
    """Buffer rows per model; write them, parents first, when the caller flushes.

    Rows may point at rows added later (ids are known in advance), so nothing is written
    until `flush()`, which the caller runs at a point where every reference is complete
    (after each chunk of families). On PostgreSQL the load checks foreign keys at the end
    of each statement (`SET CONSTRAINTS ALL IMMEDIATE`) instead of queueing millions of
    deferred checks until the commit; writing parents first keeps that valid.
    """

    def __init__(self, *, default_moment: datetime, batch_size: int = DEFAULT_BATCH) -> None:
        self.default_moment = default_moment
        self.batch_size = batch_size
        self.vendor = connection.vendor
        self._tables: dict[type[models.Model], _Table] = {}
        self._moments = _SqliteDateTime()
        self.counts: dict[str, int] = {}
        if self.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")

    def _table(self, model: type[models.Model]) -> _Table:
        table = self._tables.get(model)
        if table is None:
            table = self._tables[model] = _Table(model, self.vendor, self._moments)
        return table

    def next_id(self, model: type[models.Model]) -> int:
        table = self._table(model)
        value = table.next_id
        table.next_id += 1
        return value

    def add(self, model: type[models.Model], row: Row) -> int:
        """Queue one row (a dict keyed by attribute name); return its id."""
        table = self._tables.get(model) or self._table(model)
        if row.get("id") is None:
            row["id"] = table.next_id
            table.next_id += 1
        if table.tracked:
            row.setdefault("created_at", self.default_moment)
            row.setdefault("updated_at", row["created_at"])
        table.rows.append(table.tuple_of(row))
        return row["id"]

    def pending(self) -> int:
        return sum(len(t.rows) for t in self._tables.values())

    def flush(self) -> None:
        """Write everything pending, each table after the tables it refers to."""
        for table in _parents_first(list(self._tables.values())):
            if table.rows:
                self._write(table)

    def finish(self) -> None:
        """Flush, then move PostgreSQL sequences past the ids assigned here."""
        self.flush()
        statements = connection.ops.sequence_reset_sql(no_style(), list(self._tables))
        with connection.cursor() as cursor:
            for sql in statements:
                cursor.execute(sql)
            if self.vendor == "postgresql":
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")

    def _write(self, table: _Table) -> None:
        rows, table.rows = table.rows, []
        label = table.model._meta.label
        self.counts[label] = self.counts.get(label, 0) + len(rows)
        with connection.cursor() as cursor:
            raw = cursor.cursor
            if self.vendor == "postgresql" and hasattr(raw, "copy"):
                _copy(raw, table, rows)
                return
            placeholders = ", ".join(["%s"] * len(table.names))
            # Identifiers from the model's _meta, quoted by Django; values are parameters.
            sql = f"INSERT INTO {table.table} ({table.columns}) VALUES ({placeholders})"  # noqa: S608  # nosec B608  # quoted identifiers, bound values
            for start in range(0, len(rows), self.batch_size):
                cursor.executemany(sql, rows[start : start + self.batch_size])


def _parents_first(tables: list[_Table]) -> list[_Table]:
    """Order tables so that each comes after those its foreign keys point to."""
    by_model = {t.model: t for t in tables}
    ordered: list[_Table] = []
    placed: set[type[models.Model]] = set()
    while len(ordered) < len(tables):
        progress = False
        for table in tables:
            if table.model in placed:
                continue
            parents = {
                f.related_model
                for f in table.model._meta.concrete_fields
                if f.is_relation
                and f.related_model in by_model
                and f.related_model is not table.model
            }
            if parents <= placed:
                ordered.append(table)
                placed.add(table.model)
                progress = True
        if not progress:  # a cycle: write the rest as they are
            ordered.extend(t for t in tables if t.model not in placed)
            break
    return ordered


def _copy(raw_cursor: Any, table: _Table, rows: Iterable[tuple[Any, ...]]) -> None:
    with raw_cursor.copy(f"COPY {table.table} ({table.columns}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
