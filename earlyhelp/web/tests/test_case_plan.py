"""Journey 4, the case: agreeing the family plan, adding to it and recording progress."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from earlyhelp.casework import services
from earlyhelp.casework.models import PlanAction, PlanOutcome
from earlyhelp.domain.codes import ActionStatus
from earlyhelp.web.tests.test_case import (
    date_parts,
    signed_in,
    started,
    versioned,
    with_plan,
    world,
)

pytestmark = pytest.mark.django_db

D = dt.date


def _url(w, name: str = "case-plan", *more: int) -> str:
    return reverse(name, args=[w.case.pk, *more])


def _blank_rows(outcomes: int = 1, rows: int = 3) -> dict[str, str]:
    data: dict[str, str] = {"outcome_count": str(outcomes)}
    for i in range(1, outcomes + 1):
        data[f"outcomes-{i}-description"] = ""
        for j in range(1, rows + 1):
            prefix = f"outcomes-{i}-actions-{j}"
            data |= {f"{prefix}-description": "", f"{prefix}-owner": ""}
            data |= date_parts(f"{prefix}-due_on", None)
    return data


def _row(i: int, j: int, what: str, who: str, due: dt.date | None) -> dict[str, str]:
    prefix = f"outcomes-{i}-actions-{j}"
    return {f"{prefix}-description": what, f"{prefix}-owner": who} | date_parts(
        f"{prefix}-due_on", due
    )


# --- agreeing the plan ----------------------------------------------------------------------


def test_a_plan_waits_for_the_assessment_to_start(client, settings):
    w = world(settings)
    page = signed_in(client, w.practitioner).get(_url(w)).content.decode()
    assert "Start the assessment before you agree a family plan." in page
    assert "<form" not in page.split("</nav>")[-1]


def test_the_plan_is_agreed_with_outcomes_and_actions(client, settings):
    w = world(settings)
    started(w)
    signed_in(client, w.practitioner)
    data = versioned(client.get(_url(w))) | _blank_rows() | date_parts("agreed_on", D(2016, 6, 8))
    data |= {"outcomes-1-description": "Amy is in school every day"}
    data |= _row(1, 1, "Walk to school together", "Mum", D(2016, 7, 1))
    data |= _row(1, 3, "Attendance meeting", "School", D(2016, 7, 8))
    response = client.post(_url(w), data, follow=True)
    page = response.content.decode()
    assert "The family plan is agreed." in page
    assert "Agreed with the family on 8 June 2016." in page
    assert "Walk to school together" in page
    assert "Not started" in page
    assert w.fresh().plan_agreed_on == D(2016, 6, 8)
    actions = PlanAction.objects.filter(outcome__plan__case=w.case).order_by("due_on")
    assert [(a.description, a.owner) for a in actions] == [
        ("Walk to school together", "Mum"),
        ("Attendance meeting", "School"),
    ]


def test_another_outcome_is_added_without_javascript(client, settings):
    w = world(settings)
    started(w)
    signed_in(client, w.practitioner)
    data = versioned(client.get(_url(w))) | _blank_rows() | {"add_outcome": "1"}
    data |= {"outcomes-1-description": "Calmer mornings"} | _row(1, 1, "Alarm", "Mum", None)
    response = client.post(_url(w), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" not in page
    assert 'name="outcome_count" value="2"' in page
    assert 'name="outcomes-2-description"' in page
    assert "Calmer mornings</textarea>" in page
    assert 'name="outcomes-1-actions-1-owner" type="text" value="Mum"' in page
    data = versioned(response) | _blank_rows(2) | date_parts("agreed_on", D(2016, 6, 8))
    data |= {"outcomes-1-description": "Calmer mornings", "outcomes-2-description": "Rent paid"}
    data |= _row(1, 1, "Alarm", "Mum", D(2016, 7, 1)) | _row(2, 2, "Budget", "CAB", D(2016, 7, 2))
    assert client.post(_url(w), data).status_code == 302
    assert list(
        PlanOutcome.objects.filter(plan__case=w.case).values_list("description", flat=True)
    ) == ["Calmer mornings", "Rent paid"]


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        (
            date_parts("agreed_on", None),
            "agreed_on",
            "Enter the date the plan was agreed with the family.",
        ),
        (
            {"agreed_on_0": ""},
            "agreed_on",
            "The date the plan was agreed with the family must include a day, month and year.",
        ),
        (
            {"outcomes-1-description": ""},
            "outcomes-1-description",
            "Describe outcome 1.",
        ),
        (
            {"outcomes-1-actions-1-owner": ""},
            "outcomes-1-actions-1-owner",
            "Say who will do action 1 of outcome 1.",
        ),
        (
            {"outcomes-1-actions-1-description": ""},
            "outcomes-1-actions-1-description",
            "Describe action 1 of outcome 1.",
        ),
        (
            date_parts("outcomes-1-actions-1-due_on", None),
            "outcomes-1-actions-1-due_on",
            "Enter the date action 1 of outcome 1 is due.",
        ),
        (
            {"outcomes-1-actions-1-due_on_1": "13"},
            "outcomes-1-actions-1-due_on",
            "The date action 1 of outcome 1 is due must be a real date.",
        ),
        (
            _row(1, 1, "", "", None),
            "outcomes-1-actions-1-description",
            "Add at least one action to outcome 1.",
        ),
        (
            date_parts("agreed_on", D(2016, 6, 2)),
            "agreed_on",
            "The plan cannot be agreed before the assessment started (03 June 2016).",
        ),
        (
            date_parts("agreed_on", D(2016, 7, 2)),
            "agreed_on",
            "The plan cannot be agreed in the future.",
        ),
    ],
)
def test_a_bad_plan_is_refused_naming_the_field(client, settings, typed, field, message):
    w = world(settings)
    started(w)
    signed_in(client, w.practitioner)
    data = versioned(client.get(_url(w))) | _blank_rows() | date_parts("agreed_on", D(2016, 6, 8))
    data |= {"outcomes-1-description": "Calmer mornings"}
    data |= _row(1, 1, "Alarm", "Mum", D(2016, 7, 1)) | typed
    response = client.post(_url(w), data)
    page = response.content.decode()
    assert response.status_code == 200
    assert f'<a href="#id_{field}">{message}</a>' in page
    assert w.fresh().plan_agreed_on is None
    assert not PlanOutcome.objects.filter(plan__case=w.case).exists()


def test_a_colleague_cannot_agree_the_plan(client, settings):
    w = world(settings)
    started(w)
    signed_in(client, w.colleague)
    assert "No family plan has been agreed." in client.get(_url(w)).content.decode()
    data = {"version": str(w.fresh().version)} | _blank_rows()
    data |= date_parts("agreed_on", D(2016, 6, 8)) | {"outcomes-1-description": "X"}
    data |= _row(1, 1, "Alarm", "Mum", D(2016, 7, 1))
    assert client.post(_url(w), data).status_code == 403
    assert w.fresh().plan_agreed_on is None


# --- after agreement ------------------------------------------------------------------------


def test_an_outcome_is_added_to_the_plan(client, settings):
    w = world(settings)
    with_plan(w)
    signed_in(client, w.practitioner)
    assert ">Add an outcome</a>" in client.get(_url(w)).content.decode()
    url = _url(w, "case-plan-outcome-add")
    data = versioned(client.get(url)) | _blank_rows()
    data |= {"outcomes-1-description": "Rent is paid"}
    bad = client.post(url, data).content.decode()
    assert '<a href="#id_outcomes-1-actions-1-description">Add at least one action' in bad
    data |= _row(1, 2, "See a debt adviser", "Mum and CAB", D(2016, 7, 15))
    response = client.post(url, data, follow=True)
    assert "The outcome is added to the plan." in response.content.decode()
    outcome = PlanOutcome.objects.get(plan__case=w.case, description="Rent is paid")
    assert outcome.position == 2
    assert outcome.actions.get().owner == "Mum and CAB"


def test_an_action_is_added_to_an_outcome(client, settings):
    w = world(settings)
    plan = with_plan(w)
    outcome = plan.outcomes.get()
    signed_in(client, w.practitioner)
    url = _url(w, "case-plan-action-add", outcome.pk)
    shown = client.get(url)
    assert "Amy is in school every day" in shown.content.decode()
    data = versioned(shown) | {"description": "", "owner": ""} | date_parts("due_on", None)
    page = client.post(url, data).content.decode()
    assert '<a href="#id_description">Describe the action.</a>' in page
    assert '<a href="#id_owner">Say who will do the action.</a>' in page
    assert '<a href="#id_due_on">Enter the date the action is due.</a>' in page
    data |= {"description": "Breakfast club", "owner": "School"}
    data |= date_parts("due_on", D(2016, 7, 4))
    assert client.post(url, data).status_code == 302
    assert outcome.actions.count() == 2


def test_progress_is_recorded_on_an_action(client, settings):
    w = world(settings)
    action = PlanAction.objects.get(outcome__plan=with_plan(w))
    signed_in(client, w.practitioner)
    url = _url(w, "case-plan-action", action.pk)
    shown = client.get(url)
    data = versioned(shown) | {"status": "", "progress": "Two good weeks."}
    data |= date_parts("due_on", action.due_on)
    page = client.post(url, data).content.decode()
    assert '<a href="#id_status">Choose the action&#x27;s progress.</a>' in page
    data["status"] = ActionStatus.IN_PROGRESS
    response = client.post(url, data, follow=True)
    assert "The action&#x27;s progress is saved." in response.content.decode()
    assert "Two good weeks." in response.content.decode()
    action.refresh_from_db()
    assert (action.status, action.progress) == (ActionStatus.IN_PROGRESS, "Two good weeks.")


def test_a_stale_action_update_shows_what_changed(client, settings):
    w = world(settings)
    action = PlanAction.objects.get(outcome__plan=with_plan(w))
    signed_in(client, w.practitioner)
    url = _url(w, "case-plan-action", action.pk)
    data = versioned(client.get(url)) | {"status": ActionStatus.DONE, "progress": "All done."}
    data |= date_parts("due_on", action.due_on)
    services.plan_action_update(
        user=w.leader,
        action=PlanAction.objects.select_related("outcome__plan__case").get(pk=action.pk),
        version=action.version,
        status=ActionStatus.IN_PROGRESS,
        progress="Started.",
    )
    page = client.post(url, data).content.decode()
    assert "This action was changed by someone else while you were editing it." in page
    assert '<th scope="row" class="govuk-table__header">Progress</th>' in page
    assert '<td class="govuk-table__cell">Not started</td>' in page
    assert '<td class="govuk-table__cell">In progress</td>' in page
    assert "All done.</textarea>" in page
    action.refresh_from_db()
    assert action.status == ActionStatus.IN_PROGRESS


def test_plan_items_of_another_case_are_not_found(client, settings):
    w = world(settings)
    action = PlanAction.objects.get(outcome__plan=with_plan(w))
    other = services.case_open(
        user=w.leader, family=w.case.family, unit=w.unit, worker=None, opened_on=D(2016, 6, 2)
    )
    signed_in(client, w.practitioner)
    assert client.get(reverse("case-plan-action", args=[other.pk, action.pk])).status_code == 404
    assert (
        client.get(reverse("case-plan-action-add", args=[other.pk, action.outcome_id])).status_code
        == 404
    )
    assert client.get(reverse("case-plan-outcome-add", args=[other.pk])).status_code == 404
    signed_in(client, w.outsider)
    assert client.get(_url(w, "case-plan-action", action.pk)).status_code == 404


def test_a_colleague_sees_the_plan_but_cannot_change_it(client, settings):
    w = world(settings)
    action = PlanAction.objects.get(outcome__plan=with_plan(w))
    signed_in(client, w.colleague)
    page = client.get(_url(w)).content.decode()
    assert "Walk to school together" in page
    assert "Add an outcome" not in page
    assert client.get(_url(w, "case-plan-action", action.pk)).status_code == 403
    data = {"version": "1", "status": ActionStatus.DONE, "progress": ""}
    data |= date_parts("due_on", action.due_on)
    assert client.post(_url(w, "case-plan-action", action.pk), data).status_code == 403
