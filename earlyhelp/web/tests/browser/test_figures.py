"""The figures in a browser: an analyst changes a target, uploads figures (with errors,
then without) and signs off a month; every page passes axe-core."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from earlyhelp.domain.codes import UserRole
from earlyhelp.interchange.tests.helpers import import_dir, write_dataset
from earlyhelp.organisation.models import OrgUnit
from earlyhelp.performance.models import IndicatorValue, MonthSignOff, Target
from earlyhelp.performance.services import indicator_values_recompute
from earlyhelp.testing import factories as f
from earlyhelp.web.tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

HEADER = "indicator_code,period,org_unit_code,value,numerator,denominator\n"


def test_targets_upload_and_sign_off(page, settings, tmp_path: Path):
    settings.EARLYHELP_TODAY = "2016-06-30"
    import_dir(write_dataset(tmp_path / "base"))
    indicator_values_recompute()
    f.UserFactory(username="ann", role=UserRole.ANALYST, org_unit=OrgUnit.objects.get(code="KC"))
    sign_in(page, "ann")

    page.get_by_role("link", name="Targets and figures").click()
    assert page.get_by_role("heading", name="Targets for 2016-17", level=1).is_visible()
    page.get_by_role("link", name="2015-16").click()
    assert_accessible(page)
    page.get_by_role("link", name="Change the target of EH01 for 2015-16").click()
    assert_accessible(page)
    page.get_by_label("Target").fill("twenty")
    page.get_by_role("button", name="Save the target").click()
    summary = page.locator(".govuk-error-summary")
    assert "Enter the target as a number" in summary.inner_text()
    assert_accessible(page)
    summary.get_by_role("link").first.click()
    assert page.evaluate("document.activeElement.id") == "id_target"
    page.get_by_label("Target").fill("20")
    page.get_by_role("button", name="Save the target").click()
    assert (
        "The 2016 target of EH01 is saved."
        in page.locator(".govuk-notification-banner").inner_text()
    )
    county = IndicatorValue.objects.get(
        indicator_code="EH01", level="COUNTY", period="2016-03", window_months=12
    )
    assert county.target == 20

    page.get_by_role("link", name="Upload imported figures").click()
    page.get_by_label("Imported indicator values").set_input_files(
        files=[{"name": "bad.csv", "mimeType": "text/csv",
                "buffer": (HEADER + "NEET01,2016-03,KC,lots,,\nXX01,2016-03,KC,1,,\n").encode()}]
    )  # fmt: skip
    page.get_by_role("button", name="Check and import").click()
    items = page.locator(".govuk-error-summary__list li").all_inner_texts()
    assert items[0] == "imported_indicators.csv line 2: value: 'lots' is not a number"
    assert items[1].startswith("imported_indicators.csv line 3: indicator_code: 'XX01'")
    assert_accessible(page)
    page.get_by_label("Imported indicator values").set_input_files(
        files=[{"name": "good.csv", "mimeType": "text/csv",
                "buffer": (HEADER + "NEET01,2016-03,KC,3.3,,\n").encode()}]
    )  # fmt: skip
    page.get_by_label("Targets (targets.csv)").set_input_files(
        files=[{"name": "t.csv", "mimeType": "text/csv",
                "buffer": b"indicator_code,year,target,floor\nNEET01,2016,3.5,\n"}]
    )  # fmt: skip
    page.get_by_role("button", name="Check and import").click()
    assert "The figures are imported" in page.locator(".govuk-notification-banner").inner_text()
    neet = IndicatorValue.objects.get(indicator_code="NEET01", period="2016-03", org_code="KC")
    assert (neet.value, neet.target, neet.rag) == (Decimal("3.3"), Decimal("3.5"), "GREEN")
    assert Target.objects.filter(indicator_code="NEET01", year=2016).exists()

    page.get_by_role("link", name="Sign off a month").click()
    assert_accessible(page)
    page.get_by_role("button", name="Sign off the month").click()
    assert "Choose the month to sign off." in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("Month").select_option(label="May 2016")
    page.get_by_role("button", name="Sign off the month").click()
    assert (
        "May 2016 is signed off (version 1)"
        in page.locator(".govuk-notification-banner").inner_text()
    )
    assert MonthSignOff.objects.get().period == "2016-05"
    assert_accessible(page)
