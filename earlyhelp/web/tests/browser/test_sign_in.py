"""Journey 1: sign in and land on the home page of one's role."""

from __future__ import annotations

import pytest

from earlyhelp.domain.codes import UserRole
from earlyhelp.testing import factories as f
from earlyhelp.web.tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_sign_in_page_is_accessible_and_reports_errors(page):
    page.goto("/sign-in/")
    assert_accessible(page)
    page.get_by_role("button", name="Sign in").click()
    assert page.locator(".govuk-error-summary").is_visible()
    assert "Enter your username." in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)


def test_practitioner_lands_on_the_work_list(page, settings):
    settings.EARLYHELP_TODAY = "2016-06-30"
    the_unit = f.unit()
    worker = f.WorkerFactory(unit=the_unit)
    f.UserFactory(username="prac", role=UserRole.PRACTITIONER, org_unit=the_unit, worker=worker)
    f.CaseFactory(unit=the_unit, worker=worker)
    sign_in(page, "prac")
    assert page.get_by_role("heading", name="Your work list").is_visible()
    assert "Overdue" in page.locator("table").inner_text()
    assert_accessible(page)
