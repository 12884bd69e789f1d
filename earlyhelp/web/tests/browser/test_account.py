"""Journeys of signing in safely: lockout, setting up two-factor sign-in, recovery codes.

Two-factor sign-in is switched on here (the test settings switch it off for the other
browser tests, as the demo does). Every page passes axe-core, and none breaks the Content
Security Policy (Chromium reports each violation on the console).
"""

from __future__ import annotations

import re
from base64 import b32decode

import pytest
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from earlyhelp.audit.services import SYSTEM
from earlyhelp.organisation import auth
from earlyhelp.testing import factories as f
from earlyhelp.web.tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def csp_errors(page) -> list[str]:
    errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            errors.append(message.text) if "Content Security Policy" in message.text else None
        ),
    )
    return errors


@pytest.fixture
def two_factor(settings):
    settings.EARLYHELP_DEMO_SKIP_2FA = False
    settings.EARLYHELP_TODAY = "2016-06-30"


def sign_out(page) -> None:
    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("heading", name="Sign in to Early Help").wait_for()


def test_lockout_after_five_wrong_passwords(page, csp_errors):
    f.practitioner(username="prac")
    for _ in range(4):
        sign_in(page, "prac", "not the password")
        assert (
            "Enter a correct username and password"
            in page.locator(".govuk-error-summary").inner_text()
        )
    sign_in(page, "prac", "not the password")
    assert page.get_by_role("heading", name="Your account is locked").is_visible()
    assert "locked for 30 minutes" in page.locator("main").inner_text()
    assert_accessible(page)
    sign_in(page, "prac")  # the right password: still locked
    assert page.get_by_role("heading", name="Your account is locked").is_visible()
    assert_accessible(page)
    assert csp_errors == []


def test_set_up_the_app_then_sign_in_with_its_code(page, two_factor, csp_errors):
    the_unit = f.unit()
    worker = f.WorkerFactory(unit=the_unit)
    f.UserFactory(username="prac", role="PRACTITIONER", org_unit=the_unit, worker=worker)
    sign_in(page, "prac")
    page.get_by_role("heading", name="Set up two-factor sign-in").wait_for()
    assert page.get_by_role("img", name="QR code for your authenticator app").is_visible()
    assert_accessible(page)

    key = b32decode(page.locator("#setup-key").inner_text().replace(" ", ""))
    page.get_by_label("Code from the app").fill(f"{totp(key):06d}")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Your recovery codes").wait_for()
    codes = page.locator("#recovery-codes li").all_inner_texts()
    assert len(codes) == 10
    assert page.get_by_role("button", name="Print these codes").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Continue").click()
    page.get_by_role("heading", name="Your work list").wait_for()

    sign_out(page)
    sign_in(page, "prac")
    page.get_by_role("heading", name="Enter your sign-in code").wait_for()
    assert_accessible(page)
    page.get_by_label("Code").fill(f"{totp(key, drift=1):06d}")  # the next code: each works once
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Your work list").wait_for()
    assert_accessible(page)
    assert csp_errors == []


def test_sign_in_with_a_recovery_code_once(page, two_factor, csp_errors):
    user = f.practitioner(username="prac")
    TOTPDevice.objects.create(user=user, name="app", key="31" * 20, confirmed=True)
    codes = auth.recovery_codes_create(actor=SYSTEM, user=user)
    sign_in(page, "prac")
    page.get_by_text("I do not have my phone").click()
    assert "recovery codes" in page.locator(".govuk-details__text").inner_text()
    assert_accessible(page)
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    banner = page.locator(".govuk-notification-banner")
    assert "You have 9 left" in banner.inner_text()
    assert_accessible(page)

    page.goto("/account/")
    assert re.search(r"Recovery codes left\s+9", page.locator("main").inner_text())
    assert_accessible(page)

    sign_out(page)
    sign_in(page, "prac")
    page.get_by_label("Code").fill(codes[0])
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".govuk-error-summary")
    assert "The code is not right" in summary.inner_text()
    assert page.title().startswith("Error:")
    assert_accessible(page)
    assert csp_errors == []
