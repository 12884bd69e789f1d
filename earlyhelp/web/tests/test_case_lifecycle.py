"""Journey 4, the case: closing, stepping up to social care, re-allocating and re-opening."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from earlyhelp.casework import services
from earlyhelp.casework.models import Allocation, ScsReferral
from earlyhelp.domain.codes import ClosureReason, UserRole, WorkerRole
from earlyhelp.testing import factories as f
from earlyhelp.web.tests.test_case import date_parts, signed_in, versioned, world

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2016, 6, 30)


def _close_data(shown, reason: str = ClosureReason.OUTCOMES_ACHIEVED, **more: str) -> dict:
    data = versioned(shown) | {"reason": reason, "summary": "Amy attends every day."}
    return data | {"authorised_by": ""} | date_parts("closed_on", D(2016, 6, 29)) | more


# --- closing --------------------------------------------------------------------------------


def test_the_case_is_closed_with_a_reason_and_summary(client, settings):
    w = world(settings)
    url = reverse("case-close", args=[w.case.pk])
    signed_in(client, w.practitioner)
    shown = client.get(url)
    page = shown.content.decode()
    assert "Outcomes achieved, support continues in open access" in page
    assert "Step up to Specialist" not in page  # a step-up has its own page
    assert 'aria-controls="conditional-authorised-by" data-app-reveals' in page
    assert f'<option value="{w.leader.pk}">Lee Leader</option>' in page
    response = client.post(url, _close_data(shown), follow=True)
    page = response.content.decode()
    assert "The case is closed." in page
    assert "Amy attends every day." in page
    case = w.fresh()
    assert (case.closed_on, case.closure_reason) == (
        D(2016, 6, 29),
        ClosureReason.OUTCOMES_ACHIEVED,
    )


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        ({"reason": ""}, "reason", "Choose a reason for closing the case."),
        ({"reason": "DID_NOT_ENGAGE"}, "reason", "Choose one of the reasons listed."),
        ({"summary": ""}, "summary", "Write a closing summary."),
        (date_parts("closed_on", None), "closed_on", "Enter the date the case closed."),
        (
            date_parts("closed_on", D(2016, 7, 1)),
            "closed_on",
            "A case cannot be closed in the future.",
        ),
        (
            date_parts("closed_on", D(2016, 5, 1)),
            "closed_on",
            "The closure date cannot be before the case opened (01 June 2016).",
        ),
        ({"authorised_by": "999"}, "authorised_by", "Choose one of the unit&#x27;s leaders."),
    ],
)
def test_a_bad_closure_is_refused_naming_the_field(client, settings, typed, field, message):
    w = world(settings)
    url = reverse("case-close", args=[w.case.pk])
    signed_in(client, w.practitioner)
    response = client.post(url, _close_data(client.get(url)) | typed)
    assert response.status_code == 200
    assert f'<a href="#id_{field}">{message}</a>' in response.content.decode()
    assert w.fresh().closed_on is None


def test_consent_withdrawn_needs_the_unit_leader(client, settings):
    w = world(settings)
    url = reverse("case-close", args=[w.case.pk])
    signed_in(client, w.practitioner)
    shown = client.get(url)
    response = client.post(url, _close_data(shown, ClosureReason.CONSENT_WITHDRAWN))
    page = response.content.decode()
    assert (
        '<a href="#id_authorised_by">Closing because consent was withdrawn needs a unit '
        "leader&#x27;s authorisation.</a>"
    ) in page
    assert 'class="govuk-radios__conditional" id="conditional-authorised-by"' in page
    assert w.fresh().closed_on is None
    data = _close_data(shown, ClosureReason.CONSENT_WITHDRAWN, authorised_by=str(w.leader.pk))
    assert client.post(url, data).status_code == 302
    case = w.fresh()
    assert case.closure_reason == ClosureReason.CONSENT_WITHDRAWN
    assert case.closure_authorised_by_id == w.leader.pk


def test_a_colleague_may_not_close_the_case(client, settings):
    w = world(settings)
    url = reverse("case-close", args=[w.case.pk])
    signed_in(client, w.colleague)
    data = {"version": "1", "reason": ClosureReason.MOVED_AWAY, "summary": "Moved."}
    response = client.post(url, data | date_parts("closed_on", D(2016, 6, 29)))
    assert response.status_code == 403
    assert "Only the lead practitioner or the unit leader can change this case." in (
        response.content.decode()
    )
    assert w.fresh().closed_on is None


def test_a_stale_closure_shows_what_changed(client, settings):
    w = world(settings)
    url = reverse("case-close", args=[w.case.pk])
    signed_in(client, w.practitioner)
    data = _close_data(client.get(url))
    services.case_allocate(
        user=w.leader,
        case=w.fresh(),
        version=w.case.version,
        unit=w.unit,
        worker=w.colleague.worker,
        on=D(2016, 6, 28),
        reason="Leave.",
    )
    response = client.post(url, data)
    page = response.content.decode()
    assert "This case was changed by someone else while you were editing it." in page
    assert '<th scope="row" class="govuk-table__header">Worker</th>' in page
    assert '<td class="govuk-table__cell">Pat Lead</td>' in page
    assert '<td class="govuk-table__cell">Cal Other</td>' in page
    assert "Amy attends every day.</textarea>" in page
    assert w.fresh().closed_on is None


# --- stepping up ----------------------------------------------------------------------------


def test_the_family_is_stepped_up_to_social_care(client, settings):
    w = world(settings)
    url = reverse("case-step-up", args=[w.case.pk])
    signed_in(client, w.practitioner)
    shown = client.get(url)
    data = versioned(shown) | {"reason": ""} | date_parts("on", D(2016, 6, 29))
    page = client.post(url, data).content.decode()
    assert '<a href="#id_reason">Say why the family needs social care.</a>' in page
    data["reason"] = "Disclosure of harm at school."
    response = client.post(url, data, follow=True)
    assert "The family is referred to Specialist Children&#x27;s Services." in (
        response.content.decode()
    )
    case = w.fresh()
    assert case.closure_reason == ClosureReason.STEP_UP_SCS
    assert ScsReferral.objects.get(case=case).reason == "Disclosure of harm at school."


# --- re-allocating --------------------------------------------------------------------------


def test_the_unit_leader_reallocates_the_case(client, settings):
    w = world(settings)
    url = reverse("case-allocate", args=[w.case.pk])
    signed_in(client, w.leader)
    shown = client.get(url)
    page = shown.content.decode()
    assert "Cal Other (Unit EHU-N1)</option>" in page
    assert "Lee Leader (" not in page  # only caseholders
    data = versioned(shown) | {"unit": str(w.unit.pk), "worker": str(w.colleague.worker_id)}
    data |= {"reason": "Pat is on leave."} | date_parts("on", D(2016, 6, 20))
    response = client.post(url, data, follow=True)
    assert "The case is re-allocated." in response.content.decode()
    assert w.fresh().worker_id == w.colleague.worker_id
    assert Allocation.objects.filter(case=w.case).count() == 2


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        ({"unit": ""}, "unit", "Choose the unit."),
        ({"worker": "999999"}, "worker", "Choose a practitioner listed."),
        ({"reason": ""}, "reason", "Say why the case is being re-allocated."),
        (date_parts("on", D(2016, 5, 20)), "on", "Choose a date from 01/06/2016 up to today."),
    ],
)
def test_a_bad_reallocation_is_refused_naming_the_field(client, settings, typed, field, message):
    w = world(settings)
    url = reverse("case-allocate", args=[w.case.pk])
    signed_in(client, w.leader)
    data = versioned(client.get(url)) | {"unit": str(w.unit.pk), "worker": ""}
    data |= {"reason": "Leave."} | date_parts("on", D(2016, 6, 20)) | typed
    response = client.post(url, data)
    assert f'<a href="#id_{field}">{message}</a>' in response.content.decode()
    assert w.fresh().worker_id == w.practitioner.worker_id


def test_a_worker_must_belong_to_the_unit_chosen(client, settings):
    w = world(settings)
    manager = f.UserFactory(role=UserRole.MANAGER, org_unit=f.county())
    elsewhere = f.WorkerFactory(unit=w.outsider.org_unit, role=WorkerRole.PRACTITIONER, name="Al")
    url = reverse("case-allocate", args=[w.case.pk])
    signed_in(client, manager)
    data = versioned(client.get(url)) | {"unit": str(w.unit.pk), "worker": str(elsewhere.pk)}
    data |= {"reason": "Move."} | date_parts("on", D(2016, 6, 20))
    page = client.post(url, data).content.decode()
    assert '<a href="#id_worker">Al does not work in Unit EHU-N1.</a>' in page


def test_a_practitioner_may_not_reallocate(client, settings):
    w = world(settings)
    url = reverse("case-allocate", args=[w.case.pk])
    data = {"version": "1", "unit": str(w.unit.pk), "worker": "", "reason": "Mine."}
    response = signed_in(client, w.practitioner).post(url, data | date_parts("on", D(2016, 6, 2)))
    assert response.status_code == 403


# --- re-opening -----------------------------------------------------------------------------


def test_the_unit_leader_reopens_a_closed_case(client, settings):
    w = world(settings)
    url = reverse("case-reopen", args=[w.case.pk])
    signed_in(client, w.leader)
    shown = client.get(url)
    assert "The case is open." in shown.content.decode()
    data = versioned(shown) | {"reason": "Closed in error."} | date_parts("reopened_on", TODAY)
    page = client.post(url, data).content.decode()
    assert '<a href="#main-content">The case is already open.</a>' in page
    services.case_close(
        user=w.leader,
        case=w.fresh(),
        version=w.case.version,
        closed_on=D(2016, 6, 20),
        reason=ClosureReason.MOVED_AWAY,
        summary="Moved to Wales.",
    )
    shown = client.get(url)
    assert "The case closed on 20 June 2016: moved away." in shown.content.decode()
    data = versioned(shown) | {"reason": ""} | date_parts("reopened_on", TODAY)
    page = client.post(url, data).content.decode()
    assert '<a href="#id_reason">Say why the case is being re-opened.</a>' in page
    data["reason"] = "The family came back."
    response = client.post(url, data, follow=True)
    assert "The case is re-opened." in response.content.decode()
    assert w.fresh().is_open
