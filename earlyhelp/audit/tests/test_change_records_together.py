"""Change records held back and written together: one INSERT as the block ends, never a
record without its data nor data without its record."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from earlyhelp.audit.models import Action, CaseEvent, ChangeRecord
from earlyhelp.audit.services import (
    Actor,
    Refs,
    case_event_record,
    change_record,
    change_records_together,
)

pytestmark = pytest.mark.django_db

ACTOR = Actor(id=1, name="prac")


def _data(family_id: int) -> CaseEvent:
    """A row written by the block (any row will do: an event is one the audit app owns)."""
    return case_event_record(
        actor=ACTOR, kind="NOTE_ADDED", occurred_on=dt.date(2016, 5, 1), refs=Refs(family_id)
    )


def _record(row: CaseEvent) -> None:
    change_record(actor=ACTOR, instance=row, action=Action.CREATE, refs=Refs(row.family_id))


def _inserts(queries: CaptureQueriesContext) -> int:
    return sum('INSERT INTO "audit_changerecord"' in q["sql"] for q in queries.captured_queries)


def test_records_made_in_the_block_are_written_in_one_insert_as_it_ends():
    rows = [_data(family_id) for family_id in (1, 2, 3)]
    with CaptureQueriesContext(connection) as queries, change_records_together():
        for row in rows:
            _record(row)
        assert not ChangeRecord.objects.exists()  # held until the block ends
    assert _inserts(queries) == 1
    assert sorted(ChangeRecord.objects.values_list("entity_id", flat=True)) == sorted(
        row.pk for row in rows
    )


def test_an_error_in_the_block_keeps_neither_the_records_nor_the_data():
    with transaction.atomic():  # the caller's savepoint, which the error rolls back to
        try:
            with change_records_together():
                _record(_data(7))
                raise ValueError("something went wrong")
        except ValueError:
            pass
        with pytest.raises(TransactionManagementError):
            CaseEvent.objects.count()  # the data cannot be kept without its record
    assert not CaseEvent.objects.exists()
    assert not ChangeRecord.objects.exists()


def test_a_record_made_in_a_savepoint_rolled_back_goes_with_it():
    kept, undone, later = (_data(family_id) for family_id in (1, 2, 3))
    with change_records_together():
        _record(kept)
        try:
            with transaction.atomic():
                _record(undone)
                raise ValueError("undone")
        except ValueError:
            pass
        _record(later)
    assert set(ChangeRecord.objects.values_list("entity_id", flat=True)) == {kept.pk, later.pk}
