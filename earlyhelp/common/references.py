"""Human references of new records: a prefix and a zero-padded number (N0000042).

On PostgreSQL the number comes from a sequence per table and field, so that concurrent
transactions (the API takes many submissions at once) never pick the same one; the
sequence jumps past references written without it (imports, the demo's bulk loader).
On SQLite, which has one writer at a time, it is the highest reference plus one.
"""

from __future__ import annotations

import zlib

from django.db import connection, models
from django.db.backends.utils import CursorWrapper


def _highest_number(model: type[models.Model], field: str, prefix: str) -> int:
    """The number of the highest reference in `field` that starts with `prefix`.

    References that do not end in a number (imported ones, say) are not counted on.
    """
    last = (
        model._default_manager.filter(**{f"{field}__startswith": prefix})
        .order_by(f"-{field}")
        .values_list(field, flat=True)
        .first()
    )
    suffix = last[len(prefix) :] if last else ""
    return int(suffix) if suffix.isdigit() else 0


def _sequence_name(model: type[models.Model], field: str) -> str:
    return f"earlyhelp_ref_{model._meta.db_table}_{field}"[:63]


# Made by a migration (common 0002): there before any transaction that uses them.
MIGRATED_SEQUENCES = frozenset(
    {
        "earlyhelp_ref_people_family_family_ref",
        "earlyhelp_ref_people_person_person_ref",
        "earlyhelp_ref_frontdoor_notification_notification_ref",
        "earlyhelp_ref_frontdoor_stepdownproposal_proposal_ref",
        "earlyhelp_ref_casework_case_case_ref",
    }
)


def _missing(cursor: CursorWrapper, name: str) -> bool:
    if name in MIGRATED_SEQUENCES:
        return False
    cursor.execute("SELECT to_regclass(%s)", [name])
    return cursor.fetchone()[0] is None


def _next_and_taken(
    cursor: CursorWrapper, model: type[models.Model], field: str, prefix: str, name: str
) -> tuple[int, bool]:
    """The sequence's next number, and whether its reference is already written: one
    round trip (the reference as `f"{prefix}{number:07d}"` would make it)."""
    table = connection.ops.quote_name(model._meta.db_table)
    column = connection.ops.quote_name(model._meta.get_field(field).column)
    sql = (
        f"SELECT n, EXISTS (SELECT 1 FROM {table} WHERE {column} = "  # noqa: S608  # nosec B608  # quoted identifiers, bound values
        "%s || lpad(n::text, greatest(length(n::text), 7), '0')) FROM nextval(%s) AS n"
    )
    cursor.execute(sql, [prefix, name])
    number, taken = cursor.fetchone()
    return number, taken


def _from_sequence(model: type[models.Model], field: str, prefix: str) -> int:
    name = _sequence_name(model, field)
    lock = zlib.crc32(name.encode())
    with connection.cursor() as cursor:
        if _missing(cursor, name):
            # Creating it once: two first callers must not both try.
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock])
            cursor.execute(f'CREATE SEQUENCE IF NOT EXISTS "{name}"')  # nosec B608 - our name
        number, taken = _next_and_taken(cursor, model, field, prefix, name)
        if not taken:
            return number
        # Behind references written without the sequence: jump past them, one at a time.
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [lock])
        highest = _highest_number(model, field, prefix)
        cursor.execute("SELECT nextval(%s)", [name])
        number = cursor.fetchone()[0]
        if number <= highest:
            cursor.execute("SELECT setval(%s, %s)", [name, highest + 1])
            number = highest + 1
        return number


def next_reference(model: type[models.Model], *, field: str, prefix: str) -> str:
    """A new reference for `model.field`: `prefix` and a number no other record has."""
    if connection.vendor == "postgresql":
        number = _from_sequence(model, field, prefix)
    else:
        number = _highest_number(model, field, prefix) + 1
    return f"{prefix}{number:07d}"
