"""Services take a savepoint inside their caller's transaction, except in a block the
caller declares all or nothing."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from earlyhelp.common.models import Setting
from earlyhelp.common.transactions import all_or_nothing, service_atomic

KEY = "transactions-test"


@pytest.fixture(autouse=True)
def _setting(db):
    Setting.objects.create(key=KEY, value="before")


class Refused(Exception):
    pass


@service_atomic
def _set(value: str, *, fail: bool = False) -> None:
    Setting.objects.filter(key=KEY).update(value=value)
    if fail:
        raise Refused(value)


def _savepoints(queries: CaptureQueriesContext) -> int:
    return sum(q["sql"].startswith("SAVEPOINT") for q in queries.captured_queries)


def _value() -> str:
    return Setting.objects.get(key=KEY).value


def test_a_service_failing_inside_a_transaction_leaves_it_usable():
    with transaction.atomic():
        _set("kept")
        with pytest.raises(Refused):
            _set("undone", fail=True)
        assert _value() == "kept"


def test_inside_all_or_nothing_services_take_no_savepoint():
    with CaptureQueriesContext(connection) as queries, all_or_nothing():
        _set("one")
        _set("two")
    assert _savepoints(queries) == 1  # all_or_nothing's own, inside the test's transaction
    assert _value() == "two"


def test_inside_all_or_nothing_a_failing_service_rolls_back_everything():
    def both() -> None:
        with all_or_nothing():
            _set("written")
            _set("failed", fail=True)

    with pytest.raises(Refused):
        both()
    assert _value() == "before"


def test_inside_all_or_nothing_an_explicit_savepoint_still_catches_a_service():
    with all_or_nothing():
        _set("kept")
        try:
            with transaction.atomic():
                _set("undone", fail=True)
        except Refused:
            pass
        assert _value() == "kept"
    assert _value() == "kept"
