"""`earlyhelp export-parquet DIR`: the snapshot table and every interchange table, typed,
read back with pyarrow as an analyst's tool would."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from earlyhelp.interchange.exporter import cell
from earlyhelp.interchange.services import dataset_export
from earlyhelp.interchange.spec import FILES
from earlyhelp.interchange.tests.helpers import EXAMPLE, import_dir
from earlyhelp.performance import exports
from earlyhelp.performance.models import IndicatorValue

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def exported(django_db_setup, django_db_blocker, tmp_path_factory) -> Path:
    """The example imported, its snapshots filled, and both exports written (rolled back)."""
    folder = tmp_path_factory.mktemp("parquet")
    with (
        override_settings(EARLYHELP_TODAY="2016-06-30"),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        import_dir(EXAMPLE)
        out = io.StringIO()
        call_command("export-parquet", str(folder / "parquet"), stdout=out)
        dataset_export(directory=folder / "csv")
        (folder / "stdout.txt").write_text(out.getvalue())
        (folder / "values.txt").write_text(str(IndicatorValue.objects.count()))
        transaction.set_rollback(True)
    return folder


def test_every_table_is_written_and_counted(exported: Path) -> None:
    names = sorted(p.name for p in (exported / "parquet").iterdir())
    assert names == sorted([exports.INDICATOR_VALUES, *(f"{spec.stem}.parquet" for spec in FILES)])
    printed = (exported / "stdout.txt").read_text()
    assert f"indicator_values.parquet: {(exported / 'values.txt').read_text()} rows" in printed
    assert "cases.parquet: 1157 rows" in printed


def test_the_snapshot_table_reads_back_typed(exported: Path) -> None:
    table = pq.read_table(exported / "parquet" / exports.INDICATOR_VALUES)
    assert table.num_rows == int((exported / "values.txt").read_text()) > 10_000
    types = {field.name: field.type for field in table.schema}
    assert types["value"] == pa.decimal128(16, 4)
    assert types["numerator"] == pa.int64()
    assert types["window_months"] == pa.int16()
    assert types["computed_at"] == pa.timestamp("us", tz="UTC")
    assert types["org_unit_id"] == pa.int64()
    rows = table.filter(
        pa.compute.and_(
            pa.compute.equal(table["indicator_code"], "EH10"),
            pa.compute.and_(
                pa.compute.equal(table["org_code"], "EHU-N1b"),
                pa.compute.equal(table["period"], "2016-03"),
            ),
        )
    ).to_pylist()
    assert len(rows) == 1
    assert (rows[0]["numerator"], rows[0]["denominator"], rows[0]["value"]) == (
        60, Decimal("3.0000"), Decimal("20.0000"),
    )  # fmt: skip
    assert rows[0]["window_months"] is None
    assert rows[0]["rag"] is None  # an empty text is null


@pytest.mark.parametrize("spec", FILES, ids=lambda spec: spec.stem)
def test_each_interchange_table_holds_the_csv_export_typed(exported: Path, spec) -> None:
    table = pq.read_table(exported / "parquet" / f"{spec.stem}.parquet")
    assert table.column_names == list(spec.column_names)
    with (exported / "csv" / spec.name).open(encoding="utf-8") as handle:
        expected = list(csv.DictReader(handle))
    got = table.to_pylist()
    assert len(got) == len(expected)
    for mine, theirs in zip(got[:200], expected[:200], strict=False):
        for column, text in theirs.items():
            assert cell(mine[column]) == text, (spec.name, column, mine, theirs)


def test_dates_and_decimals_keep_their_types(exported: Path) -> None:
    cases = pq.read_schema(exported / "parquet" / "cases.parquet")
    assert cases.field("opened_on").type == pa.date32()
    assert cases.field("closed_on").nullable
    workers = pq.read_table(exported / "parquet" / "workers.parquet")
    assert workers.schema.field("fte").type == pa.decimal128(4, 2)
    notifications = pq.read_schema(exported / "parquet" / "notifications.parquet")
    assert notifications.field("received_at").type == pa.timestamp("us", tz="UTC")
    assert notifications.field("threshold_level").type == pa.int16()
    targets = pq.read_schema(exported / "parquet" / "targets.parquet")
    assert targets.field("year").type == pa.int16()
