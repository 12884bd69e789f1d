"""The partner portal in a browser: signing in with an emailed code, the whole notification
with check your answers and the confirmation, a draft saved and resumed, answers kept when
the session expires, and the status pages. Every page is checked with axe-core."""

from __future__ import annotations

import re

import pytest
from django.contrib.sessions.models import Session
from django.core import mail

from earlyhelp.frontdoor.models import Notification, SubmissionDraft
from earlyhelp.organisation.models import User
from earlyhelp.testing import factories as f
from earlyhelp.web.tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def school(settings) -> User:
    settings.EARLYHELP_TODAY = "2018-03-20"
    f.FamilyFactory(district=f.district())  # places ME14 postcodes in district DN1
    return f.partner(
        username="sam",
        email="sam.teacher@example.org",
        first_name="Sam",
        last_name="Teacher",
    )


def _radio(page, question: str, answer: str) -> None:
    page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()


def _continue(page) -> None:
    page.get_by_role("button", name="Continue").click()


def _fill_child(page) -> None:
    page.get_by_label("First name").fill("Amelia")
    page.get_by_label("Last name").fill("Testington")
    group = page.get_by_role("group", name="Date of birth")
    group.get_by_label("Day").fill("17")
    group.get_by_label("Month").fill("2")
    group.get_by_label("Year").fill("2009")
    page.get_by_label("Female", exact=True).check()


def _start_a_notification(page) -> None:
    page.goto("/portal/home/")
    page.get_by_role("button", name="Send a new notification").click()
    assert_accessible(page)
    page.get_by_role("button", name="Start").click()


def test_a_new_partner_signs_in_with_a_code_sent_by_email(page, school) -> None:
    page.goto("/portal/")
    assert_accessible(page)
    page.get_by_role("button", name="Start now").click()
    assert_accessible(page)
    page.get_by_role("button", name="Get a code by email").click()
    page.get_by_label("Email address").fill("jo.nurse@example.org")
    page.get_by_role("button", name="Send the code").click()
    assert page.get_by_role("heading", name="Check your email").is_visible()
    assert_accessible(page)
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    page.get_by_label("Code").fill("000000" if code != "000000" else "111111")
    page.get_by_role("button", name="Sign in").click()
    assert "The code is not right" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("Code").fill(code)
    page.get_by_role("button", name="Sign in").click()
    assert page.get_by_role("heading", name="Your organisation").is_visible()
    assert_accessible(page)
    page.get_by_label("The organisation you work for").fill("Thanet Health Visiting")
    _radio(page, "What kind of organisation is it?", "Health")
    page.get_by_role("button", name="Save and continue").click()
    assert page.get_by_role("heading", name="Partner portal").is_visible()
    assert_accessible(page)
    user = User.objects.get(email="jo.nurse@example.org")
    assert (user.partner_organisation, user.partner_source) == ("Thanet Health Visiting", "HEALTH")


