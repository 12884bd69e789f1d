"""Journey 2: the triage decision (through `notification_route`) and telling the referrer."""

from __future__ import annotations

import re

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.test import Client
from django.urls import reverse

from earlyhelp.casework.models import Case, LinkedNotification, ScsReferral
from earlyhelp.casework.services.routing import RouteResult
from earlyhelp.domain.codes import UserRole
from earlyhelp.frontdoor.linking import notification_link_person
from earlyhelp.testing import factories as f
from earlyhelp.web.tests.test_triage_world import TODAY, front_door, pending
from earlyhelp.web.views import triage as triage_views

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


def decide(client, notification, version=None, **data):
    form = page(client.get(url("notification-triage", notification)))
    seen = form.split('name="seen" value="')[1].split('"')[0]
    values = {
        "version": notification.version if version is None else version,
        "seen": seen,
        "threshold_level": "3",
        "decision": "NFA",
        "decision_reason": "Needs are met by the school.",
        "unit": "",
        "worker": "",
        "scs_reason": "",
    }
    values.update(data)
    return client.post(url("notification-triage", notification), values)


def linked_to_known(world) -> None:
    notification_link_person(
        user=world.triage,
        notification=world.notification,
        version=world.notification.version,
        person=world.known,
    )
    world.notification.refresh_from_db()


def summary_links(html: str) -> list[str]:
    body = html.split("govuk-error-summary__list")[1].split("</ul>")[0]
    return re.findall(r'<a href="#[^"]*">([^<]*)</a>', body)


# --- the form -------------------------------------------------------------------------------


def test_the_form_offers_levels_decisions_units_and_workers(triage, world):
    html = page(triage.get(url("notification-triage", world.notification)))
    for text in ("Level 1: Universal", "Level 2: Additional", "Level 3: Intensive"):
        assert text in html
    assert "Level 4: Specialist" in html
    assert "Early Help Unit casework, with assessment" in html
    assert "Step up to Specialist Children&#x27;s Services" in html
    assert "No further action" in html
    # the Early Help Units of the family's district (DN1) come first
    assert '<optgroup label="Early Help Units in District DN1">' in html
    assert html.index("Unit EHU-N1 (District DN1)") < html.index("Unit EHU-S1 (District DS1)")
    assert f'<optgroup label="Unit EHU-N1"><option value="{world.worker.pk}">Priya Patel' in html
    assert 'name="version" value="1"' in html
    assert "The family has" not in html  # the duplicate's new family has no case


# --- each decision --------------------------------------------------------------------------


def test_assess_ehu_opens_a_case_allocated_to_the_unit_and_worker(triage, world):
    n = world.notification
    response = decide(
        triage,
        n,
        decision="ASSESS_EHU",
        unit=str(world.ehu.pk),
        worker=str(world.worker.pk),
        decision_reason="Intensive needs at home and school.",
    )
    assert response.status_code == 302
    assert response["Location"] == url("notification", n)
    case = Case.objects.get(notification=n)
    assert (case.unit_id, case.worker_id, case.family_id) == (
        world.ehu.pk,
        world.worker.pk,
        world.duplicate.family_id,
    )
    n.refresh_from_db()
    assert (n.threshold_level, n.triage_decision, n.decision_reason) == (
        3,
        "ASSESS_EHU",
        "Intensive needs at home and school.",
    )
    html = page(triage.get(response["Location"]))
    assert "Success" in html
    assert f"Case {case.case_ref} opened in Unit EHU-N1, Priya Patel." in html
    assert "Level 3: Intensive" in html
    assert "Record that the referrer was told" in html


