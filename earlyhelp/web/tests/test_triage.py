"""Journey 2: the triage queue, a notification with its candidate matches, linking a match."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from earlyhelp.audit.models import AccessLog, CaseEvent, ChangeRecord
from earlyhelp.domain.codes import Category, UserRole
from earlyhelp.frontdoor.linking import NOTIFICATION_PERSON_LINKED
from earlyhelp.testing import factories as f
from earlyhelp.web.tests.test_triage_world import TODAY, front_door, pending, received

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


def url(name: str, notification) -> str:
    return reverse(name, args=[notification.pk])


def link(client, notification, person, version=None):
    return client.post(
        url("notification-link", notification),
        {"version": notification.version if version is None else version, "person": person.pk},
    )


# --- the queue ------------------------------------------------------------------------------


def test_queue_lists_the_most_urgent_first_with_links(triage, world):
    missing = pending(category=Category.MISSING_CHILD, received_at=received(29, 9))
    html = page(triage.get(reverse("triage-queue")))
    assert "2 notifications waiting" in html
    assert html.index(missing.notification_ref) < html.index(world.notification.notification_ref)
    assert f'href="{url("notification", missing)}"' in html
    assert "Same day" in html
    assert "1 day late" in html


def test_queue_filters_by_kind_and_overdue_with_removable_tags(triage, world):
    missing = pending(category=Category.MISSING_CHILD, received_at=received(29, 9))
    html = page(triage.get(reverse("triage-queue"), {"category": "MISSING_CHILD"}))
    assert missing.notification_ref in html
    assert world.notification.notification_ref not in html
    assert "Remove this filter</span> Missing child (police)" in html
    html = page(triage.get(reverse("triage-queue"), {"overdue": "on"}))
    assert missing.notification_ref in html
    assert world.notification.notification_ref not in html  # due 1 July
    html = page(triage.get(reverse("triage-queue"), {"category": "E_YOT", "overdue": "on"}))
    assert "No waiting notifications match these filters." in html


def test_the_home_page_queue_links_to_notifications(triage, world):
    html = page(triage.get(reverse("home")))
    assert f'href="{url("notification", world.notification)}"' in html


@pytest.mark.parametrize("role", [UserRole.PARTNER, UserRole.ANALYST, UserRole.PRACTITIONER])
def test_queue_is_for_triage_officers(client, world, role):
    client.force_login(f.UserFactory(role=role))
    assert client.get(reverse("triage-queue")).status_code == 403


def test_queue_queries_stay_constant(triage, world, django_assert_max_num_queries):
    for _ in range(3):
        pending()
    with django_assert_max_num_queries(12) as few:
        page(triage.get(reverse("triage-queue")))
    for _ in range(20):
        pending()
    with django_assert_max_num_queries(len(few.captured_queries)):
        html = page(triage.get(reverse("triage-queue")))
    assert "24 notifications waiting" in html


# --- the notification -----------------------------------------------------------------------


def test_notification_shows_its_details_and_the_candidate_matches(triage, world):
    n = world.notification
    html = page(triage.get(url("notification", n)))
    for text in (
        n.notification_ref,
        "moj-identity-bar",
        "29 June 2016 10:00",
        "1 July 2016",
        "School",
        "Standard",
        "Sam Teacher",
        "Maidstone Primary School",
        "sam.teacher@example.org",
        "01622 000000",
        "Concerns about school attendance",
        "Meetings with mum; a school nurse referral.",
        world.duplicate.person_ref,
        "13 May 2010 (age 6)",
        "Waiting for triage",
    ):
        assert text in html, text
    # the known child, with their history
    assert "Possible matches for Amelia Hughes" in html
    assert world.known.person_ref in html
    assert "match score 100 out of 100" in html
    assert world.open_case.case_ref in html
    assert "Priya Patel" in html
    assert "Unit EHU-N1" in html
    assert world.past_case.case_ref in html
    assert "outcomes achieved" in html
    assert "1 about this child, 1 about the family" in html
    assert "This is the same child – link" in html
    assert f'action="{url("notification-link", n)}"' in html
    assert f'href="{url("notification-triage", n)}"' in html
    assert AccessLog.objects.filter(
        action="VIEW", person_id=world.duplicate.pk, actor_id=world.triage.pk
    ).exists()


def test_overdue_and_same_day_notifications_are_tagged(triage, world):
    missing = pending(category=Category.MISSING_CHILD, received_at=received(28))
    html = page(triage.get(url("notification", missing)))
    assert "Same day" in html
    assert "2 days late" in html


def test_a_practitioner_reads_a_notification_of_their_families_without_the_actions(client, world):
    about_known = pending(person=world.known)
    client.force_login(world.practitioner)
    html = page(client.get(url("notification", about_known)))
    assert about_known.notification_ref in html
    assert "This is the same child" not in html
    assert "Triage this notification" not in html


@pytest.mark.parametrize("role", [UserRole.PARTNER, UserRole.ANALYST, UserRole.QA_AUDITOR])
def test_notification_is_not_found_for_other_roles(client, world, role):
    user = f.UserFactory(role=role)
    world.notification.submitted_by_id = user.pk  # even a partner's own submission
    world.notification.save()
    client.force_login(user)
    assert client.get(url("notification", world.notification)).status_code == 404


def test_notifications_out_of_scope_are_not_found(client, triage, world):
    restricted = pending(person=f.PersonFactory(family=f.FamilyFactory(restricted=True)))
    assert triage.get(url("notification", restricted)).status_code == 404
    assert triage.get(url("notification-triage", restricted)).status_code == 404
    assert link(triage, restricted, world.known).status_code == 404
    elsewhere = f.practitioner("EHU-S1", "DS1")
    other = Client()
    other.force_login(elsewhere)
    assert other.get(url("notification", world.notification)).status_code == 404
    assert triage.get(reverse("notification", args=[99999])).status_code == 404


# --- linking a match ------------------------------------------------------------------------


def test_linking_a_match_repoints_the_notification(triage, world):
    n = world.notification
    response = link(triage, n, world.known)
    assert response.status_code == 302
    assert response["Location"] == url("notification", n)
    n.refresh_from_db()
    assert (n.person_id, n.family_id, n.version) == (
        world.known.pk,
        world.known.family_id,
        2,
    )
    change = ChangeRecord.objects.filter(entity="frontdoor.notification", entity_id=n.pk).last()
    assert change.changes["person_id"] == [world.duplicate.pk, world.known.pk]
    events = CaseEvent.objects.filter(kind=NOTIFICATION_PERSON_LINKED, notification_id=n.pk)
    assert {e.family_id for e in events} == {world.known.family_id, world.duplicate.family_id}
    html = page(triage.get(url("notification", n)))
    assert f"is now about Amelia Hughes ({world.known.person_ref})" in html
    assert "The family has an open case" in html
    assert world.open_case.case_ref in html


def test_linking_with_an_old_version_is_refused(triage, world):
    n = world.notification
    assert link(triage, n, world.known).status_code == 302
    html = page(link(triage, n, world.duplicate, version=1))
    assert "There is a problem" in html
    assert "changed by someone else" in html
    n.refresh_from_db()
    assert n.person_id == world.known.pk


def test_a_triaged_notification_cannot_be_relinked(triage, world):
    n = world.notification
    n.triaged_at, n.triage_decision, n.threshold_level = received(30, 0), "NFA", 1
    n.save()
    html = page(link(triage, n, world.known))
    assert '<a href="#main-content">This notification has been triaged' in html
    n.refresh_from_db()
    assert n.person_id == world.duplicate.pk


def test_linking_is_for_triage_officers_and_needs_csrf(client, world):
    client.force_login(world.practitioner)
    assert link(client, world.notification, world.known).status_code == 403
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.triage)
    assert link(strict, world.notification, world.known).status_code == 403
    assert strict.get(url("notification-link", world.notification)).status_code == 405
    world.notification.refresh_from_db()
    assert world.notification.person_id == world.duplicate.pk


def test_a_merged_record_cannot_be_linked(triage, world):
    merged = f.PersonFactory(merged_into=world.known, family=world.known.family)
    html = page(link(triage, world.notification, merged))
    assert "That record was merged into another: link to the record kept." in html
    world.notification.refresh_from_db()
    assert world.notification.person_id == world.duplicate.pk
