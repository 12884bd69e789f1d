"""Imported figures and targets alone (the upload page's import), and the refresh of the
indicator snapshots that follows any import (a task run once the import commits)."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command

from earlyhelp.audit.models import ChangeRecord
from earlyhelp.audit.services import SYSTEM
from earlyhelp.common.models import ImportBatch
from earlyhelp.interchange.services import InvalidDataset, figures_import
from earlyhelp.interchange.tests.helpers import BASE, import_dir, write_dataset
from earlyhelp.performance.models import FillState, ImportedIndicatorValue, IndicatorValue, Target
from earlyhelp.performance.services import indicator_values_ensure, indicator_values_recompute

pytestmark = pytest.mark.django_db

HEADER = "indicator_code,period,org_unit_code,value,numerator,denominator\n"


@pytest.fixture
def county(tmp_path: Path, settings) -> Path:
    """The helpers' small county imported, with its snapshots filled (clock: June 2016)."""
    settings.EARLYHELP_TODAY = "2016-06-30"
    import_dir(write_dataset(tmp_path / "base"))
    indicator_values_recompute()
    return tmp_path


def figures(directory: Path, *, imported: str | None = None, targets: str | None = None) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    if imported is not None:
        (directory / "imported_indicators.csv").write_text(imported, encoding="utf-8")
    if targets is not None:
        (directory / "targets.csv").write_text(targets, encoding="utf-8")
    return directory


def neet(org: str = "KC", period: str = "2016-03") -> IndicatorValue:
    return IndicatorValue.objects.get(indicator_code="NEET01", period=period, org_code=org)


def test_figures_import_writes_and_refreshes_the_snapshots_in_place(
    county: Path, django_capture_on_commit_callbacks
) -> None:
    upload = figures(
        county / "upload",
        imported=HEADER + "NEET01,2016-03,KC,3.2,,\nNEET01,2016-04,DN1,5.5,55,1000\n",
        targets="indicator_code,year,target,floor\nNEET01,2016,3.5,4\n",
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        result = figures_import(directory=upload, actor=SYSTEM, source="upload by ann")
    assert len(callbacks) == 1
    assert [f.summary() for f in result.files] == [
        "imported_indicators.csv: 1 created, 1 updated, 0 unchanged",
        "targets.csv: 1 created, 0 updated, 0 unchanged",
    ]
    batch = ImportBatch.objects.get(pk=result.batch_id)
    assert batch.source == "upload by ann"
    row = neet()
    assert (row.value, row.target, row.floor, row.rag) == (
        Decimal("3.2"), Decimal("3.5"), Decimal("4"), "GREEN",
    )  # fmt: skip
    assert neet("DN1", "2016-04").numerator == 55
    # In place: the fill is current, and equal to a full recompute.
    assert FillState.objects.get().state == "DONE"
    assert indicator_values_ensure() is None
    before = set(IndicatorValue.objects.values_list("indicator_code", "org_code", "period",
                                                    "window_months", "value", "rag"))  # fmt: skip
    indicator_values_recompute()
    after = set(IndicatorValue.objects.values_list("indicator_code", "org_code", "period",
                                                   "window_months", "value", "rag"))  # fmt: skip
    assert before == after
    assert ChangeRecord.objects.filter(entity="interchange.imported_indicators").count() == 2


def test_every_error_of_every_row_is_reported_and_nothing_written(county: Path) -> None:
    upload = figures(
        county / "upload",
        imported=HEADER
        + "NEET01,2016-03,KC,abc,,\n"
        + "EH01,2016-13,EHU1,4,,\n"
        + "NEET01,2016-03,NOPE,4,x,\n",
        targets="indicator_code,year,target,floor\nEH05,16,,\n",
    )
    stored = ImportedIndicatorValue.objects.count(), Target.objects.count()
    with pytest.raises(InvalidDataset) as invalid:
        figures_import(directory=upload, actor=SYSTEM)
    assert invalid.value.errors == [
        "imported_indicators.csv:2: value: 'abc' is not a number",
        "imported_indicators.csv:3: indicator_code: 'EH01' is not an imported indicator: "
        + ", ".join(
            [
                "NEET01",
                "CC01",
                "CC02",
                "CC03",
                "CC04",
                "CC05",
                "YS01",
                "YJ01",
                "YJ02",
                "YJ03",
                "YJ04",
                "TF01",
                "PA01",
                "PA02",
                "EX01",
                "EX02",
                "EX03",
                "EX04",
            ]
        ),  # fmt: skip
        "imported_indicators.csv:3: period: '2016-13' is not a month: write YYYY-MM",
        "imported_indicators.csv:3: org_unit_code: EHU1 is a UNIT: it must be the COUNTY, an "
        "AREA or a DISTRICT",
        "imported_indicators.csv:4: numerator: 'x' is not a whole number",
        "imported_indicators.csv:4: org_unit_code: NOPE is not in org_units.csv or the database",
        "targets.csv:2: year: '16' is not a year: write 4 digits, like 2016",
        "targets.csv:2: target: a value is required",
    ]
    assert (ImportedIndicatorValue.objects.count(), Target.objects.count()) == stored


def test_an_empty_upload_is_refused(county: Path) -> None:
    with pytest.raises(InvalidDataset) as invalid:
        figures_import(directory=figures(county / "empty"), actor=SYSTEM)
    assert "no imported_indicators.csv or targets.csv to import" in invalid.value.errors[0]


def test_a_month_before_the_snapshots_is_recomputed_in_full(
    county: Path, django_capture_on_commit_callbacks
) -> None:
    upload = figures(county / "upload", imported=HEADER + "NEET01,2014-01,KC,6,,\n")
    with django_capture_on_commit_callbacks(execute=True):
        figures_import(directory=upload, actor=SYSTEM)
    state = FillState.objects.get()
    assert (state.state, state.first_period) == ("DONE", "2014-01")
    assert neet(period="2014-01").value == Decimal("6")


def test_the_import_command_refreshes_the_snapshots(
    county: Path, django_capture_on_commit_callbacks
) -> None:
    dataset = write_dataset(
        county / "again",
        imported_indicators=BASE["imported_indicators"] + "NEET01,2016-02,KC,3.9,,\n",
    )
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        call_command("import", str(dataset), stdout=io.StringIO(), stderr=io.StringIO())
    assert len(callbacks) == 1
    assert neet(period="2016-02").value == Decimal("3.9")
    assert indicator_values_ensure() is None
