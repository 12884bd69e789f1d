"""Merging two records of one person: identifiers, relationships, histories, audit."""

from __future__ import annotations

import datetime as dt

import pytest

from earlyhelp.audit.models import Action, CaseEvent, ChangeRecord
from earlyhelp.audit.services import Actor
from earlyhelp.common.errors import InvalidInput, StaleRecord
from earlyhelp.common.tests.factories import (
    CaseFactory,
    FamilyFactory,
    NotificationFactory,
    PersonFactory,
    UserFactory,
    county,
)
from earlyhelp.domain.codes import RelationshipKind, UserRole
from earlyhelp.domain.events import EventKind
from earlyhelp.people.models import Person, Relationship
from earlyhelp.people.selectors import (
    person_history_ids,
    person_history_map,
    person_match_candidates,
)
from earlyhelp.people.services import person_merge, relationship_add

pytestmark = pytest.mark.django_db

ACTOR = Actor(id=7, name="triage.officer")
NHS_A, NHS_B = "9434765919", "4010232137"
UPN_A = "A801200001001"


@pytest.fixture
def pair() -> tuple[Person, Person]:
    keep = PersonFactory(given_name="William", family_name="Smith", date_of_birth=None)
    duplicate = PersonFactory(
        given_name="Bill",
        family_name="Smith",
        date_of_birth=dt.date(2010, 5, 13),
        nhs_number=NHS_A,
        ethnicity="WBRI",
        family=FamilyFactory(postcode="CT1 2EH"),
    )
    return keep, duplicate


def merge(keep: Person, duplicate: Person, **kw: object) -> Person:
    values = {"version_keep": keep.version, "version_duplicate": duplicate.version, **kw}
    return person_merge(actor=ACTOR, keep=keep, duplicate=duplicate, **values)  # type: ignore[arg-type]


def test_identifiers_the_kept_record_lacks_are_moved(pair) -> None:
    keep, duplicate = pair
    merged = merge(keep, duplicate)
    duplicate.refresh_from_db()
    assert (merged.nhs_number, merged.date_of_birth, merged.ethnicity) == (
        NHS_A,
        dt.date(2010, 5, 13),
        "WBRI",
    )
    assert duplicate.merged_into == merged
    assert duplicate.nhs_number == ""  # moved: unique among unmerged records
    assert duplicate.date_of_birth == dt.date(2010, 5, 13)  # kept on the duplicate's row
    assert (merged.version, duplicate.version) == (keep.version + 1, 2)


def test_the_kept_records_own_identifiers_win(pair) -> None:
    keep, duplicate = pair
    Person.objects.filter(pk=keep.pk).update(date_of_birth=dt.date(2010, 5, 3), upn=UPN_A)
    keep.refresh_from_db()
    merged = merge(keep, duplicate)
    assert merged.date_of_birth == dt.date(2010, 5, 3)
    assert merged.upn == UPN_A
    assert merged.nhs_number == NHS_A


def test_different_nhs_numbers_refuse_the_merge(pair) -> None:
    keep, duplicate = pair
    Person.objects.filter(pk=keep.pk).update(nhs_number=NHS_B)
    keep.refresh_from_db()
    with pytest.raises(InvalidInput) as raised:
        merge(keep, duplicate)
    assert raised.value.field == "nhs_number"
    assert "NHS numbers" in raised.value.message
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None
    assert not ChangeRecord.objects.filter(action=Action.MERGE).exists()


def test_different_upns_refuse_the_merge(pair) -> None:
    keep, duplicate = pair
    Person.objects.filter(pk=keep.pk).update(upn=UPN_A)
    Person.objects.filter(pk=duplicate.pk).update(upn="T801200001002")
    keep.refresh_from_db()
    duplicate.refresh_from_db()
    with pytest.raises(InvalidInput) as raised:
        merge(keep, duplicate)
    assert raised.value.field == "upn"


def test_a_stale_version_is_refused(pair) -> None:
    keep, duplicate = pair
    Person.objects.filter(pk=duplicate.pk).update(version=5, given_name="Billy")
    with pytest.raises(StaleRecord) as raised:
        merge(keep, duplicate)
    assert raised.value.changes["given_name"] == ["Bill", "Billy"]
    with pytest.raises(StaleRecord):
        merge(keep, duplicate, version_keep=keep.version + 1, version_duplicate=5)
    assert Person.objects.get(pk=duplicate.pk).merged_into is None


