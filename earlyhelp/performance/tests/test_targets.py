"""Targets as data: set and cleared by analysts and administrators, with history and
optimistic locking; the snapshots' target, floor and RAG follow at once, without a full
recompute, and equal what a recompute gives."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from earlyhelp.audit.models import ChangeRecord
from earlyhelp.common.errors import InvalidInput, PermissionRefused, StaleRecord
from earlyhelp.domain.codes import UserRole
from earlyhelp.domain.indicators.compute import DEFAULT_WINDOWS, compute
from earlyhelp.domain.indicators.periods import parse_period
from earlyhelp.organisation.models import OrgUnit
from earlyhelp.performance.loading import load_dataset
from earlyhelp.performance.models import FillState, IndicatorValue, Target
from earlyhelp.performance.selectors_figures import target_history, target_line, target_lines
from earlyhelp.performance.services import indicator_values_ensure
from earlyhelp.performance.services_refresh import target_year_periods
from earlyhelp.performance.services_targets import target_clear, target_set
from earlyhelp.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(example: Path):
    return f.UserFactory(role=UserRole.ANALYST, org_unit=OrgUnit.objects.get(code="KC"))


def county_eh01(period: str = "2016-03") -> IndicatorValue:
    return IndicatorValue.objects.get(
        indicator_code="EH01", level="COUNTY", period=period, window_months=12
    )


def stored(code: str, periods: list[str]) -> set[tuple]:
    rows = IndicatorValue.objects.filter(indicator_code=code, period__in=periods)
    return {
        (r.level, r.org_code, r.period, r.window_months, r.value, r.target, r.floor, r.rag or None)
        for r in rows
    }


def recomputed(code: str, periods: list[str]) -> set[tuple]:
    rows = compute(
        load_dataset(), months=[parse_period(p) for p in periods], windows=DEFAULT_WINDOWS,
        codes=[code],
    )  # fmt: skip
    return {
        (r.level, r.org_code, r.period, r.window, r.value, r.target, r.floor, r.rag) for r in rows
    }


def test_a_new_target_rejudges_its_year_at_once_as_a_recompute_would(analyst) -> None:
    assert (county_eh01().value, county_eh01().rag) == (Decimal("15.4"), "RED")  # target 6
    target_set(user=analyst, indicator_code="EH01", year=2016, target=Decimal("20"), floor=None,
               version=0)  # fmt: skip
    row = county_eh01()
    assert (row.target, row.floor, row.rag) == (Decimal("20"), None, "GREEN")
    periods = target_year_periods(2016)
    assert stored("EH01", periods) == recomputed("EH01", periods)
    assert county_eh01("2016-04").target == Decimal("5")  # the next year keeps its default
    # The snapshots stay current: the next read does not recompute.
    assert FillState.objects.get().state == "DONE"
    assert indicator_values_ensure() is None


def test_an_imported_indicator_is_rejudged_too(analyst) -> None:
    target_set(user=analyst, indicator_code="NEET01", year=2016, target=Decimal("4.5"),
               floor=Decimal("5"), version=0)  # fmt: skip
    row = IndicatorValue.objects.get(indicator_code="NEET01", period="2016-03", org_code="KC")
    assert (row.value, row.target, row.floor, row.rag) == (
        Decimal("4.1"), Decimal("4.5"), Decimal("5"), "GREEN",
    )  # fmt: skip
    periods = target_year_periods(2016)
    assert stored("NEET01", periods) == recomputed("NEET01", periods)


def test_history_is_kept_and_the_version_moves_on(analyst) -> None:
    made = target_set(user=analyst, indicator_code="EH05", year=2017, target=Decimal("84"),
                      floor=None, version=0)  # fmt: skip
    changed = target_set(user=analyst, indicator_code="EH05", year=2017, target=Decimal("85"),
                         floor=Decimal("80"), version=made.version)  # fmt: skip
    assert changed.version == 2
    line = target_line(user=analyst, indicator_code="EH05", year=2017)
    history = list(target_history(user=analyst, line=line))
    assert [record.action for record in history] == ["UPDATE", "CREATE"]
    assert history[0].changes == {
        "indicator_code": ["EH05", "EH05"], "year": [2017, 2017],
        "target": ["84", "85"], "floor": [None, "80"],
    }  # fmt: skip
    assert history[0].actor_name == analyst.username


def test_an_unchanged_target_writes_nothing(analyst) -> None:
    made = target_set(user=analyst, indicator_code="EH05", year=2017, target=Decimal("84"),
                      floor=None, version=0)  # fmt: skip
    again = target_set(user=analyst, indicator_code="EH05", year=2017, target=Decimal("84"),
                       floor=None, version=made.version)  # fmt: skip
    assert again.version == 1
    assert ChangeRecord.objects.filter(entity="performance.target").count() == 1


def test_a_stale_version_is_refused_with_what_changed(analyst) -> None:
    made = target_set(user=analyst, indicator_code="EH05", year=2017, target=Decimal("84"),
                      floor=None, version=0)  # fmt: skip
    seen = Target.objects.get(pk=made.pk)
    target_set(user=analyst, indicator_code="EH05", year=2017, target=Decimal("88"), floor=None,
               version=1)  # fmt: skip
    with pytest.raises(StaleRecord) as refused:
        target_set(user=analyst, indicator_code="EH05", year=2017, target=Decimal("90"),
                   floor=None, version=1, seen=seen)  # fmt: skip
    assert refused.value.changes == {"target": ("84", "88")}
    with pytest.raises(StaleRecord):  # "no override yet" when there is one
        target_set(user=analyst, indicator_code="EH05", year=2017, target=Decimal("90"),
                   floor=None, version=0)  # fmt: skip
    assert Target.objects.get(pk=made.pk).target == Decimal("88")


def test_clearing_goes_back_to_the_default(analyst) -> None:
    made = target_set(user=analyst, indicator_code="EH01", year=2016, target=Decimal("20"),
                      floor=None, version=0)  # fmt: skip
    target_clear(user=analyst, indicator_code="EH01", year=2016, version=made.version)
    assert not Target.objects.filter(indicator_code="EH01", year=2016).exists()
    row = county_eh01()
    assert (row.target, row.rag) == (Decimal("6"), "RED")
    assert ChangeRecord.objects.filter(entity="performance.target", action="DELETE").count() == 1
    line = target_line(user=analyst, indicator_code="EH01", year=2016)
    assert [r.action for r in target_history(user=analyst, line=line)] == ["DELETE", "CREATE"]


@pytest.mark.parametrize(
    ("code", "target", "floor", "field"),
    [
        ("EH05", "80", "85", "floor"),  # higher is better: the floor is below
        ("EH01", "6", "5", "floor"),  # lower is better: the floor is above
        ("XX99", "6", None, "indicator_code"),
        ("EH05", "123456789012.5", None, "target"),  # too many digits
    ],
)
def test_bad_targets_are_refused_naming_the_field(analyst, code, target, floor, field) -> None:
    with pytest.raises(InvalidInput) as refused:
        target_set(user=analyst, indicator_code=code, year=2017, target=Decimal(target),
                   floor=Decimal(floor) if floor else None, version=0)  # fmt: skip
    assert field in refused.value.errors


@pytest.mark.parametrize("role", [UserRole.PRACTITIONER, UserRole.MANAGER, UserRole.PARTNER])
def test_only_analysts_and_administrators_set_targets(example: Path, role: str) -> None:
    user = f.UserFactory(role=role, org_unit=OrgUnit.objects.get(code="KC"))
    with pytest.raises(PermissionRefused):
        target_set(user=user, indicator_code="EH05", year=2016, target=Decimal("80"), floor=None,
                   version=0)  # fmt: skip
    with pytest.raises(PermissionRefused):
        target_lines(user=user, year=2016)


def test_target_lines_show_defaults_overrides_and_the_floor_applied(analyst) -> None:
    target_set(user=analyst, indicator_code="EH05", year=2017, target=Decimal("78"), floor=None,
               version=0)  # fmt: skip
    lines = {line.indicator.code: line for line in target_lines(user=analyst, year=2017)}
    assert len(lines) == 30
    eh05 = lines["EH05"]
    assert eh05.default.target == Decimal("83")
    assert eh05.applies.target == Decimal("78")
    assert eh05.floor_applied == Decimal("70.2")  # 78 less 10%
    assert lines["EH07"].floor_applied == Decimal("90")  # the service standard's own floor
    assert lines["EH03"].default.target == Decimal("70")
    assert lines["EH10"].judged is False
    # The example's targets.csv overrides EH07 in 2016 without a floor: 97 less 10%.
    eh07 = {line.indicator.code: line for line in target_lines(user=analyst, year=2016)}["EH07"]
    assert (eh07.applies.target, eh07.floor_applied) == (Decimal("97"), Decimal("87.3"))
