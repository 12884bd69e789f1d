"""Single-use sign-in codes: issued, emailed, checked, limited, and never for staff."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail

from earlyhelp.common.clock import LONDON
from earlyhelp.common.errors import InvalidInput, PermissionRefused
from earlyhelp.common.tests import factories as f
from earlyhelp.domain.codes import Source, UserRole
from earlyhelp.organisation import signin_codes as codes
from earlyhelp.organisation.models import SignInCode, User

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2018, 3, 20, 10, 0, tzinfo=LONDON)


def _message(error: InvalidInput, field: str = "code") -> str:
    return error.errors[field][0]


def test_a_code_is_six_digits_stored_hashed_and_emailed() -> None:
    code = codes.sign_in_code_issue(email=" Sam.Teacher@Example.org ", now=NOW)
    assert code is not None
    assert len(code) == 6
    assert code.isdigit()
    row = SignInCode.objects.get()
    assert row.email == "sam.teacher@example.org"
    assert code not in row.code_hash
    assert len(row.code_hash) == 64
    assert row.expires_at == NOW + dt.timedelta(minutes=15)
    codes.sign_in_code_request(email="jo@example.org")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["jo@example.org"]
    sent = SignInCode.objects.filter(email="jo@example.org").get()
    body_code = mail.outbox[0].subject.rsplit(" ", 1)[-1]
    assert sent.code_hash == codes._digest("jo@example.org", body_code)


def test_the_first_code_creates_a_partner_account_without_a_password() -> None:
    code = codes.sign_in_code_issue(email="sam@example.org", now=NOW)
    signed = codes.sign_in_code_verify(email="SAM@example.org", code=code, now=NOW)
    assert signed.created
    user = signed.user
    assert (user.role, user.email, user.has_usable_password()) == (
        UserRole.PARTNER,
        "sam@example.org",
        False,
    )
    with pytest.raises(InvalidInput) as used:
        codes.sign_in_code_verify(email="sam@example.org", code=code, now=NOW)
    assert _message(used.value) == codes.EXPIRED
    again = codes.sign_in_code_issue(email="sam@example.org", now=NOW)
    second = codes.sign_in_code_verify(email="sam@example.org", code=again, now=NOW)
    assert (second.user, second.created) == (user, False)
    assert User.objects.filter(email="sam@example.org").count() == 1


def test_a_code_expires_after_15_minutes() -> None:
    code = codes.sign_in_code_issue(email="sam@example.org", now=NOW)
    later = NOW + dt.timedelta(minutes=15, seconds=1)
    with pytest.raises(InvalidInput) as expired:
        codes.sign_in_code_verify(email="sam@example.org", code=code, now=later)
    assert _message(expired.value) == codes.EXPIRED


def test_five_wrong_tries_use_the_code_up() -> None:
    code = codes.sign_in_code_issue(email="sam@example.org", now=NOW)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    for attempt in range(5):
        with pytest.raises(InvalidInput) as refused:
            codes.sign_in_code_verify(email="sam@example.org", code=wrong, now=NOW)
        expected = codes.WRONG if attempt < 4 else codes.TOO_MANY
        assert _message(refused.value) == expected
    assert SignInCode.objects.get().attempts == 5
    with pytest.raises(InvalidInput) as locked:
        codes.sign_in_code_verify(email="sam@example.org", code=code, now=NOW)
    assert _message(locked.value) == codes.TOO_MANY
    assert not User.objects.filter(email="sam@example.org").exists()


def test_at_most_three_codes_an_address_in_15_minutes() -> None:
    issued = [codes.sign_in_code_issue(email="sam@example.org", now=NOW) for _ in range(4)]
    assert [c is not None for c in issued] == [True, True, True, False]
    later = NOW + dt.timedelta(minutes=16)
    assert codes.sign_in_code_issue(email="sam@example.org", now=later) is not None


def test_staff_addresses_never_sign_in_with_a_code() -> None:
    f.UserFactory(username="prac", email="prac@example.org", role=UserRole.PRACTITIONER)
    assert codes.sign_in_code_issue(email="PRAC@example.org", now=NOW) is None
    codes.sign_in_code_request(email="prac@example.org")
    assert mail.outbox == []  # the page says the same as for anyone else
    with pytest.raises(InvalidInput) as refused:
        codes.sign_in_code_verify(email="prac@example.org", code="123456", now=NOW)
    assert _message(refused.value) == codes.EXPIRED


def test_an_inactive_partner_is_refused() -> None:
    f.partner(username="old", email="old@example.org", is_active=False)
    code = codes.sign_in_code_issue(email="old@example.org", now=NOW)
    with pytest.raises(InvalidInput) as refused:
        codes.sign_in_code_verify(email="old@example.org", code=code, now=NOW)
    assert _message(refused.value) == codes.INACTIVE


def test_addresses_are_checked() -> None:
    for bad, message in (("", "Enter your email"), ("not-an-address", "like name@")):
        with pytest.raises(InvalidInput) as refused:
            codes.sign_in_code_issue(email=bad, now=NOW)
        assert message in _message(refused.value, "email")


def test_a_partner_names_their_organisation() -> None:
    user = f.partner("", partner_source="")
    codes.partner_profile_update(user=user, organisation="  Oak  Primary ", source=Source.SCHOOL)
    user.refresh_from_db()
    assert (user.partner_organisation, user.partner_source) == ("Oak Primary", "SCHOOL")
    with pytest.raises(InvalidInput) as refused:
        codes.partner_profile_update(user=user, organisation="", source="SCS")
    assert set(refused.value.errors) == {"partner_organisation", "partner_source"}
    with pytest.raises(PermissionRefused):
        codes.partner_profile_update(user=f.UserFactory(), organisation="X", source="SCHOOL")
