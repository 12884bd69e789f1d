"""Journey 2: a triage officer keys a notification about a known child or a new one."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse

from earlyhelp.frontdoor.models import Notification
from earlyhelp.people.models import Family, Person
from earlyhelp.web.tests.test_triage_world import TODAY, front_door

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(settings):
    settings.EARLYHELP_TODAY = TODAY
    return front_door()


@pytest.fixture
def triage(client, world):
    client.force_login(world.triage)
    return client


def page(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def summary_links(html: str) -> list[str]:
    body = html.split("govuk-error-summary__list")[1].split("</ul>")[0]
    return re.findall(r'<a href="#[^"]*">([^<]*)</a>', body)


def details(**kw: str) -> dict[str, str]:
    values = {
        "received_on_0": "29",
        "received_on_1": "6",
        "received_on_2": "2016",
        "source": "POLICE",
        "category": "MISSING_CHILD",
        "reason": "Missing overnight; found at a friend's house.",
        "what_has_been_tried": "",
        "family_consent": "yes",
        "referrer_name": "PC Jones",
        "referrer_organisation": "Kent Police",
        "referrer_email": "pc.jones@example.org",
        "referrer_phone": "",
    }
    return values | kw


def new_child(**kw: str) -> dict[str, str]:
    values = {
        "who": "new",
        "given_name": "Noah",
        "family_name": "Clarke",
        "date_of_birth_0": "2",
        "date_of_birth_1": "3",
        "date_of_birth_2": "2009",
        "sex": "M",
        "postcode": "me15 6aa",
        "address_line_1": "1 High Street",
        "town": "Maidstone",
    }
    return values | kw


def test_the_form_offers_the_districts_and_todays_date(triage, world):
    html = page(triage.get(reverse("notification-new")))
    assert "District DN1" in html
    assert "District DS1" in html
    assert 'name="received_on_0" type="text" inputmode="numeric" value="30"' in html


def test_a_notification_about_a_known_child(triage, world):
    data = details(who="known", person_ref=f" {world.known.person_ref.lower()} ")
    response = triage.post(reverse("notification-new"), data)
    created = Notification.objects.order_by("-pk").first()
    assert response.status_code == 302
    assert response["Location"] == reverse("notification", args=[created.pk])
    assert (created.person_id, created.family_id) == (world.known.pk, world.known.family_id)
    assert (created.source, created.category, created.family_consent) == (
        "POLICE",
        "MISSING_CHILD",
        True,
    )
    assert created.received_at == dt.datetime(2016, 6, 29, 8, 0, tzinfo=dt.UTC)
    assert created.due_on == dt.date(2016, 6, 29)
    assert created.referrer_name == "PC Jones"
    html = page(triage.get(response["Location"]))
    assert f"Notification {created.notification_ref} is recorded." in html


def test_a_notification_about_a_new_child_records_the_child_and_family(triage, world):
    district = world.ehu.parent
    data = details() | new_child(district=str(district.pk))
    response = triage.post(reverse("notification-new"), data)
    assert response.status_code == 302
    created = Notification.objects.order_by("-pk").first()
    child = created.person
    assert (child.given_name, child.family_name, child.date_of_birth, child.sex) == (
        "Noah",
        "Clarke",
        dt.date(2009, 3, 2),
        "M",
    )
    assert child.role_in_family == "CHILD"
    assert (child.family.district_id, child.family.postcode, child.family.town) == (
        district.pk,
        "ME15 6AA",
        "Maidstone",
    )


def test_a_new_child_with_missing_details_names_each_field(triage, world):
    before = (Person.objects.count(), Family.objects.count(), Notification.objects.count())
    data = details(reason="", family_consent="", source="") | new_child(
        given_name="", family_name="", sex="", postcode=""
    )
    html = page(triage.post(reverse("notification-new"), data))
    assert summary_links(html) == [
        "Enter the child&#x27;s given name.",
        "Enter the child&#x27;s family name.",
        "Choose the child&#x27;s sex (or not known).",
        "Choose the district the family lives in.",
        "Enter the family&#x27;s postcode.",
        "Choose who the notification came from.",
        "Say why early help is needed.",
        "Say whether the family has consented.",
    ]
    assert 'value="1 High Street"' in html  # what was typed stays
    assert (Person.objects.count(), Family.objects.count(), Notification.objects.count()) == before


def test_the_choice_of_child_is_required(triage, world):
    html = page(triage.post(reverse("notification-new"), details()))
    assert summary_links(html) == ["Choose whether the child is known."]
    html = page(triage.post(reverse("notification-new"), details(who="known")))
    assert summary_links(html) == ["Enter the reference of the known child, like P0001234."]


def test_an_unknown_reference_is_named(triage, world):
    html = page(
        triage.post(reverse("notification-new"), details(who="known", person_ref="P9999999"))
    )
    assert summary_links(html) == ["No child with the reference P9999999 was found."]


def test_a_bad_postcode_saves_nothing(triage, world):
    before = (Person.objects.count(), Family.objects.count(), Notification.objects.count())
    data = details() | new_child(district=str(world.ehu.parent_id), postcode="NOT A CODE")
    html = page(triage.post(reverse("notification-new"), data))
    assert "There is a problem" in html
    assert 'href="#id_postcode"' in html
    assert (Person.objects.count(), Family.objects.count(), Notification.objects.count()) == before


def test_a_service_refusal_after_the_child_is_recorded_rolls_it_back(triage, world):
    """A received date in the future is refused by `notification_create`: no child is kept."""
    before = (Person.objects.count(), Family.objects.count(), Notification.objects.count())
    data = details(received_on_0="1", received_on_1="7") | new_child(
        district=str(world.ehu.parent_id)
    )
    html = page(triage.post(reverse("notification-new"), data))
    assert summary_links(html) == ["The date received cannot be in the future."]
    assert 'href="#id_received_on"' in html
    assert (Person.objects.count(), Family.objects.count(), Notification.objects.count()) == before


def test_bad_dates_and_email_are_named(triage, world):
    data = details(received_on_0="31", received_on_1="2", referrer_email="not-an-email")
    data |= new_child(district=str(world.ehu.parent_id), date_of_birth_2="")
    html = page(triage.post(reverse("notification-new"), data))
    assert summary_links(html) == [
        "Child&#x27;s date of birth must include a day, month and year.",
        "Date the notification was received must be a real date.",
        "Enter the referrer&#x27;s email address like name@example.org.uk.",
    ]
