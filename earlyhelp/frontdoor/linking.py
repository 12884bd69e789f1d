"""Writes at the front door that tie a notification to the right child and family.

A triage officer either links a notification to a child already known (one of the
candidate matches) or keys a notification about a child not yet known, recording the
child and their family in the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from django.db import transaction

from earlyhelp.audit.models import Action
from earlyhelp.audit.services import (
    Actor,
    Refs,
    case_event_record,
    change_record,
    diff,
    snapshot,
)
from earlyhelp.common import clock
from earlyhelp.common.errors import InvalidInput, NotFound, PermissionRefused
from earlyhelp.common.locking import bump, lock_current
from earlyhelp.common.validation import full_clean_or_raise
from earlyhelp.domain.codes import OrgKind, RoleInFamily
from earlyhelp.domain.events import EventKind
from earlyhelp.frontdoor.models import Notification
from earlyhelp.frontdoor.policies import may_triage
from earlyhelp.frontdoor.services import notification_create
from earlyhelp.organisation.models import OrgUnit, User
from earlyhelp.people import services as people
from earlyhelp.people.models import Person
from earlyhelp.people.policies import person_scope

# The case event of a notification moved to another child's record (not in `EventKind`
# yet: the timeline shows its title from the code until it is).
NOTIFICATION_PERSON_LINKED = EventKind.NOTIFICATION_PERSON_LINKED


def _check_person(user: User, person: Person) -> None:
    if not Person.objects.filter(person_scope(user), pk=person.pk).exists():
        raise NotFound("person")
    if person.merged_into_id is not None:
        raise InvalidInput(
            {"person": ["That record was merged into another: link to the record kept."]}
        )


@transaction.atomic
def notification_link_person(
    *, user: User, notification: Notification, version: int, person: Person
) -> Notification:
    """Point a pending notification at a known child (and that child's family).

    Only while the notification waits for triage: once triaged, the decision was made
    about the child it named. The record it named before is left as it is (merge it into
    the known one if it is a duplicate).
    """
    if not may_triage(user):
        raise PermissionRefused("Only triage officers link notifications to known children.")
    _check_person(user, person)
    current = lock_current(
        Notification, pk=notification.pk, version=version, what="notification", seen=notification
    )
    if not current.is_pending:
        raise InvalidInput(
            {"person": ["This notification has been triaged: the child it is about is settled."]}
        )
    if current.person_id == person.pk:
        raise InvalidInput({"person": ["The notification is already about this child."]})
    before = snapshot(current)
    was = Refs(family_id=current.family_id, person_id=current.person_id, notification_id=current.pk)
    was_ref = current.person.person_ref
    current.person = person
    current.family_id = person.family_id
    bump(current, user_id=user.pk)
    full_clean_or_raise(current)
    current.save()
    actor = Actor.of(user)
    now = Refs(family_id=person.family_id, person_id=person.pk, notification_id=current.pk)
    change_record(
        actor=actor,
        instance=current,
        action=Action.UPDATE,
        changes=diff(before, snapshot(current)),
        refs=now,
    )
    data = {"ref": current.notification_ref, "from": was_ref, "to": person.person_ref}
    for refs in [now] if was.family_id == now.family_id else [now, was]:
        case_event_record(
            actor=actor,
            kind=NOTIFICATION_PERSON_LINKED,
            occurred_on=clock.today(),
            refs=refs,
            data=data,
        )
    return current


@dataclass(frozen=True, slots=True)
class NewChild:
    """A child not known yet, and the household they live in."""

    given_name: str
    family_name: str
    date_of_birth: date | None
    sex: str
    district: OrgUnit
    postcode: str
    address_line_1: str = ""
    town: str = ""


def _check_child(child: NewChild) -> None:
    errors: dict[str, list[str]] = {}
    if not child.given_name.strip():
        errors["given_name"] = ["Enter the child's given name."]
    if not child.family_name.strip():
        errors["family_name"] = ["Enter the child's family name."]
    if child.date_of_birth is not None and child.date_of_birth > clock.today():
        errors["date_of_birth"] = ["The child's date of birth must be today or in the past."]
    if child.district.kind != OrgKind.DISTRICT:
        errors["district"] = ["Choose the district the family lives in."]
    if errors:
        raise InvalidInput(errors)


@transaction.atomic
def notification_create_for_new_child(
    *,
    user: User,
    child: NewChild,
    received_at: datetime,
    source: str,
    category: str,
    reason: str,
    what_has_been_tried: str = "",
    family_consent: bool | None = None,
    referrer_name: str = "",
    referrer_organisation: str = "",
    referrer_email: str = "",
    referrer_phone: str = "",
) -> Notification:
    """Record a new family and child and the notification about the child: all or nothing."""
    if not may_triage(user):
        raise PermissionRefused("Only triage officers key notifications about new children.")
    _check_child(child)
    actor = Actor.of(user)
    family = people.family_create(
        actor=actor,
        district=child.district,
        postcode=child.postcode,
        address_line_1=child.address_line_1.strip(),
        town=child.town.strip(),
    )
    person = people.person_create(
        actor=actor,
        family=family,
        given_name=child.given_name,
        family_name=child.family_name,
        date_of_birth=child.date_of_birth,
        sex=child.sex,
        role_in_family=RoleInFamily.CHILD,
    )
    return notification_create(
        user=user,
        person=person,
        received_at=received_at,
        source=source,
        category=category,
        reason=reason,
        what_has_been_tried=what_has_been_tried,
        family_consent=family_consent,
        referrer_name=referrer_name,
        referrer_organisation=referrer_organisation,
        referrer_email=referrer_email,
        referrer_phone=referrer_phone,
    )
