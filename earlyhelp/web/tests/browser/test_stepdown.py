"""Journey 6 in a browser: propose a step-down, the panel accepts it, a notification exists."""

from __future__ import annotations

import re

import pytest

from earlyhelp.domain.codes import UserRole
from earlyhelp.frontdoor.models import Notification, StepDownProposal
from earlyhelp.organisation.models import OrgUnit
from earlyhelp.testing import factories as f
from earlyhelp.web.tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def fill_date(page, legend: str, day: str, month: str, year: str) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(day)
    group.get_by_label("Month").fill(month)
    group.get_by_label("Year").fill(year)


def test_propose_then_accept_a_step_down(page, settings):
    settings.EARLYHELP_TODAY = "2016-06-30"
    f.unit()
    district = OrgUnit.objects.get(code="DN1")
    f.UserFactory(username="manager", role=UserRole.MANAGER, org_unit=district)
    sign_in(page, "manager")
    page.get_by_role("link", name="Step-down panel").click()
    assert page.get_by_role("heading", name="Step-down panel").is_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Propose a step-down").click()
    page.get_by_role("button", name="Put it to the panel").click()
    summary = page.locator(".govuk-error-summary").inner_text()
    assert "Enter the child's given name." in summary
    assert "Enter the postcode" in summary
    assert_accessible(page)
    page.get_by_label("District panel").select_option(label=district.name)
    page.get_by_label("Child's given name").fill("Zed")
    page.get_by_label("Child's family name").fill("Quill")
    fill_date(page, "Date of birth", "13", "5", "2010")
    page.get_by_label("Male", exact=True).check()
    page.get_by_label("Postcode").fill("ct1 2eh")
    page.get_by_label("SCS worker").fill("Sam Social")
    page.get_by_label("Reason for step-down").fill("Child protection plan ended.")
    fill_date(page, "Proposed step-down date", "15", "7", "2016")
    page.get_by_role("button", name="Put it to the panel").click()
    assert "Zed Quill is on the agenda" in page.locator(".govuk-notification-banner").inner_text()

    page.get_by_role("link", name=re.compile(r"SD\d{7}")).first.click()
    assert page.get_by_role("heading", name="Zed Quill").is_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Record the decision").click()
    assert "Choose the panel's decision." in page.locator(".govuk-error-summary").inner_text()
    assert_accessible(page)
    page.get_by_label("Accepted: the child steps down to early help").check()
    page.get_by_label("Reason for the decision").fill("Agreed: continuing family support.")
    page.get_by_label("None of these: record a new child and family").check()
    page.get_by_role("button", name="Record the decision").click()

    notification = Notification.objects.get()
    banner = page.locator(".govuk-notification-banner").inner_text()
    assert f"Notification {notification.notification_ref} is at the front door" in banner
    decided = page.get_by_role("table", name="Decided (1)")
    assert notification.notification_ref in decided.inner_text()
    assert_accessible(page)
    assert (notification.source, notification.category) == ("SCS", "SCS_STEP_DOWN")
    assert StepDownProposal.objects.get().notification_id == notification.pk
