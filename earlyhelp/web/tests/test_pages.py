"""The sign-in page, the home page of each role, and the admin over the data."""

from __future__ import annotations

import pytest
from django.urls import reverse

from earlyhelp.domain.codes import UserRole
from earlyhelp.testing import factories as f

pytestmark = pytest.mark.django_db


def test_sign_in_page_is_served(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert b"Sign in to Early Help" in response.content
    assert b"csrfmiddlewaretoken" in response.content


def test_home_needs_sign_in(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_wrong_password_shows_an_error(client):
    f.UserFactory(username="amy")
    response = client.post(reverse("login"), {"username": "amy", "password": "wrong"})
    assert response.status_code == 200
    assert b"There is a problem" in response.content


@pytest.mark.parametrize(
    ("role", "heading"),
    [
        (UserRole.PRACTITIONER, b"Your work list"),
        (UserRole.TRIAGE_OFFICER, b"Triage queue"),
        (UserRole.UNIT_LEADER, b"open cases"),
        (UserRole.MANAGER, b"Open cases in your area"),
        (UserRole.ANALYST, b"Early Help"),
    ],
)
def test_home_by_role(client, role, heading, settings):
    settings.EARLYHELP_TODAY = "2016-06-30"
    user = f.UserFactory(role=role, worker=f.WorkerFactory())
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    assert heading in response.content


def test_admin_lists_the_organisation_read_only_and_no_case_content(client):
    admin = f.UserFactory(role=UserRole.ADMINISTRATOR, is_staff=True, is_superuser=True)
    case = f.CaseFactory()
    client.force_login(admin)
    response = client.get(reverse("admin:organisation_orgunit_changelist"))
    assert response.status_code == 200
    assert case.unit.code.encode() in response.content
    assert client.get(reverse("admin:organisation_orgunit_add")).status_code == 403
    # DESIGN.md: administrators see no case content (nor people's records) by default.
    assert client.get(reverse("admin:casework_case_changelist")).status_code == 403
    assert client.get(reverse("admin:casework_case_add")).status_code == 403
