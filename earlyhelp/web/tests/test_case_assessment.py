"""Journey 4, the case: starting, recording and completing the assessment."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from earlyhelp.casework import services
from earlyhelp.casework.models import Assessment
from earlyhelp.web.tests.test_case import date_parts, signed_in, started, versioned, world

pytestmark = pytest.mark.django_db

D = dt.date
CONTENT = {
    "child_development": "Amy is meeting her milestones.",
    "parenting_capacity": "Mum is tired; routines have slipped.",
    "family_environment": "Rent arrears; a supportive grandmother.",
    "family_view": "We want calmer mornings.",
    "child_voice": "I like school when I get there on time.",
    "worries": "Amy misses two days a week.",
    "working_well": "Grandmother helps after school.",
    "needs_to_happen": "A morning routine.",
    "scale": "4",
}


def _url(w) -> str:
    return reverse("case-assessment", args=[w.case.pk])


# --- starting -------------------------------------------------------------------------------


def test_the_assessment_is_started(client, settings):
    w = world(settings)
    signed_in(client, w.practitioner)
    shown = client.get(_url(w))
    assert "Start the assessment" in shown.content.decode()
    data = versioned(shown) | {"action": "start"} | date_parts("started_on", D(2016, 6, 3))
    response = client.post(_url(w), data, follow=True)
    assert response.redirect_chain[-1][0] == _url(w)
    assert "The assessment has started." in response.content.decode()
    assert w.fresh().assessment_started_on == D(2016, 6, 3)
    assert Assessment.objects.filter(case=w.case).exists()


@pytest.mark.parametrize(
    ("on", "message"),
    [
        (None, "Enter the date the assessment started."),
        (D(2016, 7, 1), "The date cannot be in the future."),
        (D(2016, 5, 31), "The assessment start cannot be before the case opened (01 June 2016)."),
    ],
)
def test_starting_is_refused_with_a_message_naming_the_date(client, settings, on, message):
    w = world(settings)
    signed_in(client, w.practitioner)
    data = versioned(client.get(_url(w))) | {"action": "start"} | date_parts("started_on", on)
    response = client.post(_url(w), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in page
    assert f'<a href="#id_started_on">{message}</a>' in page
    assert w.fresh().assessment_started_on is None


def test_a_malformed_date_is_named(client, settings):
    w = world(settings)
    signed_in(client, w.practitioner)
    data = versioned(client.get(_url(w))) | {"action": "start"}
    data |= {"started_on_0": "31", "started_on_1": "2", "started_on_2": "2016"}
    page = client.post(_url(w), data).content.decode()
    assert "The date the assessment started must be a real date." in page


def test_starting_when_someone_else_has_started_is_refused(client, settings):
    w = world(settings)
    signed_in(client, w.practitioner)
    data = versioned(client.get(_url(w))) | {"action": "start"}
    data |= date_parts("started_on", D(2016, 6, 4))
    started(w)
    page = client.post(_url(w), data).content.decode()
    assert "This case was changed by someone else while you were editing it." in page
    assert "Assessment started on</th>" in page
    assert '<td class="govuk-table__cell">3 June 2016</td>' in page
    data["version"] = str(w.fresh().version)
    page = client.post(_url(w), data).content.decode()
    assert '<a href="#id_started_on">The assessment has already started.</a>' in page


# --- recording and completing ---------------------------------------------------------------


def test_the_assessment_is_recorded_with_its_scale(client, settings):
    w = world(settings)
    started(w)
    signed_in(client, w.practitioner)
    shown = client.get(_url(w))
    page = shown.content.decode()
    for heading in ("The family&#x27;s needs", "Views", "Signs of Safety mapping"):
        assert heading in page
    assert 'type="radio" value="10"' in page
    data = versioned(shown) | CONTENT | {"action": "save"} | date_parts("completed_on", None)
    response = client.post(_url(w), data, follow=True)
    assert "The assessment is saved." in response.content.decode()
    assessment = Assessment.objects.get(case=w.case)
    assert assessment.scale == 4
    assert assessment.worries == CONTENT["worries"]
    assert assessment.completed_on is None


def test_a_scale_outside_0_to_10_is_refused(client, settings):
    w = world(settings)
    started(w)
    signed_in(client, w.practitioner)
    data = versioned(client.get(_url(w))) | CONTENT | {"scale": "11", "action": "save"}
    page = client.post(_url(w), data).content.decode()
    assert '<a href="#id_scale">Choose a number from 0 to 10.</a>' in page
    assert Assessment.objects.get(case=w.case).scale is None


def test_the_assessment_is_saved_and_completed_together(client, settings):
    w = world(settings)
    started(w)
    signed_in(client, w.practitioner)
    data = versioned(client.get(_url(w))) | CONTENT | {"action": "complete"}
    response = client.post(_url(w), data | date_parts("completed_on", D(2016, 6, 10)), follow=True)
    page = response.content.decode()
    assert "The assessment is complete." in page
    assert "Save and complete" not in page
    assert w.fresh().assessment_completed_on == D(2016, 6, 10)
    assert Assessment.objects.get(case=w.case).family_view == CONTENT["family_view"]


def test_completing_needs_the_views_and_saves_nothing_without_them(client, settings):
    w = world(settings)
    started(w)
    signed_in(client, w.practitioner)
    data = versioned(client.get(_url(w))) | CONTENT | {"family_view": "", "child_voice": ""}
    data |= {"action": "complete"} | date_parts("completed_on", D(2016, 6, 10))
    response = client.post(_url(w), data)
    page = response.content.decode()
    assert "Record the family&#x27;s own view before completing the assessment." in page
    assert "Record the voice of the child before completing the assessment." in page
    assert "Amy misses two days a week." in page  # what was typed is kept
    assessment = Assessment.objects.get(case=w.case)
    assert assessment.worries == ""  # nothing half-saved
    assert assessment.version == 1
    assert w.fresh().assessment_completed_on is None


def test_completing_needs_a_date(client, settings):
    w = world(settings)
    started(w)
    signed_in(client, w.practitioner)
    data = versioned(client.get(_url(w))) | CONTENT | {"action": "complete"}
    page = client.post(_url(w), data | date_parts("completed_on", None)).content.decode()
    assert '<a href="#id_completed_on">Enter the date the assessment was completed.</a>' in page
    data |= date_parts("completed_on", D(2016, 6, 2))
    page = client.post(_url(w), data).content.decode()
    assert "cannot be completed before it started (03 June 2016)" in page


def test_a_stale_save_shows_what_changed_and_keeps_what_was_typed(client, settings):
    w = world(settings)
    assessment = started(w)
    signed_in(client, w.practitioner)
    data = versioned(client.get(_url(w))) | CONTENT | {"action": "save"}
    services.assessment_update(
        user=w.leader,
        assessment=assessment,
        version=assessment.version,
        worries="Mum's health.",
        scale=2,
    )
    response = client.post(_url(w), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "This assessment was changed by someone else while you were editing it." in page
    assert '<th scope="row" class="govuk-table__header">What are we worried about?</th>' in page
    assert '<td class="govuk-table__cell">Not recorded</td>' in page
    assert '<td class="govuk-table__cell">Mum&#x27;s health.</td>' in page
    assert "Signs of Safety scale</th>" in page
    assert "Amy misses two days a week.</textarea>" in page
    assert 'name="version" value="2"' in page
    assert Assessment.objects.get(case=w.case).worries == "Mum's health."
    again = versioned(response) | CONTENT | {"action": "save"}
    assert client.post(_url(w), again).status_code == 302
    assert Assessment.objects.get(case=w.case).worries == CONTENT["worries"]


def test_a_colleague_may_read_but_not_write_the_assessment(client, settings):
    w = world(settings)
    started(w)
    signed_in(client, w.colleague)
    shown = client.get(_url(w))
    page = shown.content.decode()
    assert shown.status_code == 200
    assert "govuk-summary-list" in page
    assert "<textarea" not in page
    data = {"version": "1", "seen": "", "action": "save"} | CONTENT
    response = client.post(_url(w), data)
    assert response.status_code == 403
    assert "Only the lead practitioner or the unit leader" in response.content.decode()
    assert Assessment.objects.get(case=w.case).worries == ""


def test_the_unit_leader_may_write_the_assessment(client, settings):
    w = world(settings)
    started(w)
    signed_in(client, w.leader)
    data = versioned(client.get(_url(w))) | CONTENT | {"action": "save"}
    assert client.post(_url(w), data).status_code == 302
