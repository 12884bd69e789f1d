"""The columnar engine (DuckDB) counts exactly what the pure pass over records counts."""

from __future__ import annotations

from pathlib import Path

import pytest

from earlyhelp.domain.indicators.population import Counted, count_records
from earlyhelp.performance.columnar import count_records_columnar
from earlyhelp.performance.loading import load_dataset

pytestmark = pytest.mark.django_db


def _plain(counted: Counted) -> tuple[object, ...]:
    """Counts without the zero entries (a Counter keeps none where the pure pass adds none)."""
    tallies = {code: (+num, +den) for code, (num, den) in counted.tallies.items()}
    runs = {code: (+starts, +stops) for code, (starts, stops) in counted.runs.items()}
    return counted.first_day, tallies, runs, +counted.durations


def test_the_columnar_counts_are_the_pure_counts_of_the_example(example: Path) -> None:
    assert _plain(count_records_columnar()) == _plain(count_records(load_dataset()))
