"""Change records held back and written together: one INSERT as the block ends, never a
record without its data nor data without its record."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.db.transaction import TransactionManagementError
from django.test.utils import CaptureQueriesContext

from earlyhelp.audit.models import Action, ChangeRecord
from earlyhelp.audit.services import Actor, Refs, change_record, change_records_together
from earlyhelp.people.models import Family
from earlyhelp.testing import factories as f

pytestmark = pytest.mark.django_db

ACTOR = Actor(id=1, name="prac")


def _record(family: Family) -> None:
    change_record(actor=ACTOR, instance=family, action=Action.CREATE, refs=Refs(family.pk))


def _inserts(queries: CaptureQueriesContext) -> int:
    return sum('INSERT INTO "audit_changerecord"' in q["sql"] for q in queries.captured_queries)


def test_records_made_in_the_block_are_written_in_one_insert_as_it_ends():
    families = [f.FamilyFactory() for _ in range(3)]

    with CaptureQueriesContext(connection) as queries, change_records_together():
        for family in families:
            _record(family)
        assert not ChangeRecord.objects.exists()  # held until the block ends
    assert _inserts(queries) == 1
    assert sorted(ChangeRecord.objects.values_list("entity_id", flat=True)) == sorted(
        family.pk for family in families
    )


def test_an_error_in_the_block_keeps_neither_the_records_nor_the_data():
    with transaction.atomic():  # the caller's savepoint, which the error rolls back to
        try:
            with change_records_together():
                _record(f.FamilyFactory(postcode="ME1 1AA"))
                raise ValueError("something went wrong")
        except ValueError:
            pass
        with pytest.raises(TransactionManagementError):
            Family.objects.count()  # the data cannot be kept without its record
    assert not Family.objects.filter(postcode="ME1 1AA").exists()
    assert not ChangeRecord.objects.exists()


def test_a_record_made_in_a_savepoint_rolled_back_goes_with_it():
    kept, undone, later = (f.FamilyFactory() for _ in range(3))
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
