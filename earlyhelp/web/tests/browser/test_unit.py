"""Journey 5 in a browser: the unit meeting filtered, sorted and printed; the district."""

from __future__ import annotations

import pytest

from earlyhelp.domain.codes import UserRole
from earlyhelp.organisation.models import OrgUnit
from earlyhelp.testing import factories as f
from earlyhelp.web.tests.browser.conftest import assert_accessible, sign_in
from earlyhelp.web.tests.test_unit import unit_with_cases

pytestmark = pytest.mark.django_db(transaction=True)


def case_refs(page) -> list[str]:
    cells = page.locator("table").first.locator("tbody tr td:first-child")
    return [text.split()[0] for text in cells.all_inner_texts()]


def test_unit_meeting_filter_sort_and_print(page, settings):
    settings.EARLYHELP_TODAY = "2016-06-30"
    team = unit_with_cases()
    sign_in(page, "leader")
    page.get_by_role("link", name="Unit meeting").click()
    assert page.get_by_role("heading", name=team.unit.name, level=1).is_visible()
    assert len(case_refs(page)) == 3
    assert_accessible(page)

    page.get_by_label("Review overdue").check()
    page.get_by_label("No plan by the 4-week deadline").check()
    page.get_by_role("button", name="Apply filters").click()
    assert sorted(case_refs(page)) == sorted([team.drifting.case_ref, team.long_open.case_ref])
    assert page.locator(".moj-filter__tag").count() == 2
    assert_accessible(page)

    page.get_by_role("link", name="Days open").click()
    assert case_refs(page) == [team.drifting.case_ref, team.long_open.case_ref]
    header = page.locator("th[aria-sort='ascending']")
    assert "Days open" in header.inner_text()
    page.get_by_role("link", name="Days open").click()
    assert case_refs(page) == [team.long_open.case_ref, team.drifting.case_ref]
    assert "Days open" in page.locator("th[aria-sort='descending']").inner_text()

    page.locator(".moj-filter__tag", has_text="Review overdue").click()
    assert page.locator(".moj-filter__tag").count() == 1
    assert case_refs(page) == [team.drifting.case_ref]

    page.get_by_role("button", name="Print").click()
    assert page.locator(".moj-filter").count() == 0
    assert page.locator(".moj-primary-navigation").count() == 0
    assert case_refs(page) == [team.drifting.case_ref]
    assert page.get_by_role("button", name="Print this page").is_visible()  # shown by JS
    assert_accessible(page)


def test_district_overview(page, settings):
    settings.EARLYHELP_TODAY = "2016-06-30"
    team = unit_with_cases()
    district = OrgUnit.objects.get(code="DN1")
    f.UserFactory(username="manager", role=UserRole.MANAGER, org_unit=district)
    sign_in(page, "manager")
    page.get_by_role("link", name="Units and drift").click()
    assert page.get_by_role("heading", name=district.name, level=1).is_visible()
    assert_accessible(page)
    page.get_by_role("link", name=team.unit.name).click()
    assert len(case_refs(page)) == 3
