"""Journey 7 in a browser: searching by name and by reference."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from earlyhelp.web.tests.browser.conftest import assert_accessible, sign_in
from earlyhelp.web.tests.test_triage_world import TODAY, front_door

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(settings):
    settings.EARLYHELP_TODAY = TODAY
    return front_door()


def test_a_practitioner_searches_by_name_and_by_reference(page, world):
    sign_in(page, "prac")
    page.get_by_role("navigation", name="Primary navigation").get_by_role(
        "link", name="Search"
    ).click()
    expect(page.get_by_role("heading", name="Search")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Name, date of birth or reference").fill("Amelia Hughs 13/05/2010")
    page.get_by_role("button", name="Search").click()
    results = page.locator("main table")
    expect(results).to_contain_text(world.known.person_ref)
    expect(results).not_to_contain_text(world.duplicate.person_ref)  # not the practitioner's
    assert_accessible(page)
    page.get_by_label("Name, date of birth or reference").fill(world.open_case.case_ref)
    page.get_by_role("button", name="Search").click()
    expect(page.locator("main")).to_contain_text(f"Case {world.open_case.case_ref}")
    assert_accessible(page)
    page.get_by_label("Name, date of birth or reference").fill("Hughes 31/02/2010")
    page.get_by_role("button", name="Search").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("is not a real date")
    assert_accessible(page)