def test_a_user_who_may_see_the_opened_case_lands_on_it(rf, world):
    """Triage officers do not read case pages; the redirect goes where the user may look."""
    request = rf.post("/")
    request.user = world.practitioner
    request.session = {}
    request._messages = FallbackStorage(request)
    result = RouteResult(notification=world.notification, case=world.open_case)
    response = triage_views._after_triage(request, result)
    if triage_views.has_route("case"):
        assert response["Location"] == reverse("case", args=[world.open_case.pk])
    request.user = world.triage
    response = triage_views._after_triage(request, result)
    assert response["Location"] == url("notification", world.notification)


def test_already_open_links_to_the_familys_open_case(triage, world):
    linked_to_known(world)
    html = page(triage.get(url("notification-triage", world.notification)))
    assert "The family has an open case" in html
    assert world.open_case.case_ref in html
    response = decide(triage, world.notification, decision="ALREADY_OPEN")
    assert response.status_code == 302
    link = LinkedNotification.objects.get(notification=world.notification)
    assert link.case_id == world.open_case.pk
    html = page(triage.get(response["Location"]))
    assert f"Linked to case {world.open_case.case_ref}." in html
    assert "Linked to the open case" in html


def test_step_up_refers_to_social_care(triage, world):
    response = decide(
        triage,
        world.notification,
        decision="STEP_UP_SCS",
        threshold_level="4",
        scs_reason="Disclosure of harm at school.",
    )
    assert response.status_code == 302
    referral = ScsReferral.objects.get(notification=world.notification)
    assert referral.reason == "Disclosure of harm at school."
    assert not Case.objects.filter(notification=world.notification).exists()
    html = page(triage.get(response["Location"]))
    assert "Referred to Specialist Children's Services" in html


def test_no_further_action(triage, world):
    response = decide(triage, world.notification, threshold_level="1", decision="NFA")
    assert response.status_code == 302
    world.notification.refresh_from_db()
    assert world.notification.triage_decision == "NFA"
    assert not Case.objects.filter(notification=world.notification).exists()
    html = page(triage.get(response["Location"]))
    assert "level 1 (Universal), no further action." in html


# --- refusals -------------------------------------------------------------------------------


def test_an_empty_form_names_each_field(triage, world):
    html = page(
        decide(triage, world.notification, threshold_level="", decision="", decision_reason="")
    )
    assert summary_links(html) == [
        "Choose the level of need, from 1 to 4.",
        "Choose what happens next.",
        "Give the reasons for the decision.",
    ]
    assert 'href="#id_threshold_level"' in html
    assert 'href="#id_decision_reason"' in html
    world.notification.refresh_from_db()
    assert world.notification.is_pending


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"decision": "ASSESS_EHU"}, "Choose the unit that will hold the case."),
        ({"decision": "STEP_UP_SCS"}, "Say why the family needs Specialist Children&#x27;s"),
        ({"decision": "ALREADY_OPEN"}, "The family has no open case to link to"),
        ({"decision": "ASSESS_EHU", "unit": "999999"}, "Choose a unit from the list."),
        ({"threshold_level": "5"}, "Select a valid choice"),
    ],
)
def test_refusals_name_the_field_and_save_nothing(triage, world, data, message):
    html = page(decide(triage, world.notification, **data))
    assert "There is a problem" in html
    assert message in html
    world.notification.refresh_from_db()
    assert world.notification.is_pending
    assert world.notification.version == 1
    assert not Case.objects.filter(notification=world.notification).exists()


def test_a_worker_from_another_unit_is_refused(triage, world):
    elsewhere = f.WorkerFactory(unit=world.other_ehu, name="Olu Other")
    html = page(
        decide(
            triage,
            world.notification,
            decision="ASSESS_EHU",
            unit=str(world.ehu.pk),
            worker=str(elsewhere.pk),
        )
    )
    assert "Olu Other does not work in Unit EHU-N1" in html
    assert not Case.objects.filter(notification=world.notification).exists()


