"""The columnar engine on an empty database (a module of its own: no example loaded)."""

from __future__ import annotations

import pytest

from earlyhelp.performance.columnar import count_records_columnar

pytestmark = pytest.mark.django_db


def test_an_empty_database_counts_nothing() -> None:
    counted = count_records_columnar()
    assert counted.first_day is None
    assert not any(num or den for num, den in counted.tallies.values())
    assert not counted.durations
