"""A household with a whole case history, and the worked example dataset for indicators."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction

from earlyhelp.audit.models import Action
from earlyhelp.audit.services import Actor, Refs, access_record, case_event_record, change_record
from earlyhelp.casework.models import (
    Assessment,
    Case,
    CaseNote,
    Plan,
    PlanAction,
    PlanOutcome,
    Review,
)
from earlyhelp.common.clock import LONDON
from earlyhelp.domain.codes import ConsentPurpose, RoleInFamily, UserRole
from earlyhelp.frontdoor.models import Notification
from earlyhelp.people.models import Family, FamilyConsent, Person
from earlyhelp.testing import factories as f

EXAMPLE = Path(__file__).resolve().parents[4] / "shared" / "spec" / "example"


@dataclass
class Household:
    family: Family
    child: Person
    parent: Person
    notification: Notification
    case: Case
    prac: Any
    manager: Any
    dpo: Any


@pytest.fixture
def household(db, settings) -> Household:
    """Family F in DN1 with Amy (child) and Jane Smith, a closed case with everything."""
    settings.EARLYHELP_TODAY = "2016-06-30"
    the_unit = f.unit("EHU-N1", "DN1", "AN")
    prac = f.practitioner("EHU-N1", "DN1", username="prac")
    manager = f.UserFactory(username="manager", role=UserRole.MANAGER, org_unit=f.district())
    dpo = f.UserFactory(username="dpo", role=UserRole.DATA_PROTECTION_OFFICER, org_unit=f.county())
    family = f.FamilyFactory(
        address_line_1="1 High Street", town="Maidstone", postcode="ME14 1XQ", lsoa_code="E01024444"
    )
    child = f.PersonFactory(
        family=family,
        given_name="Amy",
        family_name="Smith",
        date_of_birth=dt.date(2008, 5, 13),
        nhs_number="9434765919",
        upn="H801200001001",
    )
    parent = f.PersonFactory(
        family=family,
        given_name="Jane",
        family_name="Smith",
        date_of_birth=dt.date(1985, 1, 2),
        role_in_family=RoleInFamily.PARENT_CARER,
    )
    notification = f.NotificationFactory(
        person=child,
        reason="Amy Smith is often late to school",
        referrer_name="Mr Teacher",
        referrer_email="teacher@example.org",
        decision_reason="Needs a family plan",
        triaged_at=dt.datetime(2016, 1, 5, 9, 0, tzinfo=LONDON),
        triage_decision="ASSESS_EHU",
        threshold_level=3,
    )
    case = f.CaseFactory(
        family=family,
        unit=the_unit,
        worker=prac.worker,
        notification=notification,
        opened_on=dt.date(2016, 1, 5),
        assessment_started_on=dt.date(2016, 1, 6),
        plan_agreed_on=dt.date(2016, 2, 1),
        closed_on=dt.date(2016, 5, 1),
        closure_reason="OUTCOMES_ACHIEVED",
        closure_summary="Amy is back at school every day.",
    )
    Assessment.objects.create(
        case=case, started_on=dt.date(2016, 1, 6), child_voice="Amy says she likes art", scale=6
    )
    plan = Plan.objects.create(case=case, agreed_on=dt.date(2016, 2, 1))
    outcome = PlanOutcome.objects.create(plan=plan, description="Amy attends school")
    PlanAction.objects.create(
        outcome=outcome, description="Walk Amy to school", owner="Jane", due_on=dt.date(2016, 3, 1)
    )
    Review.objects.create(
        case=case, review_date=dt.date(2016, 3, 10), summary="Going well", scale=8
    )
    CaseNote.objects.create(
        case=case, occurred_on=dt.date(2016, 2, 2), kind="HOME_VISIT", text="Met Jane at home"
    )
    FamilyConsent.objects.create(
        family=family,
        purpose=ConsentPurpose.SHARE_WITH_SCHOOL,
        given_on=dt.date(2016, 1, 6),
        given_by=parent,
        notes="Jane agreed on the phone",
    )
    actor = Actor(id=prac.pk, name="prac")
    change_record(
        actor=actor,
        instance=child,
        action=Action.UPDATE,
        changes={"given_name": ["Aimee", "Amy"], "sex": ["F", "F"]},
        refs=Refs(family_id=family.pk, person_id=child.pk),
    )
    case_event_record(
        actor=actor,
        kind="CASE_CLOSED",
        occurred_on=dt.date(2016, 5, 1),
        refs=Refs(family_id=family.pk, case_id=case.pk),
        data={"reason": "OUTCOMES_ACHIEVED", "summary": "Amy is back at school every day."},
    )
    access_record(actor=actor, action="VIEW", what="person record", refs=Refs(family.pk, child.pk))
    return Household(family, child, parent, notification, case, prac, manager, dpo)


@pytest.fixture
def example(db, settings) -> Path:
    """The worked example of spec/example imported, and its indicator snapshots computed."""
    if not EXAMPLE.is_dir():
        pytest.skip("spec/example is not available")
    settings.EARLYHELP_TODAY = "2016-06-30"
    with transaction.atomic():
        call_command("import", str(EXAMPLE / "dataset"), stdout=io.StringIO(), stderr=io.StringIO())
        call_command("scorecard", "--recompute", stdout=io.StringIO())
    return EXAMPLE