def test_a_second_triage_is_refused_with_a_clear_message(triage, world):
    n = world.notification
    first = decide(triage, n, decision="ASSESS_EHU", unit=str(world.ehu.pk))
    assert first.status_code == 302
    second = triage.post(
        url("notification-triage", n),
        {"version": "1", "threshold_level": "2", "decision": "NFA", "decision_reason": "Again."},
    )
    html = page(second)
    assert "There is a problem" in html
    assert f"{n.notification_ref} has already been triaged by triage on 30 June 2016" in html
    assert "It cannot be triaged again." in html
    assert Case.objects.filter(notification=n).count() == 1
    n.refresh_from_db()
    assert n.triage_decision == "ASSESS_EHU"


def test_a_stale_form_keeps_what_was_typed_and_shows_what_changed(triage, world):
    n = world.notification
    form = page(triage.get(url("notification-triage", n)))
    seen = form.split('name="seen" value="')[1].split('"')[0]
    linked_to_known(world)  # someone links the child meanwhile
    typed = {
        "version": "1",
        "seen": seen,
        "threshold_level": "2",
        "decision": "NFA",
        "decision_reason": "Typed before the change.",
    }
    html = page(triage.post(url("notification-triage", n), typed))
    assert "changed by someone else" in html
    assert "Typed before the change." in html
    assert 'name="version" value="2"' in html
    assert "What someone else changed" in html
    assert "Person" in html
    n.refresh_from_db()
    assert n.is_pending
    assert triage.post(url("notification-triage", n), typed | {"version": "2"}).status_code == 302


@pytest.mark.parametrize("role", [UserRole.PARTNER, UserRole.ANALYST, UserRole.PRACTITIONER])
def test_triage_pages_are_for_triage_officers(client, world, role):
    client.force_login(f.UserFactory(role=role))
    for name in ("notification-triage", "notification-informed"):
        assert client.get(url(name, world.notification)).status_code == 403
    assert client.get(reverse("notification-new")).status_code == 403


def test_triage_needs_csrf(world):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world.triage)
    response = strict.post(
        url("notification-triage", world.notification),
        {"version": "1", "threshold_level": "1", "decision": "NFA", "decision_reason": "x"},
    )
    assert response.status_code == 403
    world.notification.refresh_from_db()
    assert world.notification.is_pending


# --- telling the referrer -------------------------------------------------------------------


def test_recording_that_the_referrer_was_told(triage, world):
    n = world.notification
    decide(triage, n, decision="NFA")
    n.refresh_from_db()
    html = page(triage.get(url("notification-informed", n)))
    assert "sam.teacher@example.org" in html
    response = triage.post(
        url("notification-informed", n),
        {"version": n.version, "how": "phone", "note": "Spoke to Sam  at lunchtime."},
    )
    assert response.status_code == 302
    assert response["Location"] == url("notification", n)
    n.refresh_from_db()
    assert n.referrer_informed_how == "phone: Spoke to Sam at lunchtime."
    html = page(triage.get(url("notification", n)))
    assert "Recorded that the referrer was told by phone: Spoke to Sam at lunchtime." in html
    assert "Record that the referrer was told" not in html


def test_telling_the_referrer_names_the_missing_choice(triage, world):
    n = world.notification
    decide(triage, n)
    n.refresh_from_db()
    html = page(triage.post(url("notification-informed", n), {"version": n.version}))
    assert summary_links(html) == ["Choose how the referrer was told."]


def test_the_referrer_is_told_only_after_triage(triage, world):
    n = world.notification
    html = page(triage.post(url("notification-informed", n), {"version": 1, "how": "email"}))
    assert "Triage the notification before telling the referrer." in html
    n.refresh_from_db()
    assert n.referrer_informed_at is None


def test_a_restricted_familys_notification_is_not_found(triage, world):
    hidden = pending(person=f.PersonFactory(family=f.FamilyFactory(restricted=True)))
    assert triage.get(url("notification-informed", hidden)).status_code == 404
    assert triage.post(url("notification-triage", hidden), {}).status_code == 404
