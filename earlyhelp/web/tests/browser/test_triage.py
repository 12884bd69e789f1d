"""Journey 2 in a browser: a triage officer screens the most urgent notification."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from earlyhelp.casework.models import Case
from earlyhelp.testing import factories as f
from earlyhelp.web.tests.browser.conftest import assert_accessible, sign_in
from earlyhelp.web.tests.test_triage_world import TODAY, front_door, pending, received

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def world(settings):
    settings.EARLYHELP_TODAY = TODAY
    return front_door()


def banner(page):
    return page.locator(".govuk-notification-banner--success")


def test_triage_officer_links_the_child_opens_a_case_and_tells_the_referrer(page, world):
    later = pending(received_at=received(29, 11))
    sign_in(page, "triage")
    expect(page.get_by_role("heading", name="Triage queue")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("navigation", name="Primary navigation").get_by_role(
        "link", name="Triage queue"
    ).click()
    expect(page).to_have_url(re.compile("/triage/$"))
    assert_accessible(page)
    rows = page.locator("table tbody tr")
    expect(rows.nth(0)).to_contain_text(world.notification.notification_ref)
    expect(rows.nth(1)).to_contain_text(later.notification_ref)
    rows.nth(0).get_by_role("link").click()

    # the notification, with the known child among the possible matches
    heading = f"Notification {world.notification.notification_ref}"
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    matches = page.locator(".app-match")
    expect(matches.first).to_contain_text(world.known.person_ref)
    expect(matches.first).to_contain_text(world.open_case.case_ref)
    assert_accessible(page)
    page.get_by_role("button", name=re.compile("This is the same child")).first.click()
    expect(banner(page)).to_contain_text(f"now about Amelia Hughes ({world.known.person_ref})")
    expect(page.locator("main")).to_contain_text("The family has an open case")
    assert_accessible(page)

    # the decision: first with nothing chosen, then level 3 and a case for the unit
    page.get_by_role("button", name="Triage this notification").click()
    expect(page.get_by_role("heading", name="Triage the notification")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Save the decision").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Choose the level of need, from 1 to 4.")
    expect(summary).to_contain_text("Give the reasons for the decision.")
    assert_accessible(page)
    page.get_by_label("Level 3: Intensive").check()
    page.get_by_label("Early Help Unit casework, with assessment").check()
    page.get_by_label("Reasons for the decision").fill("Needs across home and school.")
    page.get_by_label("Unit that will hold the case").select_option(
        label="Unit EHU-N1 (District DN1)"
    )
    page.get_by_label("Lead practitioner (optional)").select_option(label="Priya Patel")
    page.get_by_role("button", name="Save the decision").click()
    expect(banner(page)).to_contain_text("opened in Unit EHU-N1, Priya Patel.")
    case = Case.objects.get(notification=world.notification)
    assert (case.unit_id, case.worker_id) == (world.ehu.pk, world.worker.pk)
    expect(banner(page)).to_contain_text(f"Case {case.case_ref} opened")
    assert_accessible(page)

    # telling the referrer
    page.get_by_label("Email", exact=True).check()
    page.get_by_label("What they were told (optional)").fill("Case opened; the unit will call.")
    page.get_by_role("button", name="Record that the referrer was told").click()
    expect(banner(page)).to_contain_text("Recorded that the referrer was told by email")
    expect(page.locator("main")).to_contain_text("by email: Case opened; the unit will call.")
    assert_accessible(page)


def test_keying_a_new_notification(page, world):
    sign_in(page, "triage")
    page.get_by_role("link", name="New notification").click()
    expect(page.get_by_role("heading", name="Record a new notification")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Record the notification").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Choose whether the child is known."
    )
    assert_accessible(page)
    page.get_by_label("A child already known (I have their reference)").check()
    page.get_by_label("Reference of the known child").fill(world.known.person_ref)
    page.get_by_label("Who the notification came from").select_option(label="Health")
    page.get_by_label("Standard").check()
    page.get_by_label("Why early help is needed").fill("Health visitor worried about sleep.")
    page.get_by_label("Yes", exact=True).check()
    page.get_by_role("button", name="Record the notification").click()
    expect(banner(page)).to_contain_text("is recorded")
    expect(page.locator("main")).to_contain_text(world.known.person_ref)
    assert_accessible(page)


def test_a_triaged_notification_refuses_a_second_triage(page, world):
    f.WorkerFactory(unit=world.ehu, name="Second Worker")
    sign_in(page, "triage")
    page.goto(f"/notification/{world.notification.pk}/triage/")
    page.get_by_label("Level 1: Universal").check()
    page.get_by_label("No further action").check()
    page.get_by_label("Reasons for the decision").fill("Universal services meet the need.")
    page.get_by_role("button", name="Save the decision").click()
    expect(banner(page)).to_contain_text("no further action")
    page.goto(f"/notification/{world.notification.pk}/triage/")
    expect(page.locator(".govuk-error-summary")).to_contain_text("It cannot be triaged again.")
    assert_accessible(page)
