"""Writes to people and families."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from earlyhelp.audit.models import Action
from earlyhelp.audit.services import Actor, Refs, change_record, diff, snapshot
from earlyhelp.common import clock
from earlyhelp.common.errors import InvalidInput, StaleRecord
from earlyhelp.common.validation import as_invalid_input, full_clean_or_raise
from earlyhelp.domain import identifiers
from earlyhelp.domain.codes import OrgKind
from earlyhelp.domain.errors import InvalidIdentifier
from earlyhelp.domain.matching import phonetic_key
from earlyhelp.organisation.models import OrgUnit
from earlyhelp.people.models import Family, Person, Relationship

PERSON_FIELDS = (
    "given_name",
    "family_name",
    "date_of_birth",
    "sex",
    "role_in_family",
    "ethnicity",
    "upn",
    "nhs_number",
)
FAMILY_FIELDS = ("district", "address_line_1", "address_line_2", "town", "postcode", "lsoa_code")


def _next_ref(model: type[Family] | type[Person], field: str, prefix: str) -> str:
    last = model.objects.filter(**{f"{field}__startswith": prefix}).order_by(f"-{field}").first()
    number = int(getattr(last, field)[len(prefix) :]) + 1 if last else 1
    return f"{prefix}{number:07d}"


def _normalise_family(values: dict[str, object]) -> dict[str, object]:
    district = values.get("district")
    if isinstance(district, OrgUnit) and district.kind != OrgKind.DISTRICT:
        raise InvalidInput({"district": ["Choose the district the family lives in."]})
    try:
        if values.get("postcode"):
            values["postcode"] = identifiers.normalise_postcode(str(values["postcode"]))
        if values.get("lsoa_code"):
            values["lsoa_code"] = identifiers.validate_lsoa(str(values["lsoa_code"]))
    except InvalidIdentifier as error:
        raise as_invalid_input(error) from error
    return values


def _normalise_person(values: dict[str, object]) -> dict[str, object]:
    for name in ("given_name", "family_name"):
        if name in values:
            values[name] = " ".join(str(values[name]).split())
    dob = values.get("date_of_birth")
    if isinstance(dob, date) and dob > clock.today():
        raise InvalidInput({"date_of_birth": ["Date of birth must be today or in the past."]})
    try:
        if values.get("nhs_number"):
            values["nhs_number"] = identifiers.normalise_nhs_number(str(values["nhs_number"]))
        if values.get("upn"):
            values["upn"] = identifiers.normalise_upn(str(values["upn"]))
    except InvalidIdentifier as error:
        raise as_invalid_input(error) from error
    return values


def _set_keys(person: Person) -> None:
    person.given_name_key = phonetic_key(person.given_name)
    person.family_name_key = phonetic_key(person.family_name)


@transaction.atomic
def family_create(*, actor: Actor, district: OrgUnit, **fields: object) -> Family:
    values = _normalise_family({"district": district, **fields})
    family = Family(family_ref=_next_ref(Family, "family_ref", "F"), **values)
    family.created_by_id = family.updated_by_id = actor.id
    full_clean_or_raise(family)
    family.save()
    change_record(actor=actor, instance=family, action=Action.CREATE, refs=Refs(family.pk))
    return family


@transaction.atomic
def family_update(*, actor: Actor, family: Family, version: int, **fields: object) -> Family:
    values = _normalise_family(fields)
    locked = Family.objects.select_for_update().get(pk=family.pk)
    before = snapshot(locked)
    if locked.version != version:
        raise StaleRecord(what="family", changes=diff(snapshot(family), before))
    for name, value in values.items():
        if name not in FAMILY_FIELDS:
            raise InvalidInput({name: [f"'{name}' cannot be changed here."]})
        setattr(locked, name, value)
    locked.version += 1
    locked.updated_by_id = actor.id
    full_clean_or_raise(locked)
    locked.save()
    changes = diff(before, snapshot(locked))
    change_record(
        actor=actor, instance=locked, action=Action.UPDATE, changes=changes, refs=Refs(locked.pk)
    )
    return locked


@transaction.atomic
def person_create(*, actor: Actor, family: Family, **fields: object) -> Person:
    values = _normalise_person(dict(fields))
    person = Person(person_ref=_next_ref(Person, "person_ref", "P"), family=family, **values)
    _set_keys(person)
    person.created_by_id = person.updated_by_id = actor.id
    full_clean_or_raise(person)
    person.save()
    change_record(
        actor=actor,
        instance=person,
        action=Action.CREATE,
        refs=Refs(family_id=family.pk, person_id=person.pk),
    )
    return person


@transaction.atomic
def person_update(*, actor: Actor, person: Person, version: int, **fields: object) -> Person:
    values = _normalise_person(dict(fields))
    locked = Person.objects.select_for_update().get(pk=person.pk)
    before = snapshot(locked)
    if locked.version != version:
        raise StaleRecord(what="person's record", changes=diff(snapshot(person), before))
    for name, value in values.items():
        if name not in PERSON_FIELDS and name != "family":
            raise InvalidInput({name: [f"'{name}' cannot be changed here."]})
        setattr(locked, name, value)
    _set_keys(locked)
    locked.version += 1
    locked.updated_by_id = actor.id
    full_clean_or_raise(locked)
    locked.save()
    change_record(
        actor=actor,
        instance=locked,
        action=Action.UPDATE,
        changes=diff(before, snapshot(locked)),
        refs=Refs(family_id=locked.family_id, person_id=locked.pk),
    )
    return locked


@transaction.atomic
def relationship_add(*, actor: Actor, person: Person, other: Person, kind: str) -> Relationship:
    if person.pk == other.pk:
        raise InvalidInput({"other": ["A person cannot be related to themselves."]})
    relationship = Relationship(person=person, other=other, kind=kind)
    relationship.created_by_id = actor.id
    full_clean_or_raise(relationship)
    relationship.save()
    change_record(
        actor=actor,
        instance=relationship,
        action=Action.CREATE,
        refs=Refs(family_id=person.family_id, person_id=person.pk),
    )
    return relationship
