"""Services take a savepoint inside their caller's transaction, except in a block the
caller declares all or nothing."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from earlyhelp.common.transactions import all_or_nothing, service_atomic
from earlyhelp.organisation.models import OrgUnit
from earlyhelp.testing import factories as f

pytestmark = pytest.mark.django_db


class Refused(Exception):
    pass


@service_atomic
def _rename(unit: OrgUnit, name: str, *, fail: bool = False) -> None:
    OrgUnit.objects.filter(pk=unit.pk).update(name=name)
    if fail:
        raise Refused(name)


def _savepoints(queries: CaptureQueriesContext) -> int:
    return sum(q["sql"].startswith("SAVEPOINT") for q in queries.captured_queries)


def _name(unit: OrgUnit) -> str:
    return OrgUnit.objects.get(pk=unit.pk).name


def test_a_service_failing_inside_a_transaction_leaves_it_usable():
    unit = f.district("DN1")
    with transaction.atomic():
        _rename(unit, "Kept")
        with pytest.raises(Refused):
            _rename(unit, "Undone", fail=True)
        assert _name(unit) == "Kept"


def test_inside_all_or_nothing_services_take_no_savepoint():
    unit = f.district("DN1")
    with CaptureQueriesContext(connection) as queries, all_or_nothing():
        _rename(unit, "One")
        _rename(unit, "Two")
    assert _savepoints(queries) == 1  # all_or_nothing's own, inside the test's transaction
    assert _name(unit) == "Two"


def test_inside_all_or_nothing_a_failing_service_rolls_back_everything():
    unit = f.district("DN1")

    def both() -> None:
        with all_or_nothing():
            _rename(unit, "Written")
            _rename(unit, "Failed", fail=True)

    with pytest.raises(Refused):
        both()
    assert _name(unit) == unit.name


def test_inside_all_or_nothing_an_explicit_savepoint_still_catches_a_service():
    unit = f.district("DN1")
    with all_or_nothing():
        _rename(unit, "Kept")
        try:
            with transaction.atomic():
                _rename(unit, "Undone", fail=True)
        except Refused:
            pass
        assert _name(unit) == "Kept"
    assert _name(unit) == "Kept"
