"""Two-factor sign-in: who must use it, setting up the app, codes and recovery codes.

The test settings switch two-factor sign-in off (EARLYHELP_DEMO_SKIP_2FA, as for the demo)
so that other tests sign in with a password; the `two_factor` fixture switches it on.
"""

from __future__ import annotations

from binascii import unhexlify
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from earlyhelp.audit.services import SYSTEM
from earlyhelp.domain.codes import UserRole
from earlyhelp.organisation import auth
from earlyhelp.testing import factories as f
from earlyhelp.web.views.account import NEW_CODES, SETUP_KEY

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"  # noqa: S105 - the factories' test password


@pytest.fixture
def two_factor(settings):
    settings.EARLYHELP_DEMO_SKIP_2FA = False


def sign_in(client, user, next_url: str = ""):
    data = {"username": user.username, "password": PASSWORD, "next": next_url}
    return client.post(reverse("login"), data)


def enrolled(user) -> list[str]:
    """Give the user an authenticator app (its key known to the test) and recovery codes."""
    TOTPDevice.objects.create(user=user, name="app", key="31" * 20, confirmed=True)
    return auth.recovery_codes_create(actor=SYSTEM, user=user)


def app_code(user, drift: int = 0) -> str:
    device = TOTPDevice.objects.get(user=user)
    return f"{totp(device.bin_key, drift=drift):06d}"


def user_of(role: str):
    if role == UserRole.PARTNER:
        return f.UserFactory(role=role, org_unit=None, partner_organisation="A school")
    return f.UserFactory(role=role, org_unit=f.unit())


REQUIRED = [
    UserRole.PRACTITIONER,
    UserRole.UNIT_LEADER,
    UserRole.MANAGER,
    UserRole.TRIAGE_OFFICER,
    UserRole.QA_AUDITOR,
    UserRole.ADMINISTRATOR,
]


@pytest.mark.parametrize("role", REQUIRED)
def test_roles_that_see_case_records_must_set_up_two_factor_sign_in(client, two_factor, role):
    user = user_of(role)
    response = sign_in(client, user)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('two-factor-setup')}?next=%2F"
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("two-factor-setup"))


