"""Matching at the front door against the database: blocking, scope, ranking, queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from earlyhelp.common.errors import InvalidInput
from earlyhelp.common.tests.factories import (
    CaseFactory,
    FamilyFactory,
    PersonFactory,
    UserFactory,
    county,
    district,
    practitioner,
    unit,
)
from earlyhelp.domain.codes import UserRole
from earlyhelp.domain.matching import MATCH_THRESHOLD, MatchQuery, blocking_keys
from earlyhelp.people.models import Person
from earlyhelp.people.selectors import blocked_people, person_match_candidates

pytestmark = pytest.mark.django_db

DOB = dt.date(2010, 5, 13)


@pytest.fixture
def triage():
    return UserFactory(role=UserRole.TRIAGE_OFFICER, org_unit=county())


def person(given: str, surname: str, dob: dt.date | None = DOB, **kw: object) -> Person:
    return PersonFactory(given_name=given, family_name=surname, date_of_birth=dob, **kw)


def search(user, given="William", family="Smith", dob=DOB, postcode="ME14 1XQ", **kw):
    return person_match_candidates(
        user=user,
        given_name=given,
        family_name=family,
        date_of_birth=dob,
        postcode=postcode,
        **kw,
    )


def test_matches_are_ranked_best_first(triage) -> None:
    exact = person("William", "Smith")
    nickname = person("Bill", "Smith")
    typo = person("Wiliam", "Smyth", family=FamilyFactory(postcode="CT1 2EH"))
    person("John", "Smith", dt.date(2001, 1, 9))  # a different person: below the threshold
    person("Sarah", "Jones")  # same date of birth only
    found = search(triage)
    assert [m.person for m in found] == [exact, nickname, typo]
    assert found[0].score == 100
    assert found[1].reasons[0] == "nickname: William → Bill"
    assert all(m.score >= MATCH_THRESHOLD for m in found)
    assert search(triage, limit=1)[0].person == exact


def test_found_by_nickname_swapped_names_and_no_date_of_birth(triage) -> None:
    stored_as_bill = person("Bill", "Smith", None)
    swapped = person("Smith", "William", None, family=FamilyFactory(postcode="DA1 1DX"))
    found = {m.person: m for m in search(triage, dob=None, postcode=None)}
    assert set(found) == {stored_as_bill, swapped}
    assert "given and family names swapped" in found[swapped].reasons


def test_each_blocking_key_finds_its_records() -> None:
    elsewhere = {"family": FamilyFactory(postcode="CT1 2EH")}
    by_names = person("Billy", "Smith", None, **elsewhere)
    by_swapped_names = person("Smith", "Liam", None, **elsewhere)
    by_dob = person("Zara", "Okafor", dt.date(2010, 5, 3), **elsewhere)
    by_swapped_dob = person("Zara", "Okafor", dt.date(2010, 3, 5), **elsewhere)
    by_postcode = person("Zara", "Okafor", None, family=FamilyFactory(postcode="ME14 1XQ"))
    person("Zara", "Okafor", None, **elsewhere)  # nothing shared
    person("Billy", "Okafor", dt.date(2010, 5, 4), **elsewhere)  # one name only
    by_names_near_dob = person("Will", "Smith", dt.date(2011, 5, 3), **elsewhere)
    person("Will", "Smith", dt.date(2001, 9, 22), **elsewhere)  # names, but a far birth date
    keys = blocking_keys(MatchQuery("William", "Smith", dt.date(2010, 5, 3), "me14 1xq"))
    assert set(blocked_people(keys)) == {
        by_names,
        by_names_near_dob,
        by_swapped_names,
        by_dob,
        by_swapped_dob,
        by_postcode,
    }
    without_dob = blocking_keys(MatchQuery("William", "Smith"))
    assert Person.objects.filter(given_name="Will").count() == 2
    assert set(blocked_people(without_dob)) == set(
        Person.objects.filter(family_name="Smith").exclude(given_name="Smith")
    ) | {by_swapped_names}


def test_a_date_of_birth_with_day_and_month_swapped_is_found(triage) -> None:
    swapped = person("William", "Smith", dt.date(2010, 3, 5), family=FamilyFactory(postcode=""))
    [match] = search(triage, given="Will", family="Smyth", dob=dt.date(2010, 5, 3), postcode=None)
    assert match.person == swapped
    assert "date of birth day and month swapped" in match.reasons


def test_a_practitioner_sees_only_families_in_their_scope() -> None:
    north = person("William", "Smith")  # a family living in district DN1
    south = person("William", "Smith", family=FamilyFactory(district=district("DS1", "AS")))
    in_north, in_south = practitioner("EHU-N1", "DN1"), practitioner("EHU-S1", "DS1")
    CaseFactory(family=south.family, unit=unit("EHU-S1", "DS1"))
    assert search(in_north) == []
    assert [m.person for m in search(in_south)] == [south]
    # A family with a case held by the practitioner's unit is in scope wherever it lives.
    CaseFactory(family=north.family, unit=unit("EHU-S1", "DS1"))
    assert {m.person for m in search(in_south)} == {north, south}


def test_a_district_manager_sees_families_living_in_the_district() -> None:
    north = person("William", "Smith")
    person("William", "Smith", family=FamilyFactory(district=district("DS1", "AS")))
    manager = UserFactory(role=UserRole.MANAGER, org_unit=district("DN1"))
    assert [m.person for m in search(manager)] == [north]


def test_a_triage_officer_sees_the_whole_county_but_no_restricted_family(triage) -> None:
    north = person("William", "Smith")
    south = person("William", "Smith", family=FamilyFactory(district=district("DS1", "AS")))
    person("William", "Smith", family=FamilyFactory(restricted=True))
    assert {m.person for m in search(triage)} == {north, south}


def test_roles_without_a_scope_see_nothing() -> None:
    person("William", "Smith")
    for role in (UserRole.ANALYST, UserRole.PARTNER, UserRole.ADMINISTRATOR):
        assert search(UserFactory(role=role, org_unit=county())) == []


def test_a_merged_record_stands_for_its_survivor(triage) -> None:
    survivor = person("William", "Smith", family=FamilyFactory(postcode="CT1 2EH"))
    middle = person("Billy", "Smyth", None, merged_into=survivor)
    old = person("Liam", "Smithe", dt.date(2009, 1, 1), merged_into=middle)
    [match] = search(triage, given="Billy", family="Smyth", dob=None, postcode="ME14 1XQ")
    assert match.person == survivor
    assert "matches a record merged into this one" in match.reasons
    # Found through a record merged twice over, too.
    [match] = search(triage, given="Liam", family="Smithe", dob=dt.date(2009, 1, 1), postcode=None)
    assert match.person == survivor
    assert old not in [m.person for m in search(triage)]


def test_a_search_needs_a_name(triage) -> None:
    with pytest.raises(InvalidInput) as raised:
        search(triage, given=" ", family="")
    assert raised.value.field == "family_name"


def _count_queries(user) -> int:
    with CaptureQueriesContext(connection) as queries:
        search(user)
        search(user, given="Liam", family="Smithe", dob=None)
    return len(queries)


def _people(count: int, *, start: int) -> None:
    """People sharing the search's name keys, date of birth or postcode, and others."""
    for n in range(start, start + count):
        family = FamilyFactory(postcode="ME14 1XQ" if n % 3 == 0 else "CT1 2EH")
        if n % 2:
            CaseFactory(family=family, unit=unit("EHU-N1", "DN1"))
        kept = person("William" if n % 2 else "Billy", "Smith", DOB, family=family)
        person("Liam", "Smithe", None, family=family, merged_into=kept)
        person("Zoe", "Patel", dt.date(2012, 1, 1 + n % 28), family=family)


@pytest.mark.parametrize("role", [UserRole.TRIAGE_OFFICER, UserRole.PRACTITIONER])
def test_the_number_of_queries_does_not_grow_with_people(role) -> None:
    user = (
        UserFactory(role=role, org_unit=county())
        if role == UserRole.TRIAGE_OFFICER
        else practitioner("EHU-N1", "DN1")
    )
    _people(3, start=0)
    few = _count_queries(user)
    assert search(user)
    _people(30, start=3)
    assert _count_queries(user) == few
    assert few <= 12  # two searches: five queries each at most, one more for the org tree


def test_the_blocking_lookup_uses_indexes() -> None:
    """Never a scan of the person table, however the planner would cost a small one."""
    person("William", "Smith")
    keys = blocking_keys(MatchQuery("William", "Smith", DOB, "ME14 1XQ"))
    queryset = blocked_people(keys)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
        plan = queryset.explain()
        assert "Seq Scan on people_person" not in plan
    else:
        plan = queryset.explain()
        assert "SCAN people_person" not in plan.replace("SCAN people_person USING", "")
    assert "people_person" in plan