def test_a_record_cannot_be_merged_twice_or_into_itself(pair) -> None:
    keep, duplicate = pair
    with pytest.raises(InvalidInput) as raised:
        merge(keep, keep)
    assert raised.value.field == "duplicate"
    merge(keep, duplicate)
    duplicate.refresh_from_db()
    other = PersonFactory()
    with pytest.raises(InvalidInput) as raised:
        merge(other, duplicate)
    assert raised.value.field == "duplicate"
    with pytest.raises(InvalidInput) as raised:
        merge(duplicate, other)
    assert raised.value.field == "keep"


def test_relationships_are_re_pointed_and_nothing_is_deleted(pair) -> None:
    keep, duplicate = pair
    parent, sibling = PersonFactory(family=duplicate.family), PersonFactory(family=keep.family)
    to_parent = relationship_add(
        actor=ACTOR, person=parent, other=duplicate, kind=RelationshipKind.PARENT_OF
    )
    between = relationship_add(
        actor=ACTOR, person=duplicate, other=keep, kind=RelationshipKind.OTHER
    )
    relationship_add(actor=ACTOR, person=keep, other=sibling, kind=RelationshipKind.SIBLING_OF)
    twice = relationship_add(
        actor=ACTOR, person=duplicate, other=sibling, kind=RelationshipKind.SIBLING_OF
    )
    merge(keep, duplicate)
    to_parent.refresh_from_db()
    assert (to_parent.person, to_parent.other) == (parent, keep)
    assert Relationship.objects.filter(pk__in=[between.pk, twice.pk]).count() == 2
    assert Relationship.objects.get(pk=twice.pk).person == duplicate  # kept where it was
    assert Relationship.objects.filter(person=keep, other=sibling).count() == 1


def test_both_histories_are_kept(pair) -> None:
    keep, duplicate = pair
    earlier = NotificationFactory(person=duplicate)
    case = CaseFactory(family=duplicate.family, notification=earlier)
    merge(keep, duplicate)
    earlier.refresh_from_db()
    case.refresh_from_db()
    assert earlier.person_id == duplicate.pk
    assert case.family_id == duplicate.family_id
    assert Person.objects.filter(pk=duplicate.pk).exists()
    assert person_history_ids(keep) == sorted([keep.pk, duplicate.pk])


def test_history_follows_merges_at_any_depth(pair) -> None:
    keep, duplicate = pair
    older = PersonFactory(given_name="Will", family_name="Smith")
    merge(duplicate, older)
    duplicate.refresh_from_db()
    merge(keep, duplicate)
    assert person_history_ids(keep) == sorted([keep.pk, duplicate.pk, older.pk])
    assert person_history_ids(older) == [older.pk]
    history = person_history_map([keep.pk, older.pk])
    assert {pid for pid, _ in history[keep.pk]} == {keep.pk, duplicate.pk, older.pk}
    assert {family_id for _, family_id in history[keep.pk]} == {
        keep.family_id,
        duplicate.family_id,
        older.family_id,
    }


def test_the_merge_is_audited(pair) -> None:
    keep, duplicate = pair
    merge(keep, duplicate)
    records = ChangeRecord.objects.filter(action=Action.MERGE, entity="people.person")
    by_person = {r.entity_id: r for r in records}
    assert set(by_person) == {keep.pk, duplicate.pk}
    assert by_person[keep.pk].changes["nhs_number"] == ["", NHS_A]
    assert by_person[keep.pk].changes["merged_from"] == [None, duplicate.pk]
    assert by_person[duplicate.pk].changes["merged_into_id"] == [None, keep.pk]
    assert by_person[keep.pk].actor_name == "triage.officer"
    events = CaseEvent.objects.filter(kind=EventKind.PERSON_MERGED)
    assert {e.family_id for e in events} == {keep.family_id, duplicate.family_id}
    event = events.get(family_id=keep.family_id)
    assert event.person_id == keep.pk
    assert event.data["merged_person_id"] == duplicate.pk
    assert event.data["identifiers_moved"] == ["nhs_number", "date_of_birth", "ethnicity"]


def test_after_a_merge_matching_returns_the_kept_record_only(pair) -> None:
    keep, duplicate = pair
    merge(keep, duplicate)
    triage = UserFactory(role=UserRole.TRIAGE_OFFICER, org_unit=county())
    found = person_match_candidates(
        user=triage, given_name="Bill", family_name="Smith", date_of_birth=dt.date(2010, 5, 13)
    )
    assert [m.person.pk for m in found] == [keep.pk]
    assert found[0].score >= 85  # the kept record now has the date of birth
