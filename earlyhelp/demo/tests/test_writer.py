"""The bulk writer stores values exactly as the ORM does, parents before children."""

from __future__ import annotations

from datetime import date, datetime, time

import pytest
from django.db import connection

from earlyhelp.audit.models import CaseEvent
from earlyhelp.common.clock import LONDON
from earlyhelp.demo.writer import BulkWriter
from earlyhelp.organisation.models import OrgUnit, Worker

pytestmark = pytest.mark.django_db

SUMMER = datetime.combine(date(2016, 7, 1), time(9, 30), tzinfo=LONDON)
WINTER = datetime.combine(date(2016, 1, 1), time(23, 30), tzinfo=LONDON)


def raw_row(model: type[CaseEvent], pk: int) -> tuple[object, ...]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {model._meta.db_table} WHERE id = %s", [pk])  # noqa: S608
        return cursor.fetchone()


@pytest.mark.parametrize("moment", [SUMMER, WINTER])
def test_a_row_is_stored_as_the_orm_stores_it(moment: datetime) -> None:
    values = {"at": moment, "occurred_on": moment.date(), "kind": "NOTE_ADDED",
              "actor_name": "someone", "family_id": 1, "data": {"kind": "HOME_VISIT"}}  # fmt: skip
    by_orm = CaseEvent.objects.create(**values)
    writer = BulkWriter(default_moment=moment)
    written = writer.add(CaseEvent, dict(values))
    writer.finish()
    assert raw_row(CaseEvent, written)[1:] == raw_row(CaseEvent, by_orm.pk)[1:]
    assert CaseEvent.objects.get(pk=written).at == moment


def test_rows_may_point_at_rows_added_later() -> None:
    writer = BulkWriter(default_moment=SUMMER)
    county = writer.next_id(OrgUnit)
    worker = {"code": "W1", "name": "A Worker", "unit_id": county, "role": "MANAGER", "fte": 1}
    writer.add(Worker, worker)
    writer.add(OrgUnit, {"id": county, "code": "C", "name": "County", "kind": "COUNTY"})
    writer.finish()
    assert Worker.objects.get(code="W1").unit.code == "C"
    assert OrgUnit.objects.get(code="C").created_at == SUMMER


def test_an_unknown_field_is_an_error() -> None:
    writer = BulkWriter(default_moment=SUMMER)
    with pytest.raises(ValueError, match="no field colour"):
        writer.add(OrgUnit, {"code": "C", "name": "County", "kind": "COUNTY", "colour": "red"})
