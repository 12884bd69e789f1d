"""Scale a loaded demo county up N times in SQL, for the bench (`make bench`, 10× and 100×).

Simulating 4.4 million families takes hours; copying the 1× county's families, people,
notifications, cases and reviews N − 1 times with `INSERT … SELECT` takes a minute or so.
Each copy k shifts every id by k × the table's largest id (and every reference to a copied
table with it), and suffixes unique references (`F000123-x3`), so that the copies are new
families with the same histories in the same org units, by the same workers. Identifiers
that must be unique where set (UPN, NHS number) are left empty in the copies. What is not copied
(case events, notes, plans, assessments) is not read by the indicators.

On PostgreSQL the copy is a bulk load (decision 0015): the copied tables' secondary indexes
and unique constraints are set aside and built again after the rows are in (one sort per
index instead of 40 million scattered inserts), and, for a superuser, row triggers (the
foreign-key checks) are off for the transaction, since every copied key points at a row
copied with it. `vacuum_copied` afterwards sets the visibility map and statistics, as
autovacuum would have on a database that grew over years.

For a bench database only: it writes other apps' tables directly, like the demo loader.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.db import connection, models, transaction
from django.db.backends.utils import CursorWrapper

from earlyhelp.casework.models import Case, Review
from earlyhelp.frontdoor.models import Notification
from earlyhelp.people.models import Family, Person

COPIED: tuple[type[models.Model], ...] = (Family, Person, Notification, Case, Review)
CLEARED = frozenset({"upn", "nhs_number"})  # unique where set: empty in the copies


@dataclass(frozen=True)
class Scaled:
    copies: int
    rows: int
    seconds: float


@transaction.atomic
def scale_county(times: int) -> Scaled:
    """Make the county `times` as large (the rows there now stay as copy 0)."""
    started = time.monotonic()
    offsets = {model: _largest_id(model) for model in COPIED}
    rows = 0
    postgres = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        rebuild = _set_aside_indexes(cursor) if postgres else []
        if postgres and _superuser(cursor):
            cursor.execute("SET LOCAL session_replication_role = replica")
        for copy in range(1, times):
            for model in COPIED:
                cursor.execute(_insert(model, copy, offsets))
                rows += max(cursor.rowcount, 0)
        if postgres:
            cursor.execute("SET LOCAL session_replication_role = DEFAULT")
            cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
            for statement in rebuild:
                cursor.execute(statement)
            for model in COPIED:
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "  # noqa: S608  # nosec B608  # model names
                    f'(SELECT max(id) FROM "{table}"))'
                )
    return Scaled(times - 1, rows, time.monotonic() - started)


def vacuum_copied() -> None:
    """VACUUM (ANALYZE) the copied tables, outside any transaction (PostgreSQL only)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in COPIED:
            cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(model._meta.db_table)}")


def _superuser(cursor: CursorWrapper) -> bool:
    cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
    row = cursor.fetchone()
    return bool(row and row[0])


def _set_aside_indexes(cursor: CursorWrapper) -> list[str]:
    """Drop the copied tables' indexes but their primary keys; the statements that make them
    again, unique constraints as constraints."""
    rebuild: list[str] = []
    for model in COPIED:
        table = connection.ops.quote_name(model._meta.db_table)
        cursor.execute(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = %s::regclass AND contype = 'u'",
            [model._meta.db_table],
        )
        for name, definition in cursor.fetchall():
            quoted = connection.ops.quote_name(name)
            rebuild.append(f"ALTER TABLE {table} ADD CONSTRAINT {quoted} {definition}")
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {quoted}")
        cursor.execute(
            "SELECT indexrelid::regclass::text, pg_get_indexdef(indexrelid) FROM pg_index "
            "WHERE indrelid = %s::regclass AND NOT indisprimary AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conindid = indexrelid)",
            [model._meta.db_table],
        )
        for name, definition in cursor.fetchall():
            rebuild.append(definition)
            cursor.execute(f"DROP INDEX {name}")
    return rebuild


def _largest_id(model: type[models.Model]) -> int:
    return model.objects.aggregate(top=models.Max("pk"))["top"] or 0


def _insert(model: type[models.Model], copy: int, offsets: dict[type[models.Model], int]) -> str:
    quote = connection.ops.quote_name
    fields = model._meta.concrete_fields
    columns = ", ".join(quote(f.column) for f in fields)
    picked = ", ".join(_expression(f, copy, offsets) for f in fields)
    table = quote(model._meta.db_table)
    top = offsets[model]
    return f"INSERT INTO {table} ({columns}) SELECT {picked} FROM {table} WHERE id <= {top}"  # noqa: S608  # nosec B608  # names from the models, integers


def _expression(field: models.Field, copy: int, offsets: dict[type[models.Model], int]) -> str:
    column = connection.ops.quote_name(field.column)
    if field.primary_key:
        return f"{column} + {copy * offsets[field.model]}"
    target = field.related_model if field.is_relation else None
    if target in offsets:
        return f"{column} + {copy * offsets[target]}"  # type: ignore[index]
    if field.name in CLEARED:
        return "NULL" if field.null else "''"
    if field.unique:
        return f"{column} || '-x{copy}'"
    return column
