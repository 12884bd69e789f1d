"""Journey 4, the case, in a browser: from the work list to closure, every page accessible."""

from __future__ import annotations

import pytest

from earlyhelp.web.tests.browser.conftest import assert_accessible, sign_in
from earlyhelp.web.tests.test_case import world

pytestmark = pytest.mark.django_db(transaction=True)


def fill_date(page, name: str, day: int, month: int, year: int = 2016) -> None:
    for part, value in enumerate((day, month, year)):
        page.locator(f"#id_{name}_{part}").fill(str(value))


def banner(page) -> str:
    return page.locator(".govuk-notification-banner").inner_text()


def test_a_practitioner_works_a_case_from_assessment_to_closure(page, settings):
    w = world(settings)
    sign_in(page, "prac")
    page.get_by_role("link", name=w.case.case_ref).click()
    assert page.get_by_role("heading", name="Case overview").is_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Actions").click()
    page.get_by_role("button", name="Start the assessment").click()
    assert_accessible(page)
    fill_date(page, "started_on", 3, 6)
    page.get_by_role("button", name="Start the assessment").click()
    assert "The assessment has started." in banner(page)
    page.get_by_label("The family's own view").fill("We want calmer mornings.")
    page.get_by_label("The voice of the child").fill("I like school when I get there.")
    page.get_by_label("What are we worried about?").fill("Amy misses two days a week.")
    page.get_by_role("radio", name="4", exact=True).check()
    fill_date(page, "completed_on", 10, 6)
    assert_accessible(page)
    page.get_by_role("button", name="Save and complete the assessment").click()
    assert "The assessment is complete." in banner(page)

    page.get_by_role("link", name="Plan", exact=True).click()
    assert_accessible(page)
    fill_date(page, "agreed_on", 14, 6)
    page.get_by_label("Outcome 1").fill("Amy is in school every day")
    page.locator("#id_outcomes-1-actions-1-description").fill("Walk to school together")
    page.locator("#id_outcomes-1-actions-1-owner").fill("Mum")
    fill_date(page, "outcomes-1-actions-1-due_on", 1, 7)
    page.get_by_role("button", name="Agree the plan").click()
    assert "The family plan is agreed." in banner(page)
    assert page.get_by_role("cell", name="Walk to school together", exact=True).is_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Reviews", exact=True).click()
    fill_date(page, "review_date", 28, 6)
    page.get_by_label("What the review found").fill("Attendance up to 90%.")
    page.get_by_role("radio", name="7", exact=True).check()
    assert_accessible(page)
    page.get_by_role("button", name="Record the review").click()
    assert "The review is recorded." in banner(page)

    page.get_by_role("link", name="Notes", exact=True).click()
    fill_date(page, "occurred_on", 29, 6)
    page.get_by_role("radio", name="Home visit").check()
    page.get_by_label("Note", exact=True).fill("Visited; the routine holds.")
    assert_accessible(page)
    page.get_by_role("button", name="Add the note").click()
    assert "The note is added." in banner(page)

    page.get_by_role("link", name="Overview", exact=True).click()
    page.get_by_role("button", name="Actions").click()
    page.get_by_role("button", name="Close the case").click()
    assert_accessible(page)
    page.get_by_role("radio", name="Outcomes achieved", exact=True).check()
    page.get_by_label("Closing summary").fill("Amy attends every day.")
    fill_date(page, "closed_on", 30, 6)
    page.get_by_role("button", name="Close the case").click()
    assert "The case is closed." in banner(page)
    assert "Nothing: the case closed on 30 June 2016." in page.locator("main").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="History", exact=True).click()
    assert page.locator(".moj-timeline__item").count() >= 7
    assert_accessible(page)


def test_closing_when_consent_is_withdrawn_needs_the_unit_leader(
    page, browser, live_server, settings
):
    w = world(settings)
    url = f"/case/{w.case.pk}/close/"

    without_js = browser.new_context(base_url=live_server.url, java_script_enabled=False)
    try:
        plain = without_js.new_page()
        sign_in(plain, "prac")
        plain.goto(url)
        assert plain.get_by_label("Unit leader who authorised the closure").is_visible()
    finally:
        without_js.close()

    sign_in(page, "prac")
    page.goto(url)
    leader = page.get_by_label("Unit leader who authorised the closure")
    assert not leader.is_visible()
    page.get_by_role("radio", name="Consent withdrawn").check()
    assert leader.is_visible()
    page.get_by_label("Closing summary").fill("The family asked us to stop.")
    fill_date(page, "closed_on", 30, 6)
    page.get_by_role("button", name="Close the case").click()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "needs a unit leader's authorisation" in summary
    assert_accessible(page)
    page.get_by_label("Unit leader who authorised the closure").select_option(label="Lee Leader")
    page.get_by_role("button", name="Close the case").click()
    assert "The case is closed." in banner(page)
    assert "Consent withdrawn" in page.locator("main").inner_text()
