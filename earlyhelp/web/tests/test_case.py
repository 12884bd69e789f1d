"""Journey 4, the case: overview, history, access and what every case page shares.

`world()`, `date_parts()` and `versioned()` are shared with the other `test_case_*` modules.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from earlyhelp.audit.models import AccessLog
from earlyhelp.casework import services
from earlyhelp.casework.models import Case, Plan
from earlyhelp.casework.services.plan import ActionInput, OutcomeInput
from earlyhelp.domain.codes import ClosureReason, NoteKind, UserRole, WorkerRole
from earlyhelp.organisation.models import OrgUnit, User
from earlyhelp.testing import factories as f

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2016, 6, 30)


@dataclass
class World:
    unit: OrgUnit
    practitioner: User
    colleague: User
    leader: User
    outsider: User
    case: Case

    def fresh(self) -> Case:
        self.case.refresh_from_db()
        return self.case


def world(settings) -> World:
    """A unit with a practitioner's case, a colleague, the unit leader, and an outsider."""
    settings.EARLYHELP_TODAY = TODAY.isoformat()
    unit = f.unit("EHU-N1", "DN1", "AN")
    other_unit = f.unit("EHU-S1", "DS1", "AS")

    def user(username: str, role: str, worker_role: str, at: OrgUnit, name: str) -> User:
        worker = f.WorkerFactory(unit=at, role=worker_role, name=name)
        first, last = name.split()
        return f.UserFactory(
            username=username,
            role=role,
            org_unit=at,
            worker=worker,
            first_name=first,
            last_name=last,
        )

    practitioner = user("prac", UserRole.PRACTITIONER, WorkerRole.PRACTITIONER, unit, "Pat Lead")
    colleague = user("coll", UserRole.PRACTITIONER, WorkerRole.PRACTITIONER, unit, "Cal Other")
    leader = user("lead", UserRole.UNIT_LEADER, WorkerRole.UNIT_LEADER, unit, "Lee Leader")
    outsider = user("out", UserRole.PRACTITIONER, WorkerRole.PRACTITIONER, other_unit, "Oz Far")
    family = f.FamilyFactory(district=f.district("DN1", "AN"))
    case = services.case_open(
        user=leader, family=family, unit=unit, worker=practitioner.worker, opened_on=D(2016, 6, 1)
    )
    return World(unit, practitioner, colleague, leader, outsider, case)


def date_parts(name: str, on: dt.date | None) -> dict[str, str]:
    """A GOV.UK date input's three parts as posted."""
    if on is None:
        return {f"{name}_0": "", f"{name}_1": "", f"{name}_2": ""}
    return {f"{name}_0": str(on.day), f"{name}_1": str(on.month), f"{name}_2": str(on.year)}


def versioned(response) -> dict[str, str]:
    """The hidden version and seen values of the form on a page."""
    form = response.context["form"]
    return {"version": str(form["version"].value()), "seen": form["seen"].value() or ""}


START = D(2016, 6, 3)


def started(w: World, on: dt.date = START):
    return services.assessment_start(
        user=w.practitioner, case=w.fresh(), version=w.case.version, started_on=on
    )


def completed(w: World) -> Case:
    assessment = started(w)
    services.assessment_update(
        user=w.practitioner,
        assessment=assessment,
        version=assessment.version,
        family_view="We want calmer mornings.",
        child_voice="I like school.",
    )
    return services.assessment_complete(
        user=w.practitioner, case=w.fresh(), version=w.case.version, completed_on=D(2016, 6, 10)
    )


def with_plan(w: World):
    completed(w)
    return services.plan_agree(
        user=w.practitioner,
        case=w.fresh(),
        version=w.case.version,
        agreed_on=D(2016, 6, 14),
        outcomes=[
            OutcomeInput(
                "Amy is in school every day",
                [ActionInput("Walk to school together", "Mum", D(2016, 7, 1))],
            )
        ],
    )


def signed_in(client: Client, user: User) -> Client:
    client.force_login(user)
    return client


# --- overview -------------------------------------------------------------------------------


