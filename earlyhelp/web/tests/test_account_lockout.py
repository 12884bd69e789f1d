"""Lockout (django-axes): repeated wrong passwords lock a username at an address."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.conf import settings as django_settings
from django.urls import reverse

from earlyhelp.testing import factories as f

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"  # noqa: S105 - the factories' test password


def attempt(client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post(
        reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip
    )


def test_the_settings_lock_for_thirty_minutes_after_five_failures():
    assert django_settings.AXES_FAILURE_LIMIT == 5
    assert timedelta(minutes=30) == django_settings.AXES_COOLOFF_TIME
    assert django_settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert django_settings.AUTHENTICATION_BACKENDS[0] == "axes.backends.AxesStandaloneBackend"


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(client):
    user = f.practitioner()
    for _ in range(4):
        response = attempt(client, user.username, "wrong")
        assert response.status_code == 200
        assert "Enter a correct username and password" in response.content.decode()
    response = attempt(client, user.username, "wrong")
    assert response.status_code == 429
    content = response.content.decode()
    assert "Your account is locked" in content
    assert "locked for 30 minutes" in content
    assert "ask your administrator or the IT service desk" in content
    response = attempt(client, user.username, PASSWORD)
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_the_lock_is_for_that_username_at_that_address(client):
    user, other = f.practitioner(), f.UserFactory(org_unit=f.unit())
    for _ in range(5):
        attempt(client, user.username, "wrong")
    assert attempt(client, other.username, PASSWORD).status_code == 302
    client.post(reverse("logout"))
    assert attempt(client, user.username, PASSWORD, ip="10.0.0.2").status_code == 302


def test_the_lock_ends_after_the_cool_off(client):
    user = f.practitioner()
    for _ in range(5):
        attempt(client, user.username, "wrong")
    assert attempt(client, user.username, PASSWORD).status_code == 429
    AccessAttempt.objects.update(
        attempt_time=AccessAttempt.objects.get().attempt_time - timedelta(minutes=31)
    )
    assert attempt(client, user.username, PASSWORD).status_code == 302


def test_a_successful_sign_in_clears_the_count(client):
    user = f.practitioner()
    for _ in range(4):
        attempt(client, user.username, "wrong")
    assert attempt(client, user.username, PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        assert attempt(client, user.username, "wrong").status_code == 200


def test_the_limit_comes_from_the_settings(client, settings):
    settings.AXES_FAILURE_LIMIT = 2
    user = f.practitioner()
    assert attempt(client, user.username, "wrong").status_code == 200
    response = attempt(client, user.username, "wrong")
    assert response.status_code == 429
    assert "entered 2 times" in response.content.decode()


def test_the_sign_in_page_says_when_signing_in_locks(client):
    content = client.get(reverse("login")).content.decode()
    assert "After 5 wrong passwords in a row, signing in is locked for 30 minutes" in content
