"""Retention: the rules, the dry run, and anonymising without changing any indicator."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from earlyhelp.audit.models import REDACTED, AccessLog, Action, CaseEvent, ChangeRecord
from earlyhelp.audit.services import SYSTEM
from earlyhelp.casework.models import Assessment, CaseNote, PlanAction
from earlyhelp.dataprotection.anonymise import PLACEHOLDER, family_anonymise
from earlyhelp.dataprotection.conf import RetentionRules
from earlyhelp.dataprotection.retention import (
    Facts,
    add_years,
    decide,
    retention_due,
)
from earlyhelp.frontdoor.models import Notification
from earlyhelp.people.models import Family, FamilyConsent, Person

pytestmark = pytest.mark.django_db

days = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2030, 12, 31))
rules = st.builds(
    RetentionRules,
    years_after_closure=st.one_of(st.none(), st.integers(1, 30)),
    age_of_youngest=st.one_of(st.none(), st.integers(18, 30)),
    combine=st.sampled_from(["all", "any"]),
)
facts = st.builds(
    Facts,
    last_closed_on=st.one_of(st.none(), days),
    last_notified_on=st.one_of(st.none(), days),
    youngest_child_born=st.one_of(st.none(), days),
    active=st.booleans(),
)


@given(facts=facts, rules=rules)
def test_the_due_date_is_the_later_or_sooner_of_the_rules(facts, rules) -> None:
    decision = decide(facts, rules)
    if facts.active:
        assert decision.due_on is None
        return
    dates = []
    if rules.years_after_closure:
        since = facts.last_activity
        dates.append(add_years(since, rules.years_after_closure) if since else None)
    if rules.age_of_youngest:
        born = facts.youngest_child_born
        dates.append(add_years(born, rules.age_of_youngest) if born else None)
    known = [d for d in dates if d]
    if rules.combine == "all":
        expected = max(known) if dates and len(known) == len(dates) else None
    else:
        expected = min(known) if known else None
    assert decision.due_on == expected
    assert len(decision.reasons) == len(dates)


@given(day=days, years=st.integers(0, 40))
def test_an_anniversary_is_on_the_same_day_or_the_first_of_march(day, years) -> None:
    later = add_years(day, years)
    assert later.year == day.year + years
    assert (later.month, later.day) in {(day.month, day.day), (3, 1)}


def test_the_dry_run_lists_the_families_due_with_the_reason(household, settings) -> None:
    settings.EARLYHELP_RETENTION_YEARS_AFTER_CLOSURE = "6"
    settings.EARLYHELP_RETENTION_AGE_OF_YOUNGEST = "25"
    assert retention_due() == []
    settings.EARLYHELP_TODAY = "2033-05-13"  # Amy is 25; the case closed 17 years before
    due = retention_due()
    assert [d.family_ref for d in due] == [household.family.family_ref]
    assert due[0].due_on == dt.date(2033, 5, 13)
    assert "youngest child 25 on 13 May 2033" in due[0].reason
    assert "6 years after the last case closed (1 May 2016)" in due[0].reason
    out = io.StringIO()
    call_command("retention", "--dry-run", stdout=out)
    assert household.family.family_ref in out.getvalue()
    assert "1 families due" in out.getvalue()
    assert Person.objects.filter(given_name="Amy").exists()  # the dry run changes nothing


def test_an_open_case_holds_a_family_back(household, settings) -> None:
    settings.EARLYHELP_TODAY = "2040-01-01"
    household.case.closed_on = None
    household.case.closure_reason = ""
    household.case.save()
    assert retention_due() == []


def test_anonymising_replaces_personal_data_and_redacts_the_audit(household, settings) -> None:
    settings.EARLYHELP_TODAY = "2033-05-13"
    access_before = list(AccessLog.objects.values())
    out = io.StringIO()
    call_command("retention", "--apply", stdout=out)
    assert "1 families anonymised" in out.getvalue()
    family = Family.objects.get(pk=household.family.pk)
    assert family.anonymised_on == dt.date(2033, 5, 13)
    assert (family.address_line_1, family.town, family.postcode) == ("", "", "")
    assert family.lsoa_code == "E01024444"
    child = Person.objects.get(pk=household.child.pk)
    assert (child.given_name, child.family_name) == ("Anonymised", child.person_ref)
    assert (child.nhs_number, child.upn, child.date_of_birth) == ("", "", dt.date(2008, 1, 1))
    notification = Notification.objects.get(pk=household.notification.pk)
    assert notification.reason == PLACEHOLDER
    assert (notification.referrer_email, notification.triage_decision) == ("", "ASSESS_EHU")
    assert notification.what_has_been_tried == ""  # empty stays empty
    assert Assessment.objects.get().child_voice == PLACEHOLDER
    assert Assessment.objects.get().scale == 6
    assert PlanAction.objects.get().owner == PLACEHOLDER
    assert CaseNote.objects.get().text == PLACEHOLDER
    assert FamilyConsent.objects.get().notes == PLACEHOLDER
    case = household.case
    case.refresh_from_db()
    assert (case.closure_summary, case.closure_reason) == (PLACEHOLDER, "OUTCOMES_ACHIEVED")
    change = ChangeRecord.objects.get(entity="people.person", action=Action.UPDATE)
    assert change.changes == {"given_name": [REDACTED, REDACTED], "sex": ["F", "F"]}
    event = CaseEvent.objects.get(kind="CASE_CLOSED")
    assert event.data == {"reason": "OUTCOMES_ACHIEVED", "summary": REDACTED}
    assert list(AccessLog.objects.values()) == access_before
    assert ChangeRecord.objects.filter(action=Action.ANONYMISE, family_id=family.pk).exists()
    everything = str(list(Person.objects.values())) + str(list(Notification.objects.values()))
    everything += str(list(ChangeRecord.objects.values())) + str(list(CaseEvent.objects.values()))
    for text in ("Amy", "Jane", "Smith", "1 High Street", "ME14", "9434765919", "teacher@"):
        assert text not in everything
    assert family_anonymise(actor=SYSTEM, family_id=family.pk, reason="again") is None
