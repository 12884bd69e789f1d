"""`earlyhelp casework …` drives the pathway through the services."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from earlyhelp.casework.models import Case
from earlyhelp.testing import factories as f

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command("casework", *args, stdout=out)
    return out.getvalue()


def test_notification_to_closure_from_the_command_line(triage, practitioner, unit_n1, today):
    child = f.PersonFactory(family=f.FamilyFactory(district=f.district("DN1", "AN")))
    out = run(
        "notify",
        "--as",
        "triage",
        "--person",
        child.person_ref,
        "--source",
        "SCHOOL",
        "--reason",
        "Attendance 70%",
    )
    ref = out.split()[0]
    out = run(
        "triage",
        "--as",
        "triage",
        ref,
        "--level",
        "3",
        "--decision",
        "ASSESS_EHU",
        "--unit",
        unit_n1.code,
        "--worker",
        practitioner.worker.code,
    )
    case = Case.objects.get()
    assert case.case_ref in out
    run("start-assessment", "--as", "prac", case.case_ref)
    with pytest.raises(CommandError, match="family_view: Record this"):
        run("complete-assessment", "--as", "prac", case.case_ref)
    run(
        "assess",
        "--as",
        "prac",
        case.case_ref,
        "--family-view",
        "Mornings are hard",
        "--child-voice",
        "I want to see my friends",
        "--scale",
        "4",
    )
    run("complete-assessment", "--as", "prac", case.case_ref)
    run(
        "plan",
        "--as",
        "prac",
        case.case_ref,
        "--outcome",
        "In school every day",
        "--action",
        "Morning routine chart|Mum|2016-06-20",
    )
    run("review", "--as", "prac", case.case_ref, "--summary", "Better")
    run("note", "--as", "prac", case.case_ref, "--text", "Home visit, all well")
    out = run(
        "close",
        "--as",
        "prac",
        case.case_ref,
        "--reason",
        "OUTCOMES_ACHIEVED",
        "--summary",
        "Attending every day",
    )
    assert "closed" in out
    case.refresh_from_db()
    assert case.assessment_started_on == today
    assert case.plan.outcomes.get().actions.get().owner == "Mum"
    assert (case.closed_on, case.closure_reason) == (today, "OUTCOMES_ACHIEVED")


def test_refusals_name_the_field(triage, practitioner, unit_n1, today):
    case = f.CaseFactory(unit=unit_n1, worker=practitioner.worker, opened_on=dt.date(2016, 6, 1))
    with pytest.raises(CommandError, match="agreed_on: A family plan cannot be agreed before"):
        run("plan", "--as", "prac", case.case_ref, "--outcome", "Calmer mornings")
    with pytest.raises(CommandError, match="--as: no active user"):
        run("worklist", "--as", "nobody")


def test_worklist_and_due(practitioner, unit_n1, today):
    case = f.CaseFactory(unit=unit_n1, worker=practitioner.worker, opened_on=dt.date(2016, 5, 1))
    out = run("worklist", "--as", "prac")
    assert case.case_ref in out
    assert "overdue" in out
    assert "NO_PLAN_BY_DEADLINE" in run("due", "--as", "prac", case.case_ref)