def test_overview_shows_the_case_what_is_due_and_the_actions(client, settings):
    w = world(settings)
    response = signed_in(client, w.practitioner).get(reverse("case", args=[w.case.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "moj-identity-bar" in page
    assert f"Case {w.case.case_ref}" in page
    assert w.case.family.family_ref in page
    assert "Unit EHU-N1, lead practitioner: Pat Lead" in page
    assert "Awaiting assessment, opened 1 June 2016" in page
    assert "Start the assessment by 15 June 2016" in page
    assert 'govuk-tag--red">Overdue' in page
    assert f'href="/case/{w.case.pk}/" aria-current="page">Overview' in page
    for action in ("Start the assessment", "Add a case note", "Close the case", "Step up"):
        assert f">{action}" in page
    assert ">Re-allocate<" not in page
    assert AccessLog.objects.filter(case_id=w.case.pk, what="case record: case overview").exists()


def test_overview_flags_drift(client, settings):
    w = world(settings)
    settings.EARLYHELP_TODAY = "2016-07-31"
    page = signed_in(client, w.practitioner).get(reverse("case", args=[w.case.pk]))
    text = page.content.decode()
    assert "No plan by the 4-week deadline" in text
    assert "No contact recorded for 4 weeks" in text


def test_unit_leader_may_reallocate_and_reopen(client, settings):
    w = world(settings)
    signed_in(client, w.leader)
    page = client.get(reverse("case", args=[w.case.pk])).content.decode()
    assert ">Re-allocate<" in page
    assert ">Re-open the case<" not in page
    services.case_close(
        user=w.leader,
        case=w.fresh(),
        version=w.case.version,
        closed_on=D(2016, 6, 20),
        reason=ClosureReason.MOVED_AWAY,
        summary="The family moved to Wales.",
    )
    page = client.get(reverse("case", args=[w.case.pk])).content.decode()
    assert ">Re-open the case<" in page
    assert ">Close the case<" not in page
    assert "Nothing: the case closed on 20 June 2016." in page
    assert "Moved away" in page


def test_a_colleague_sees_the_case_but_no_actions(client, settings):
    w = world(settings)
    page = signed_in(client, w.colleague).get(reverse("case", args=[w.case.pk]))
    assert page.status_code == 200
    assert "moj-button-menu" not in page.content.decode()


@pytest.mark.parametrize(
    "name",
    [
        "case",
        "case-assessment",
        "case-plan",
        "case-reviews",
        "case-notes",
        "case-history",
        "case-close",
        "case-step-up",
        "case-allocate",
        "case-reopen",
    ],
)
def test_a_case_out_of_scope_is_not_found(client, settings, name):
    w = world(settings)
    assert signed_in(client, w.outsider).get(reverse(name, args=[w.case.pk])).status_code == 404


def test_a_missing_case_is_not_found_and_pages_need_sign_in(client, settings):
    w = world(settings)
    response = client.get(reverse("case", args=[w.case.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert signed_in(client, w.practitioner).get(reverse("case", args=[999999])).status_code == 404


@pytest.mark.parametrize(
    ("name", "who"),
    [
        ("case-close", "colleague"),
        ("case-step-up", "colleague"),
        ("case-allocate", "practitioner"),
        ("case-reopen", "practitioner"),
    ],
)
def test_pages_for_what_the_user_may_not_do_are_forbidden(client, settings, name, who):
    w = world(settings)
    response = signed_in(client, getattr(w, who)).get(reverse(name, args=[w.case.pk]))
    assert response.status_code == 403
    assert "You cannot do this" in response.content.decode()


@pytest.mark.parametrize(
    "name",
    ["case-assessment", "case-plan", "case-reviews", "case-notes", "case-close", "case-step-up"],
)
def test_every_form_carries_a_csrf_token(client, settings, name):
    w = world(settings)
    with_plan(w) if name == "case-reviews" else started(w) if name == "case-plan" else None
    page = signed_in(client, w.practitioner).get(reverse(name, args=[w.case.pk]))
    assert b"csrfmiddlewaretoken" in page.content


def test_a_post_without_the_csrf_token_is_refused(settings):
    w = world(settings)
    client = Client(enforce_csrf_checks=True)
    client.force_login(w.practitioner)
    data = {"occurred_on_0": "29", "occurred_on_1": "6", "occurred_on_2": "2016"}
    data |= {"kind": NoteKind.HOME_VISIT, "text": "Visited."}
    assert client.post(reverse("case-notes", args=[w.case.pk]), data).status_code == 403
    assert not w.case.notes.exists()


# --- history --------------------------------------------------------------------------------


def test_history_tells_what_happened_and_who_held_the_case(client, settings):
    w = world(settings)
    with_plan(w)
    services.case_allocate(
        user=w.leader,
        case=w.fresh(),
        version=w.case.version,
        unit=w.unit,
        worker=w.colleague.worker,
        on=D(2016, 6, 20),
        reason="Pat is on leave.",
    )
    response = signed_in(client, w.leader).get(reverse("case-history", args=[w.case.pk]))
    page = response.content.decode()
    assert "moj-timeline" in page
    assert "Family plan agreed" in page
    assert "Outcomes agreed with the family: Amy is in school every day." in page
    assert "Changed: the voice of the child, the family&#x27;s own view." in page
    assert "Allocated to Cal Other in Unit EHU-N1. Reason: Pat is on leave." in page
    assert f"Opened in Unit EHU-N1, led by {w.practitioner.worker.name}." in page
    assert page.index("Case allocated") < page.index("Case opened")  # the latest first
    assert "Who has held the case" in page
    assert "Case opened</td>" in page
    assert "Pat is on leave.</td>" in page


def _notes(w: World, n: int) -> None:
    for i in range(n):
        services.case_note_add(
            user=w.practitioner,
            case=w.case,
            occurred_on=D(2016, 6, 2 + i % 20),
            kind=NoteKind.PHONE_CALL,
            text=f"Call {i}",
        )


def _reviews(w: World, n: int, *, start: int = 0) -> None:
    """`n` reviews on consecutive days (one review a case a day)."""
    for i in range(start, start + n):
        services.review_record(
            user=w.practitioner,
            case=w.fresh(),
            version=w.case.version,
            review_date=D(2016, 6, 15 + i),
            summary=f"Review {i}",
            scale=i % 11,
        )


def _queries(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize(
    "name",
    ["case", "case-assessment", "case-plan", "case-reviews", "case-notes", "case-history"],
)
def test_case_pages_read_a_constant_number_of_queries(
    client, settings, name, django_assert_max_num_queries
):
    w = world(settings)
    with_plan(w)
    signed_in(client, w.practitioner)
    url = reverse(name, args=[w.case.pk])
    _notes(w, 1)
    _reviews(w, 1)
    few = _queries(client, url)
    _notes(w, 30)
    _reviews(w, 12, start=1)
    for i in range(5):
        plan = Plan.objects.select_related("case").get(case=w.case)
        services.plan_outcome_add(
            user=w.practitioner,
            plan=plan,
            version=plan.version,
            outcome=OutcomeInput(f"Outcome {i}", [ActionInput("Act", "Mum", D(2016, 7, 1))] * 3),
        )
    with django_assert_max_num_queries(few):
        client.get(url)
