"""Matches at the front door with their families' casework history."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from earlyhelp.audit.services import Actor
from earlyhelp.casework.selectors_matching import (
    MatchWithHistory,
    OpenCase,
    PastEpisode,
    person_matches_with_history,
)
from earlyhelp.common.tests.factories import (
    CaseFactory,
    FamilyFactory,
    NotificationFactory,
    PersonFactory,
    UserFactory,
    WorkerFactory,
    county,
    district,
    practitioner,
    unit,
)
from earlyhelp.domain.codes import ClosureReason, UserRole
from earlyhelp.people.models import Person
from earlyhelp.people.services import person_merge

pytestmark = pytest.mark.django_db

DOB = dt.date(2010, 5, 13)


@pytest.fixture
def triage():
    return UserFactory(role=UserRole.TRIAGE_OFFICER, org_unit=county())


def child(**kw: object) -> Person:
    return PersonFactory(given_name="William", family_name="Smith", date_of_birth=DOB, **kw)


def search(user, **kw) -> list[MatchWithHistory]:
    values = {"given_name": "William", "family_name": "Smith", "date_of_birth": DOB}
    values |= {"postcode": "ME14 1XQ", **kw}
    return person_matches_with_history(user=user, **values)


def closed_case(family, unit_code="EHU-N1", district_code="DN1", **kw):
    return CaseFactory(
        family=family,
        unit=unit(unit_code, district_code),
        opened_on=dt.date(2014, 2, 3),
        closed_on=dt.date(2014, 9, 1),
        closure_reason=ClosureReason.OUTCOMES_ACHIEVED,
        **kw,
    )


def test_open_cases_past_episodes_and_notifications(triage) -> None:
    person = child()
    worker = WorkerFactory(unit=unit("EHU-N1", "DN1"), name="Ada Worker")
    open_case = CaseFactory(family=person.family, unit=worker.unit, worker=worker)
    past = closed_case(person.family)
    sibling = PersonFactory(family=person.family, given_name="Zoe")
    NotificationFactory(person=person)
    NotificationFactory(person=sibling)
    [match] = search(triage)
    assert (match.person_id, match.score, match.family_ref) == (
        person.pk,
        100,
        person.family.family_ref,
    )
    assert match.open_cases == (
        OpenCase(
            open_case.pk, open_case.case_ref, "Unit EHU-N1", "Ada Worker", open_case.opened_on
        ),
    )
    assert match.past_episodes == (
        PastEpisode(
            past.pk,
            past.case_ref,
            "Unit EHU-N1",
            dt.date(2014, 2, 3),
            dt.date(2014, 9, 1),
            ClosureReason.OUTCOMES_ACHIEVED,
        ),
    )
    assert (match.family_notifications, match.person_notifications) == (2, 1)


def test_no_history_is_empty_not_missing(triage) -> None:
    child()
    [match] = search(triage)
    assert (match.open_cases, match.past_episodes) == ((), ())
    assert match.family_notifications == match.person_notifications == 0


def test_a_triage_officer_sees_history_county_wide(triage) -> None:
    south = FamilyFactory(district=district("DS1", "AS"))
    person = child(family=south)
    CaseFactory(family=south, unit=unit("EHU-S1", "DS1"))
    [match] = search(triage)
    assert match.person_id == person.pk
    assert [c.unit_name for c in match.open_cases] == ["Unit EHU-S1"]


def test_other_roles_see_only_their_scope() -> None:
    person = child()
    CaseFactory(family=person.family, unit=unit("EHU-N1", "DN1"))
    assert search(practitioner("EHU-S1", "DS1")) == []
    [match] = search(practitioner("EHU-N1", "DN1"))
    assert len(match.open_cases) == 1
    assert search(UserFactory(role=UserRole.ANALYST, org_unit=county())) == []


def test_history_includes_records_merged_into_the_match(triage) -> None:
    person = child()
    other_family = FamilyFactory(district=district("DS1", "AS"), postcode="CT1 2EH")
    duplicate = PersonFactory(given_name="Bill", family_name="Smith", family=other_family)
    old = closed_case(other_family, "EHU-S1", "DS1")
    NotificationFactory(person=duplicate)
    person_merge(
        actor=Actor(id=None, name="test"),
        keep=person,
        duplicate=duplicate,
        version_keep=person.version,
        version_duplicate=duplicate.version,
    )
    [match] = search(triage)
    assert [e.case_ref for e in match.past_episodes] == [old.case_ref]
    assert (match.family_notifications, match.person_notifications) == (1, 1)
    # A practitioner whose scope holds the kept family but not the duplicate's sees only
    # the kept family's history.
    CaseFactory(family=person.family, unit=unit("EHU-N1", "DN1"))
    [match] = search(practitioner("EHU-N1", "DN1"))
    assert match.past_episodes == ()
    assert len(match.open_cases) == 1
    assert match.family_notifications == 0


def _grow(count: int) -> None:
    for n in range(count):
        person = child(family=FamilyFactory())
        CaseFactory(family=person.family, unit=unit("EHU-N1", "DN1"))
        closed_case(person.family)
        NotificationFactory(person=person)
        duplicate = PersonFactory(given_name="Billy", family_name="Smith", date_of_birth=None)
        Person.objects.filter(pk=duplicate.pk).update(merged_into=person)
        NotificationFactory(person=duplicate)
        if n % 2:
            closed_case(duplicate.family, "EHU-S1", "DS1")


@pytest.mark.parametrize("role", [UserRole.TRIAGE_OFFICER, UserRole.PRACTITIONER])
def test_a_constant_number_of_queries(role) -> None:
    user = (
        UserFactory(role=role, org_unit=county())
        if role == UserRole.TRIAGE_OFFICER
        else practitioner("EHU-N1", "DN1")
    )
    _grow(2)
    with CaptureQueriesContext(connection) as few:
        assert len(search(user, limit=50)) == 2
    _grow(12)
    with CaptureQueriesContext(connection) as many:
        found = search(user, limit=50)
    assert len(found) == 14
    assert len(many) == len(few) <= 10
    assert all(m.open_cases and m.past_episodes for m in found)
    # The duplicates' families are outside a practitioner's scope: their notifications too.
    seen = 2 if role == UserRole.TRIAGE_OFFICER else 1
    assert all(m.person_notifications == seen for m in found)
