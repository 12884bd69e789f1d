"""Snapshots and their fill state: idempotent, resumable, refilled when the data changes."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from earlyhelp.performance.models import FillState, IndicatorValue, Target
from earlyhelp.performance.selectors import data_signature, scorecard_rows
from earlyhelp.performance.services import indicator_values_ensure, indicator_values_recompute

pytestmark = pytest.mark.django_db


def test_a_recompute_is_idempotent(example: Path) -> None:
    before = IndicatorValue.objects.count()
    done = indicator_values_recompute()
    assert done.rows == before == IndicatorValue.objects.count()
    assert (done.first_period, done.last_period, done.months) == ("2014-04", "2016-06", 27)
    state = FillState.objects.get()
    assert (state.state, state.windows, state.rows) == ("DONE", [12, 1], before)


def test_nothing_to_do_when_the_data_and_the_clock_have_not_moved(example: Path) -> None:
    assert indicator_values_ensure() is None


def test_when_the_clock_moves_on_only_the_new_months_are_filled(example: Path, settings) -> None:
    settings.EARLYHELP_TODAY = "2016-08-15"
    done = indicator_values_ensure()
    assert done is not None
    assert (done.first_period, done.last_period, done.months) == ("2016-07", "2016-08", 2)
    assert FillState.objects.get().last_period == "2016-08"
    assert indicator_values_ensure() is None


def test_changed_data_refills_every_month(example: Path) -> None:
    signature = data_signature()
    Target.objects.create(indicator_code="EH01", year=2016, target=Decimal("20"))
    assert data_signature() != signature
    done = indicator_values_ensure()
    assert done is not None
    assert done.months == 27
    row = next(r for r in scorecard_rows(period="2016-03", window=12, level="COUNTY")
               if r.code == "EH01")  # fmt: skip
    assert (row.value, row.target, row.rag) == (Decimal("15.4"), Decimal("20"), "GREEN")


def test_one_month_from_changed_data_leaves_the_fill_incomplete(example: Path) -> None:
    Target.objects.create(indicator_code="EH01", year=2016, target=Decimal("20"))
    indicator_values_recompute(months=["2016-03"])
    assert FillState.objects.get().state == "STARTED"
    assert indicator_values_ensure() is not None
    assert FillState.objects.get().state == "DONE"


def test_snapshots_read_back_as_computed(example: Path) -> None:
    rows = scorecard_rows(period="2016-03", window=12, level="UNIT")
    eh10 = next(r for r in rows if r.code == "EH10" and r.org_code == "EHU-N1b")
    assert (eh10.numerator, eh10.denominator, eh10.value, eh10.window) == (
        60, Decimal("3"), Decimal("20"), None,
    )  # fmt: skip
    assert eh10.org_id is not None
    assert eh10.worker_id is None
