"""Signing off a month: its figures are frozen and versioned; a recompute leaves them alone
unless asked explicitly, which adds a version and keeps the earlier ones."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import CommandError

from earlyhelp.common.errors import InvalidInput, PermissionRefused
from earlyhelp.domain.codes import UserRole
from earlyhelp.organisation.models import OrgUnit
from earlyhelp.performance.models import (
    FillState,
    IndicatorValue,
    MonthSignOff,
    SignedOffValue,
    Target,
)
from earlyhelp.performance.selectors_figures import sign_off_months, signed_off_rows
from earlyhelp.performance.services import indicator_values_ensure, indicator_values_recompute
from earlyhelp.performance.services_signoff import month_sign_off
from earlyhelp.performance.services_targets import target_set
from earlyhelp.performance.tests.conftest import parse, scorecard
from earlyhelp.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def analyst(example: Path):
    return f.UserFactory(role=UserRole.ANALYST, org_unit=OrgUnit.objects.get(code="KC"))


def eh01(period: str) -> IndicatorValue:
    return IndicatorValue.objects.get(
        indicator_code="EH01", level="COUNTY", period=period, window_months=12
    )


def test_a_signed_off_month_is_frozen_with_a_copy_of_its_values(analyst) -> None:
    sign_off = month_sign_off(user=analyst, period="2016-03")
    assert (sign_off.version, sign_off.signed_off_by_id) == (1, analyst.pk)
    assert sign_off.note == "Signed off"
    assert sign_off.rows == IndicatorValue.objects.filter(period="2016-03").count() > 0
    assert SignedOffValue.objects.filter(sign_off=sign_off).count() == sign_off.rows
    months = {line.period: line for line in sign_off_months(user=analyst)}
    assert months["2016-03"].latest == sign_off
    assert months["2016-02"].latest is None
    assert list(months)[0] == "2016-06"  # newest first


def test_changed_data_recomputes_every_month_but_the_signed_off_one(analyst) -> None:
    month_sign_off(user=analyst, period="2016-03")
    Target.objects.create(indicator_code="EH01", year=2016, target=Decimal("20"))
    done = indicator_values_ensure()
    assert done is not None
    assert done.skipped_signed_off == ("2016-03",)
    assert (eh01("2016-03").target, eh01("2016-03").rag) == (Decimal("6"), "RED")  # frozen
    assert (eh01("2016-02").target, eh01("2016-02").rag) == (Decimal("20"), "GREEN")
    assert FillState.objects.get().state == "DONE"
    assert indicator_values_ensure() is None


def test_a_target_change_leaves_a_signed_off_month_alone(analyst) -> None:
    month_sign_off(user=analyst, period="2016-03")
    target_set(user=analyst, indicator_code="EH01", year=2016, target=Decimal("20"), floor=None,
               version=0)  # fmt: skip
    assert eh01("2016-03").rag == "RED"
    assert eh01("2016-01").rag == "GREEN"


def test_recomputing_signed_off_months_explicitly_adds_a_version_and_keeps_the_old(
    analyst,
) -> None:
    first = month_sign_off(user=analyst, period="2016-03")
    Target.objects.create(indicator_code="EH01", year=2016, target=Decimal("20"))
    done = indicator_values_recompute(months=["2016-03"], include_signed_off=True)
    assert done.new_versions == ("2016-03",)
    assert eh01("2016-03").rag == "GREEN"
    versions = list(MonthSignOff.objects.filter(period="2016-03").order_by("version"))
    assert [v.version for v in versions] == [1, 2]
    assert versions[1].note.startswith("Recomputed")
    old = {r.org_code: r for r in signed_off_rows(period="2016-03", version=1, window=12)
           if r.code == "EH01"}  # fmt: skip
    new = {r.org_code: r for r in signed_off_rows(period="2016-03", version=2, window=12)
           if r.code == "EH01"}  # fmt: skip
    assert (old["KC"].rag, new["KC"].rag) == ("RED", "GREEN")
    assert SignedOffValue.objects.filter(sign_off=first).count() == first.rows


def test_one_signed_off_month_recomputed_alone_is_skipped_and_the_fill_stays_done(
    analyst,
) -> None:
    month_sign_off(user=analyst, period="2016-03")
    done = indicator_values_recompute(months=["2016-03"])
    assert (done.months, done.rows, done.skipped_signed_off) == (0, 0, ("2016-03",))
    assert FillState.objects.get().state == "DONE"
    assert IndicatorValue.objects.filter(period="2016-03").exists()


@pytest.mark.parametrize(
    ("period", "message"),
    [
        ("2016-06", "June 2016 has not ended"),
        ("2016-09", "September 2016 has not ended"),
        ("2010-01", "There are no figures for January 2010"),
        ("2016-13", "is not a month"),
    ],
)
def test_months_that_cannot_be_signed_off(analyst, period: str, message: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        month_sign_off(user=analyst, period=period)
    assert message in refused.value.errors["period"][0]


def test_a_month_is_signed_off_once(analyst) -> None:
    month_sign_off(user=analyst, period="2016-03")
    with pytest.raises(InvalidInput) as refused:
        month_sign_off(user=analyst, period="2016-03")
    assert "March 2016 is already signed off (version 1" in refused.value.errors["period"][0]


def test_only_analysts_and_administrators_sign_off(example: Path) -> None:
    manager = f.UserFactory(role=UserRole.MANAGER, org_unit=OrgUnit.objects.get(code="KC"))
    with pytest.raises(PermissionRefused):
        month_sign_off(user=manager, period="2016-03")
    admin = f.UserFactory(role=UserRole.ADMINISTRATOR, org_unit=None)
    assert month_sign_off(user=admin, period="2016-03").version == 1


def test_the_command_signs_off_recomputes_and_reads_versions(example: Path) -> None:
    assert "Signed off March 2016: version 1" in scorecard("--sign-off", "2016-03")
    Target.objects.create(indicator_code="EH01", year=2016, target=Decimal("20"))
    out = scorecard("--recompute")
    assert "Left as signed off: 2016-03 (--include-signed-off" in out
    key = ("EH01", "COUNTY", "KC", "2016-03", "12")
    assert parse(scorecard("--month", "2016-03"))[key][-1] == "RED"
    out = scorecard("--recompute", "--month", "2016-03", "--include-signed-off")
    assert "New signed-off versions: 2016-03." in out
    assert parse(scorecard("--month", "2016-03"))[key][-1] == "GREEN"
    assert parse(scorecard("--month", "2016-03", "--signed-off-version", "1"))[key][-1] == "RED"
    with pytest.raises(CommandError, match="no signed-off version 3"):
        scorecard("--month", "2016-03", "--signed-off-version", "3")
    with pytest.raises(CommandError, match="already signed off"):
        scorecard("--sign-off", "2016-03")
    with pytest.raises(CommandError, match="goes with --recompute"):
        scorecard("--month", "2016-03", "--include-signed-off")


def test_the_workbook_of_a_signed_off_month_says_which_version(example: Path, tmp_path) -> None:
    from openpyxl import load_workbook

    scorecard("--sign-off", "2016-03")
    path = tmp_path / "march.xlsx"
    scorecard("--month", "2016-03", "--format", "xlsx", "--output", str(path))
    about = {row[0]: row[1] for row in load_workbook(path)["About"].iter_rows(values_only=True)}
    assert about["Signed off"] == "version 1 of 1"
