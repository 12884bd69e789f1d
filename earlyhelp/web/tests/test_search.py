"""Journey 7: search people and cases within the user's scope, notifications by reference."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from earlyhelp.audit.models import AccessLog
from earlyhelp.domain.codes import UserRole
from earlyhelp.testing import factories as f
from earlyhelp.web.tests.test_triage_world import DOB, TODAY, front_door

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings):
    settings.EARLYHELP_TODAY = TODAY
    return front_door()


def search(client, user, q: str, **params: str) -> str:
    client.force_login(user)
    response = client.get(reverse("search"), {"q": q, **params})
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_the_empty_page_shows_the_form(client, world):
    html = search(client, world.triage, "")
    assert 'name="q"' in html
    assert "found" not in html
    assert not AccessLog.objects.filter(action="SEARCH").exists()


def test_names_are_matched_tolerantly_and_the_search_is_logged(client, world):
    html = search(client, world.triage, "Amelia Hughs 13/05/2010")
    assert world.known.person_ref in html
    assert world.duplicate.person_ref in html
    assert "2 people found" in html
    assert "Score" in html
    log = AccessLog.objects.get(action="SEARCH")
    assert (log.actor_id, log.what) == (world.triage.pk, "search for “Amelia Hughs 13/05/2010”")


def test_one_word_finds_names_starting_with_or_sounding_like_it(client, world):
    f.PersonFactory(given_name="Zed", family_name="Smithson")  # starts with it
    f.PersonFactory(given_name="Zed", family_name="Smyth")  # sounds like it
    f.PersonFactory(given_name="Zed", family_name="Jones")
    html = search(client, world.triage, "smith")
    assert "2 people found" in html
    assert "Smyth" in html
    assert "Jones" not in html
    html = search(client, world.triage, "hughes")
    assert "2 people found" in html


def test_a_date_of_birth_alone_finds_the_people_born_that_day(client, world):
    f.PersonFactory(given_name="Other", family_name="Day", date_of_birth=dt.date(2011, 1, 1))
    html = search(client, world.triage, DOB.strftime("%d/%m/%Y"))
    assert "2 people found" in html
    assert "Other" not in html


def test_a_date_that_is_not_real_is_named(client, world):
    html = search(client, world.triage, "Hughes 31/02/2010")
    assert "There is a problem" in html
    assert "“31/02/2010” is not a real date" in html
    assert 'href="#q"' in html


def test_results_stay_within_the_users_scope(client, world):
    # the practitioner's unit holds the known family's case; the new family is not theirs
    html = search(client, world.practitioner, "Amelia Hughes")
    assert world.known.person_ref in html
    assert world.duplicate.person_ref not in html
    elsewhere = f.practitioner("EHU-S1", "DS1")
    html = search(client, elsewhere, "Amelia Hughes")
    assert world.known.person_ref not in html
    assert "Nothing was found" in html
    restricted = f.PersonFactory(
        given_name="Amelia", family_name="Hughes", family=f.FamilyFactory(restricted=True)
    )
    html = search(client, world.triage, "Amelia Hughes")
    assert restricted.person_ref not in html


def test_references_find_people_families_cases_and_notifications(client, world):
    html = search(client, world.practitioner, world.open_case.case_ref.lower())
    assert "Found by reference" in html
    assert f"Case {world.open_case.case_ref}" in html
    html = search(client, world.practitioner, world.known.family.family_ref)
    assert f"Family {world.known.family.family_ref}" in html
    html = search(client, world.triage, world.known.person_ref)
    assert f"Person {world.known.person_ref}" in html
    number = int(world.notification.notification_ref[1:])
    html = search(client, world.triage, f"n{number}")  # leading zeros left out
    assert f"Notification {world.notification.notification_ref}" in html
    assert reverse("notification", args=[world.notification.pk]) in html


def test_references_out_of_scope_are_not_found(client, world):
    # triage officers do not see cases; a practitioner elsewhere sees neither
    html = search(client, world.triage, world.open_case.case_ref)
    assert "Found by reference" not in html
    elsewhere = f.practitioner("EHU-S1", "DS1")
    html = search(client, elsewhere, world.notification.notification_ref)
    assert "Found by reference" not in html


def test_results_are_paginated(client, world):
    for n in range(25):
        f.PersonFactory(given_name=f"Kid{n:02d}", family_name="Paget")
    html = search(client, world.triage, "Paget")
    assert "25 people found" in html
    assert "Kid00" in html
    assert "Kid19" in html
    assert "Kid20" not in html
    assert "1 of 2" in html
    assert 'href="?q=Paget&amp;page=2"' in html
    html = search(client, world.triage, "Paget", page="2")
    assert "Kid20" in html
    assert "Kid00" not in html


def test_queries_stay_constant_as_results_grow(client, world, django_assert_max_num_queries):
    for n in range(3):
        f.PersonFactory(given_name=f"Kid{n:02d}", family_name="Paget")
    client.force_login(world.triage)
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("search"), {"q": "Kid Paget"})
    for n in range(3, 40):
        f.PersonFactory(given_name=f"Kid{n:02d}", family_name="Paget")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("search"), {"q": "Kid Paget"})
    assert "40 people found" in response.content.decode()


@pytest.mark.parametrize(
    "role", [UserRole.PARTNER, UserRole.ANALYST, UserRole.QA_AUDITOR, UserRole.ADMINISTRATOR]
)
def test_search_is_for_staff_who_see_records(client, world, role):
    client.force_login(f.UserFactory(role=role))
    assert client.get(reverse("search"), {"q": "Hughes"}).status_code == 403


def test_search_needs_sign_in(client, world):
    response = client.get(reverse("search"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
