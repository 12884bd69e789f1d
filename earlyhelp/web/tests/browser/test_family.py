"""Journey 3 in a browser: the family record with its timeline, editing and merging people."""

from __future__ import annotations

import datetime as dt

import pytest

from earlyhelp.people.models import Person
from earlyhelp.testing import factories as f
from earlyhelp.web.tests.browser.conftest import assert_accessible, sign_in
from earlyhelp.web.tests.test_family import household

pytestmark = pytest.mark.django_db(transaction=True)


def test_family_record_with_timeline_and_person_edit(page, settings):
    settings.EARLYHELP_TODAY = "2016-06-30"
    home = household()
    sign_in(page, "prac")
    page.goto(f"/family/{home.family.pk}/")
    assert page.get_by_role("heading", name=f"Family {home.family.family_ref}").is_visible()
    assert "943 476 5919" in page.locator("table").first.inner_text()
    timeline = page.locator(".moj-timeline")
    assert timeline.locator(".moj-timeline__item").count() == 2
    assert "Case opened" in timeline.locator(".moj-timeline__title").first.inner_text()
    assert page.locator(".govuk-warning-text").count() >= 2
    assert_accessible(page)

    page.get_by_role("link", name="Amy Smith").first.click()
    assert page.get_by_role("heading", name="Amy Smith", level=1).is_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Change details").click()
    page.get_by_label("Given name").fill("")
    page.get_by_role("button", name="Save changes").click()
    assert "Enter the given name." in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("Given name").fill("Amelia")
    page.get_by_role("button", name="Save changes").click()
    assert (
        "Amelia Smith's record has been saved."
        in page.locator(".govuk-notification-banner").inner_text()
    )


def test_merge_two_records_of_one_person(page, settings):
    settings.EARLYHELP_TODAY = "2016-06-30"
    home = household()
    elsewhere = f.FamilyFactory(postcode="ME15 6AB")
    duplicate = f.PersonFactory(
        family=elsewhere, given_name="Amy", family_name="Smyth", date_of_birth=dt.date(2010, 5, 13)
    )
    f.CaseFactory(family=elsewhere, unit=home.user.org_unit)
    sign_in(page, "prac")
    page.goto(f"/person/{home.child.pk}/")
    page.get_by_role("button", name="Merge a duplicate record").click()
    assert_accessible(page)
    page.get_by_label("Reference of the other record").fill("P9999999")
    page.get_by_role("button", name="Continue").click()
    assert (
        "No record with the reference P9999999" in page.locator(".govuk-error-summary").inner_text()
    )
    assert_accessible(page)
    page.get_by_label("Reference of the other record").fill(duplicate.person_ref)
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role(
        "heading", name="Check the two records before merging them"
    ).is_visible()
    assert "Amy Smyth" in page.locator("table").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Merge the records").click()
    assert "Confirm that the two records" in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("I have checked that these two records are the same person").check()
    page.get_by_role("button", name="Merge the records").click()
    banner = page.locator(".govuk-notification-banner").inner_text()
    assert f"{duplicate.person_ref} has been merged into {home.child.person_ref}" in banner
    assert "Records merged into this one" in page.locator("main").inner_text()
    assert "Records merged" in page.locator(".moj-timeline").inner_text()
    assert_accessible(page)
    assert Person.objects.get(pk=duplicate.pk).merged_into_id == home.child.pk
