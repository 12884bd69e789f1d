"""Data protection in a browser: break-glass and its review, consent given and withdrawn,
the audit pages and a subject access export. Every page passes axe-core."""

from __future__ import annotations

import json

import pytest

from earlyhelp.audit.models import AccessAction, AccessLog
from earlyhelp.web.tests.browser.conftest import assert_accessible, sign_in
from earlyhelp.web.tests.test_dataprotection import world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db(transaction=True)


def test_break_glass_from_search_and_its_review(page, world):  # noqa: F811
    away = world.away
    sign_in(page, "prac")
    page.goto(f"/search/?q={away.family_ref}")
    page.get_by_role("link", name="request access to it by its reference").click()
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", name="Request access to a record").is_visible()
    assert "outside the records your role and team give you" in page.content()
    assert_accessible(page)
    page.get_by_role("button", name="Open the record").click()
    assert (
        "Say why you need to open this record." in page.locator(".govuk-error-summary").inner_text()
    )
    assert_accessible(page)
    page.get_by_label("Why do you need to open this record?").fill("Zoe's school rang: urgent")
    page.get_by_role("button", name="Open the record").click()
    assert page.get_by_role("heading", name=f"Family {away.family_ref}").is_visible()
    assert "Your reason is recorded" in page.locator(".govuk-notification-banner").inner_text()

    page.context.clear_cookies()
    sign_in(page, "awayleader")
    page.get_by_role("link", name="Break-glass review").click()
    row = page.locator("tbody tr").first
    assert "Zoe's school rang: urgent" in row.inner_text()
    assert "prac" in row.inner_text()
    assert_accessible(page)


def test_consent_given_then_withdrawn(page, world):  # noqa: F811
    home = world.home
    sign_in(page, "prac")
    page.goto(f"/family/{home.family.pk}/")
    page.get_by_role("link", name="Record consent").click()
    page.get_by_role("button", name="Record consent").click()
    assert (
        "Choose what the family has agreed to." in page.locator(".govuk-error-summary").inner_text()
    )
    assert_accessible(page)
    page.get_by_label("Tell the referrer what happened to the notification").check()
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("6")
    page.get_by_label("Year").fill("2016")
    page.get_by_label("Who gave consent").select_option(
        label=f"Jane Smith ({home.parent.person_ref})"
    )
    page.get_by_role("button", name="Record consent").click()
    assert "Consent recorded" in page.locator(".govuk-notification-banner").inner_text()
    consent = page.locator("#consent + table")
    assert "In force" in consent.inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Record withdrawal").click()
    assert_accessible(page)
    page.get_by_label("Day").fill("20")
    page.get_by_label("Month").fill("6")
    page.get_by_label("Year").fill("2016")
    page.get_by_label("What the family said (optional)").fill("Jane no longer agrees.")
    page.get_by_role("button", name="Record the withdrawal").click()
    assert "Nothing more is shared" in page.locator(".govuk-notification-banner").inner_text()
    assert "Withdrawn 20 Jun 2016" in page.locator("#consent + table").inner_text()


def test_audit_pages_and_a_subject_access_export(page, world, tmp_path):  # noqa: F811
    home = world.home
    sign_in(page, "prac")
    page.goto(f"/person/{home.child.pk}/")
    page.context.clear_cookies()
    sign_in(page, "manager")
    page.get_by_role("link", name="Data protection").click()
    page.get_by_label("Reference of the record").fill(home.child.person_ref)
    page.get_by_role("button", name="Show the log").click()
    assert "person record" in page.locator("table").inner_text()
    assert_accessible(page)
    page.get_by_role("link", name="What a user looked at").click()
    page.get_by_label("Username").fill("prac")
    page.get_by_role("button", name="Show the log").click()
    assert "person record" in page.locator("table").inner_text()
    assert_accessible(page)

    page.get_by_role("link", name="Subject access").click()
    page.get_by_label("Reference of the person").fill("P9999999")
    page.get_by_role("button", name="Find the person").click()
    assert "No person with that reference" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("Reference of the person").fill(home.child.person_ref)
    page.get_by_role("button", name="Find the person").click()
    assert page.get_by_role("heading", name=f"Amy Smith ({home.child.person_ref})").is_visible()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download the data (JSON)").click()
    saved = tmp_path / "sar.json"
    download.value.save_as(saved)
    document = json.loads(saved.read_text())
    assert document["person"]["person_ref"] == home.child.person_ref
    with page.expect_download() as readable:
        page.get_by_role("button", name="Download the readable document (HTML)").click()
    html = tmp_path / "sar.html"
    readable.value.save_as(html)
    page.goto(html.as_uri())
    assert page.get_by_role(
        "heading", name=f"Everything held about {home.child.person_ref}"
    ).is_visible()
    assert_accessible(page)
    assert (
        AccessLog.objects.filter(action=AccessAction.EXPORT, person_id=home.child.pk).count() == 2
    )
