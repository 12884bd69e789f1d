"""Reading the records over a connection of its own (ADBC) counts what Django's connection
counts; it is used only outside a caller's transaction, and falls back when it cannot read.

The example is committed here (a transactional test), since a second connection sees only
committed rows; the test database is emptied afterwards.
"""

from __future__ import annotations

import io
import sqlite3
from pathlib import Path

import pyarrow as pa
import pytest
from django.core.management import call_command
from django.db import connection, transaction

from earlyhelp.domain.indicators.population import count_records
from earlyhelp.performance import columnar
from earlyhelp.performance.columnar import Apart, apart_target, count_records_columnar
from earlyhelp.performance.loading import load_dataset
from earlyhelp.performance.tests.conftest import EXAMPLE, TODAY
from earlyhelp.performance.tests.test_columnar import _plain

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def committed_example(settings: object) -> Path:
    if not EXAMPLE.is_dir():
        pytest.skip("spec/example is not available")
    settings.EARLYHELP_TODAY = TODAY  # type: ignore[attr-defined]
    call_command("import", str(EXAMPLE / "dataset"), stdout=io.StringIO(), stderr=io.StringIO())
    return EXAMPLE


def _apart_copy(tmp_path: Path) -> Apart:
    """Where a second connection reads the test database: PostgreSQL's own, or a file
    copy of SQLite's in-memory test database."""
    if connection.vendor == "postgresql":
        apart = apart_target()
        assert apart is not None
        assert apart.vendor == "postgresql"
        return apart
    path = tmp_path / "copy.sqlite3"
    connection.ensure_connection()
    with sqlite3.connect(path) as copy:
        connection.connection.backup(copy)
    return Apart("sqlite", str(path))


def test_reading_apart_counts_what_the_pure_pass_counts(
    committed_example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    expected = _plain(count_records(load_dataset()))
    apart = _apart_copy(tmp_path)
    read: list[str] = []
    original = columnar._load_apart

    def spy(duck: object, where: Apart) -> None:
        original(duck, where)  # type: ignore[arg-type]
        read.append(where.vendor)  # reached only when reading apart did not fail

    monkeypatch.setattr(columnar, "_load_apart", spy)
    assert _plain(count_records_columnar(apart)) == expected
    assert read == [apart.vendor]


def test_inside_a_transaction_the_records_are_read_on_djangos_connection() -> None:
    with transaction.atomic():
        assert apart_target() is None


def test_the_connection_string_stays_out_of_the_repr() -> None:
    assert "secret" not in repr(Apart("postgresql", "postgresql://u:secret@h/db"))


def test_a_database_that_cannot_be_read_apart_falls_back(
    committed_example: Path, tmp_path: Path
) -> None:
    missing = Apart("sqlite", str(tmp_path / "no-such.sqlite3"))
    if connection.vendor == "postgresql":
        missing = Apart("postgresql", "postgresql://nobody@127.0.0.1:1/nothing")
    expected = _plain(count_records(load_dataset()))
    assert _plain(count_records_columnar(missing)) == expected


def test_a_read_that_fails_midway_falls_back(
    committed_example: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """E.g. the SQLite driver's type guess from its first batch refuted by a later one: an
    OSError from pyarrow, not an ADBC error."""
    apart = _apart_copy(tmp_path)
    original = columnar._ingest

    def failing(duck: object, source: object, data: object) -> None:
        original(duck, source, data)  # type: ignore[arg-type]
        if isinstance(data, pa.RecordBatchReader):  # streamed: read apart, not the fallback
            raise OSError("Type mismatch: expected INT64 but got STRING")

    monkeypatch.setattr(columnar, "_ingest", failing)
    expected = _plain(count_records(load_dataset()))
    assert _plain(count_records_columnar(apart)) == expected