def test_a_whole_notification_with_check_your_answers_and_confirmation(page, school) -> None:
    sign_in(page, "sam")
    _start_a_notification(page)
    # About you: what we know of the partner is filled in already.
    assert page.get_by_label("Your email address").input_value() == "sam.teacher@example.org"
    page.get_by_label("Your full name").fill("")
    _continue(page)
    assert "Enter your name." in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("Your full name").fill("Sam Teacher")
    page.get_by_label("Your job title or role").fill("Designated safeguarding lead")
    _continue(page)
    assert_accessible(page)
    _fill_child(page)
    _continue(page)
    page.get_by_label("Name of a parent or carer (optional)").fill("Jo Testington")
    page.get_by_label("Postcode").fill("ME14 1XQ")
    assert_accessible(page)
    _continue(page)
    _radio(page, "What kind of notification is this?", "A request for early help")
    page.get_by_label("What are you worried about?").fill("Attendance has fallen to 80%.")
    assert_accessible(page)
    _continue(page)
    page.get_by_label("What has been tried so far? (optional)").fill("Meetings with mum.")
    _continue(page)
    _radio(page, "Has the family agreed to this notification?", "Yes")
    _radio(page, "Has the family agreed that we may tell you the outcome?", "Yes")
    assert_accessible(page)
    _continue(page)
    assert page.locator(".govuk-warning-text").inner_text().count("999") == 1
    _radio(page, "Does the child need to be screened today?", "No")
    assert_accessible(page)
    _continue(page)
    assert page.get_by_role("heading", name="Check your answers").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Change postcode").click()
    page.get_by_label("Postcode").fill("ME14 2AA")
    _continue(page)
    assert page.get_by_role("heading", name="Check your answers").is_visible()
    assert "ME14 2AA" in page.locator("main").inner_text()
    page.get_by_role("button", name="Send the notification").click()
    panel = page.locator(".govuk-panel--confirmation").inner_text()
    notification = Notification.objects.get()
    assert notification.notification_ref in panel
    assert "22 March 2018" in page.locator("main").inner_text()
    assert_accessible(page)
    assert not SubmissionDraft.objects.exists()
    page.get_by_role("link", name="the notification's page").click()
    assert page.get_by_role("heading", name=f"Notification {notification.notification_ref}")
    assert "Not decided yet." in page.locator("main").inner_text()
    assert_accessible(page)


def test_a_draft_is_saved_resumed_and_deleted(page, school) -> None:
    sign_in(page, "sam")
    _start_a_notification(page)
    _continue(page)
    page.get_by_label("First name").fill("Amelia")
    page.get_by_role("button", name="Save and come back later").click()
    drafts = page.locator("table").first
    assert "Amelia" in drafts.inner_text()
    assert "The child" in drafts.inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="Continue the draft about Amelia").click()
    assert page.get_by_label("First name").input_value() == "Amelia"
    page.goto("/portal/home/")
    page.get_by_role("link", name="Delete the draft about Amelia").click()
    assert_accessible(page)
    page.get_by_role("button", name="Delete the draft").click()
    assert "You have no drafts" in page.locator("main").inner_text()
    assert not SubmissionDraft.objects.exists()


def test_what_was_typed_is_kept_when_the_session_expires(page, school) -> None:
    sign_in(page, "sam")
    _start_a_notification(page)
    _continue(page)
    _fill_child(page)
    Session.objects.all().delete()  # the session expires while the partner types
    _continue(page)
    assert "What you typed on the last page has been kept" in page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Sign in with your account").click()
    page.get_by_label("Username").fill("sam")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in").click()
    assert "what you typed on this page was kept" in page.locator("main").inner_text()
    assert page.get_by_label("Last name").input_value() == "Testington"
    assert page.get_by_role("group", name="Date of birth").get_by_label("Year").input_value() == (
        "2009"
    )
    assert_accessible(page)
    _continue(page)
    assert page.get_by_role("heading", name="The child's family").is_visible()


def test_the_status_pages(page, school) -> None:
    from earlyhelp.frontdoor.submissions import partner_submission_create

    first = partner_submission_create(user=school, answers=f.answers()).notification
    partner_submission_create(user=school, answers=f.answers(child_given_name="Bella"))
    other = partner_submission_create(user=f.partner(username="other"), answers=f.answers())
    Notification.objects.filter(pk=first.pk).update(screening_started_at=first.received_at)
    sign_in(page, "sam")
    page.get_by_role("link", name="Your notifications").first.click()
    table = page.locator("table").inner_text()
    assert "Being screened" in table
    assert "Bella Testington" in table
    assert other.notification.notification_ref not in table
    assert_accessible(page)
    page.get_by_role("link", name=first.notification_ref).click()
    main = page.locator("main").inner_text()
    assert "Being screened" in main
    assert "Not decided yet." in main
    assert_accessible(page)
    missing = page.goto(f"/portal/notifications/{other.notification.notification_ref}/")
    assert missing.status == 404
