"""Reads of people and families, within the user's scope."""

from __future__ import annotations

from django.db.models import QuerySet

from earlyhelp.common.errors import NotFound
from earlyhelp.organisation.models import User
from earlyhelp.people.models import Family, Person, Relationship
from earlyhelp.people.policies import family_scope, person_scope


def family_list(*, user: User) -> QuerySet[Family]:
    return Family.objects.filter(family_scope(user)).select_related("district")


def family_get(*, user: User, family_id: int) -> Family:
    family = family_list(user=user).filter(pk=family_id).first()
    if family is None:
        raise NotFound("family")
    return family


def person_list(*, user: User) -> QuerySet[Person]:
    return Person.objects.filter(person_scope(user)).select_related("family")


def person_get(*, user: User, person_id: int) -> Person:
    person = person_list(user=user).filter(pk=person_id).first()
    if person is None:
        raise NotFound("person")
    return person


def family_members(*, user: User, family_id: int) -> QuerySet[Person]:
    family = family_get(user=user, family_id=family_id)
    return family.members.filter(merged_into__isnull=True).order_by("date_of_birth", "pk")


def relationships_of(*, user: User, person_id: int) -> QuerySet[Relationship]:
    person = person_get(user=user, person_id=person_id)
    return Relationship.objects.filter(person=person).select_related("other")
