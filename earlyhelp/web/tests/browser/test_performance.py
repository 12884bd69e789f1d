"""Journey 4 in a browser: the scorecard, the tracker drilled down, an indicator's page and
its chart's table view, each checked with axe-core (WCAG 2.2 AA)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from earlyhelp.domain.codes import UserRole
from earlyhelp.organisation.models import OrgUnit
from earlyhelp.performance.tests.conftest import EXAMPLE
from earlyhelp.testing import factories as f
from earlyhelp.web.tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
SHOTS = Path("/tmp/perfwork") if Path("/tmp/perfwork").is_dir() else None


def shoot(page, name: str) -> None:
    """Screenshots for a person to look at, when /tmp/perfwork exists (never in CI)."""
    if SHOTS is not None:
        page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def test_scorecard_tracker_indicator_and_table_view(page, settings):
    if not EXAMPLE.is_dir():
        pytest.skip("spec/example is not available")
    settings.EARLYHELP_TODAY = "2016-06-30"
    out = io.StringIO()
    call_command("import", str(EXAMPLE / "dataset"), stdout=out, stderr=out)
    call_command("scorecard", "--recompute", stdout=out)
    f.UserFactory(
        username="analyst", role=UserRole.ANALYST, org_unit=OrgUnit.objects.get(code="KC")
    )
    sign_in(page, "analyst")

    page.get_by_role("link", name="Scorecard").click()
    page.get_by_label("Month", exact=True).select_option("2016-03")
    page.get_by_role("button", name="Show the figures").click()
    assert page.get_by_role("heading", name="Test County, March 2016", level=1).is_visible()
    eh05 = page.get_by_role("row").filter(has_text="EH05")
    assert "62.1%" in eh05.inner_text()
    assert "Red" in eh05.inner_text()
    assert page.get_by_role("img", name="EH05 trend, April 2015 to March 2016").count() == 1
    shoot(page, "scorecard")
    assert_accessible(page)

    page.get_by_role("link", name="Drill down in the outcome tracker").click()
    assert page.get_by_role("heading", name="Test County, March 2016", level=1).is_visible()
    page.get_by_role("link", name="Front door").click()
    assert page.get_by_role("columnheader", name="EH07").count() == 1
    shoot(page, "tracker-county")
    assert_accessible(page)
    page.get_by_role("link", name="North Area", exact=True).click()
    page.get_by_role("link", name="District DN1", exact=True).click()
    assert page.get_by_role("heading", name="District DN1, March 2016", level=1).is_visible()
    assert (
        page.get_by_role("navigation", name="Breadcrumb")
        .get_by_role("link", name="North Area")
        .is_visible()
    )
    shoot(page, "tracker-district")
    assert_accessible(page)

    page.get_by_role("link", name="EH05 % of cases closed with a positive outcome").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("EH05: ")
    chart = page.get_by_role("img", name="EH05 for District DN1")
    assert chart.count() == 1
    assert not page.get_by_role("cell", name="218 / 351").is_visible()
    shoot(page, "indicator")
    assert_accessible(page)

    page.get_by_text("Show the figures as a table").click()
    table = page.get_by_role("table", name="EH05 for District DN1, month by month")
    assert table.is_visible()
    assert table.get_by_role("row", name="March 2016").get_by_role("cell").first.inner_text() == (
        "60.6%"
    )
    shoot(page, "indicator-table")
    assert_accessible(page)