@pytest.mark.parametrize("role", [UserRole.ANALYST, UserRole.PARTNER])
def test_analysts_and_partners_sign_in_with_a_password(client, two_factor, role):
    user = user_of(role)
    response = sign_in(client, user)
    assert response["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200


def test_superusers_must_use_two_factor_whatever_their_role(client, two_factor):
    user = f.UserFactory(role="", org_unit=None, is_superuser=True, is_staff=True)
    assert auth.two_factor_required(user)
    assert client.get("/admin/").status_code == 302
    client.force_login(user)
    response = client.get("/admin/")
    assert response["Location"].startswith(reverse("two-factor-setup"))


def test_every_page_but_signing_in_waits_for_the_code(client, two_factor):
    user = f.practitioner()
    enrolled(user)
    client.force_login(user)
    for url in [reverse("home"), reverse("account"), reverse("account-recovery-codes")]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("two-factor-verify"))
    assert client.get(reverse("two-factor-verify")).status_code == 200
    assert client.get(reverse("healthz")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302


def test_setting_up_the_app_then_recovery_codes_shown_once(client, two_factor):
    user = f.practitioner()
    sign_in(client, user)
    page = client.get(reverse("two-factor-setup"), {"next": "/"})
    assert page.status_code == 200
    key = client.session[SETUP_KEY]
    content = page.content.decode()
    assert '<svg role="img" aria-label="QR code' in content
    assert auth.totp_key_base32(key) in content

    wrong = client.post(reverse("two-factor-setup"), {"code": "000000", "next": "/"})
    assert "The code is not right" in wrong.content.decode()
    assert not TOTPDevice.objects.filter(user=user).exists()

    code = f"{totp(unhexlify(key)):06d}"
    done = client.post(reverse("two-factor-setup"), {"code": code, "next": "/"})
    assert done["Location"] == f"{reverse('account-recovery-codes')}?next=%2F"
    assert TOTPDevice.objects.get(user=user).confirmed
    shown = client.get(done["Location"])
    codes = shown.context["codes"]
    assert len(codes) == 10 == len(set(codes))
    assert all(c in shown.content.decode() for c in codes)
    again = client.get(reverse("account-recovery-codes"))
    assert again.context["codes"] is None
    assert again.context["left"] == 10
    assert client.get(reverse("home")).status_code == 200  # verified by setting up


def test_setting_up_refuses_a_code_that_is_not_six_digits(client, two_factor):
    sign_in(client, f.practitioner())
    client.get(reverse("two-factor-setup"))
    response = client.post(reverse("two-factor-setup"), {"code": "12ab"})
    assert "Enter the 6-digit code" in response.content.decode()


def test_signing_in_with_the_apps_code(client, two_factor):
    user = f.practitioner()
    enrolled(user)
    response = sign_in(client, user, next_url="/account/")
    assert response["Location"] == f"{reverse('two-factor-verify')}?next=%2Faccount%2F"
    response = client.post(
        reverse("two-factor-verify"), {"code": app_code(user), "next": "/account/"}
    )
    assert response["Location"] == "/account/"
    assert client.get(reverse("home")).status_code == 200


def test_a_wrong_code_is_refused_and_slows_the_next_attempt(client, two_factor):
    user = f.practitioner()
    enrolled(user)
    sign_in(client, user)
    good = app_code(user)
    wrong = f"{(int(good) + 1) % 1_000_000:06d}"
    response = client.post(reverse("two-factor-verify"), {"code": wrong})
    assert response.status_code == 200
    assert "The code is not right" in response.content.decode()
    response = client.post(reverse("two-factor-verify"), {"code": good})
    assert "too many wrong codes" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_an_app_code_works_only_once(client, two_factor):
    user = f.practitioner()
    enrolled(user)
    code = app_code(user)
    sign_in(client, user)
    assert client.post(reverse("two-factor-verify"), {"code": code}).status_code == 302
    client.post(reverse("logout"))
    sign_in(client, user)
    response = client.post(reverse("two-factor-verify"), {"code": code})
    assert response.status_code == 200
    assert "The code is not right" in response.content.decode()


def test_a_recovery_code_works_once(client, two_factor):
    user = f.practitioner()
    codes = enrolled(user)
    sign_in(client, user)
    response = client.post(reverse("two-factor-verify"), {"code": codes[0].upper()}, follow=True)
    assert response.status_code == 200
    assert "You signed in with a recovery code. You have 9 left" in response.content.decode()
    assert StaticToken.objects.filter(device__user=user).count() == 9
    client.post(reverse("logout"))
    sign_in(client, user)
    response = client.post(reverse("two-factor-verify"), {"code": codes[0]})
    assert "The code is not right. Check the recovery code" in response.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_new_recovery_codes_replace_the_old(client, two_factor):
    user = f.practitioner()
    old = enrolled(user)
    sign_in(client, user)
    client.post(reverse("two-factor-verify"), {"code": app_code(user)})
    response = client.post(reverse("account-recovery-codes"))
    assert response.status_code == 302
    new = client.get(response["Location"]).context["codes"]
    assert len(new) == 10
    left = set(StaticToken.objects.filter(device__user=user).values_list("token", flat=True))
    assert left == set(new)
    assert not left & set(old)


def test_replacing_the_app_needs_the_old_one_first(client, two_factor):
    user = f.practitioner()
    enrolled(user)
    sign_in(client, user)
    response = client.get(reverse("two-factor-setup"))
    assert response["Location"].startswith(reverse("two-factor-verify"))


def test_verify_never_redirects_to_another_site(client, two_factor):
    user = f.practitioner()
    enrolled(user)
    sign_in(client, user)
    response = client.post(
        reverse("two-factor-verify"), {"code": app_code(user), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("home")


def test_the_demo_setting_skips_two_factor_sign_in(client, settings):
    settings.EARLYHELP_DEMO_SKIP_2FA = True
    user = f.practitioner()
    enrolled(user)
    assert sign_in(client, user)["Location"] == reverse("home")
    assert client.get(reverse("home")).status_code == 200
    assert "Demonstration only" in client.get(reverse("login")).content.decode()


def test_the_account_page_shows_two_factor_status(client, two_factor):
    user = f.practitioner()
    enrolled(user)
    sign_in(client, user)
    client.post(reverse("two-factor-verify"), {"code": app_code(user)})
    content = client.get(reverse("account")).content.decode()
    assert "On: authenticator app" in content
    assert "Required for your role" in content


def test_an_administrator_resets_a_lost_phone(client, two_factor):
    user = f.practitioner()
    enrolled(user)
    out = StringIO()
    call_command("two_factor_reset", user.username, stdout=out)
    assert "reset for" in out.getvalue()
    assert not auth.two_factor_has_device(user)
    response = sign_in(client, user)
    assert response["Location"].startswith(reverse("two-factor-setup"))


def test_a_new_session_key_after_the_code(client, two_factor):
    user = f.practitioner()
    enrolled(user)
    sign_in(client, user)
    before = client.session.session_key
    client.post(reverse("two-factor-verify"), {"code": app_code(user)})
    assert client.session.session_key != before
    assert NEW_CODES not in client.session
