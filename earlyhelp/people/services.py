"""Writes to people and families."""

from __future__ import annotations

from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from earlyhelp.audit.models import AccessAction, Action
from earlyhelp.audit.services import (
    Actor,
    Refs,
    access_record,
    case_event_record,
    change_record,
    diff,
    snapshot,
)
from earlyhelp.common import clock
from earlyhelp.common.errors import InvalidInput, NotFound, PermissionRefused, StaleRecord
from earlyhelp.common.references import next_reference
from earlyhelp.common.transactions import service_atomic
from earlyhelp.common.validation import as_invalid_input, full_clean_or_raise
from earlyhelp.domain import identifiers
from earlyhelp.domain.codes import ConsentPurpose, OrgKind, UserRole
from earlyhelp.domain.errors import InvalidIdentifier
from earlyhelp.domain.events import EventKind
from earlyhelp.domain.matching import phonetic_key
from earlyhelp.organisation.models import OrgUnit, User
from earlyhelp.people.models import (
    BreakGlassGrant,
    Family,
    FamilyAccess,
    FamilyConsent,
    Person,
    Relationship,
)
from earlyhelp.people.policies import (
    BREAK_GLASS_HOURS,
    is_data_protection_officer,
    may_break_glass,
    may_manage_access_list,
    may_record_consent,
)

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


@service_atomic
def family_create(*, actor: Actor, district: OrgUnit, **fields: object) -> Family:
    values = _normalise_family({"district": district, **fields})
    family = Family(family_ref=next_reference(Family, field="family_ref", prefix="F"), **values)
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


@service_atomic
def person_create(*, actor: Actor, family: Family, **fields: object) -> Person:
    values = _normalise_person(dict(fields))
    person = Person(
        person_ref=next_reference(Person, field="person_ref", prefix="P"), family=family, **values
    )
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


Changes = dict[str, list[object]]

# Identifiers a merge copies from the duplicate to the record kept, when it has none.
MERGE_COPIED_FIELDS = ("upn", "nhs_number", "date_of_birth", "ethnicity")
# Of those, the ones that identify a person: two different values refuse the merge.
_MERGE_CONFLICTING = {"nhs_number": "NHS numbers", "upn": "unique pupil numbers"}
# Unique among unmerged records: cleared on the duplicate when moved to the record kept.
_MERGE_UNIQUE = ("upn", "nhs_number")


def _lock_pair(keep: Person, duplicate: Person) -> tuple[Person, Person]:
    """Both rows locked, in id order (two merges of the same pair cannot deadlock)."""
    if keep.pk == duplicate.pk:
        raise InvalidInput({"duplicate": ["Choose two different records to merge."]})
    rows = Person.objects.select_for_update().filter(pk__in=[keep.pk, duplicate.pk]).order_by("pk")
    locked = {person.pk: person for person in rows}
    if len(locked) != 2:
        raise NotFound("person")
    return locked[keep.pk], locked[duplicate.pk]


def _check_mergeable(
    read: tuple[Person, Person], locked: tuple[Person, Person], versions: tuple[int, int]
) -> None:
    for was, now, version in zip(read, locked, versions, strict=True):
        if now.version != version:
            raise StaleRecord(what="person's record", changes=diff(snapshot(was), snapshot(now)))
    for field, person in zip(("keep", "duplicate"), locked, strict=True):
        if person.merged_into_id is not None:
            raise InvalidInput(
                {field: [f"{person.full_name}'s record has already been merged into another."]}
            )
    keep, duplicate = locked
    for field, plural in _MERGE_CONFLICTING.items():
        mine, theirs = getattr(keep, field), getattr(duplicate, field)
        if mine and theirs and mine != theirs:
            raise InvalidInput(
                {field: [f"The two records have different {plural}: correct one first."]}
            )


def _repoint_relationships(*, actor: Actor, keep: Person, duplicate: Person) -> list[int]:
    """Move the duplicate's relationships to the record kept; return the moved ids.

    A relationship the record kept already has, or one between the two records (it would
    become a relationship to oneself), stays on the duplicate's row: nothing is deleted.
    """
    rows = list(Relationship.objects.filter(Q(person=duplicate) | Q(other=duplicate)))
    existing = set(
        Relationship.objects.filter(Q(person=keep) | Q(other=keep)).values_list(
            "person_id", "other_id", "kind"
        )
    )
    moved: list[int] = []
    for relationship in rows:
        swap = {duplicate.pk: keep.pk}
        person_id = swap.get(relationship.person_id, relationship.person_id)
        other_id = swap.get(relationship.other_id, relationship.other_id)
        if person_id == other_id or (person_id, other_id, relationship.kind) in existing:
            continue
        before = snapshot(relationship)
        relationship.person_id, relationship.other_id = person_id, other_id
        relationship.version += 1
        relationship.updated_by_id = actor.id
        relationship.save()
        existing.add((person_id, other_id, relationship.kind))
        moved.append(relationship.pk)
        change_record(
            actor=actor,
            instance=relationship,
            action=Action.UPDATE,
            changes=diff(before, snapshot(relationship)),
            refs=Refs(family_id=keep.family_id, person_id=keep.pk),
        )
    return moved


def _move_identifiers(keep: Person, duplicate: Person) -> list[str]:
    """Copy the duplicate's identifiers the record kept lacks; clear moved unique ones."""
    moved = [f for f in MERGE_COPIED_FIELDS if getattr(duplicate, f) and not getattr(keep, f)]
    for field in moved:
        setattr(keep, field, getattr(duplicate, field))
        if field in _MERGE_UNIQUE:
            setattr(duplicate, field, "")
    for field in _MERGE_UNIQUE:  # the same number on both: the survivor alone carries it
        if getattr(duplicate, field) and getattr(duplicate, field) == getattr(keep, field):
            setattr(duplicate, field, "")
    return moved


def _record_merge(
    *,
    actor: Actor,
    keep: Person,
    duplicate: Person,
    changes: tuple[Changes, Changes],
    data: dict[str, object],
) -> None:
    for person, person_changes in zip((keep, duplicate), changes, strict=True):
        change_record(
            actor=actor,
            instance=person,
            action=Action.MERGE,
            changes=person_changes,
            refs=Refs(family_id=person.family_id, person_id=person.pk),
        )
    for family_id in dict.fromkeys((keep.family_id, duplicate.family_id)):
        case_event_record(
            actor=actor,
            kind=EventKind.PERSON_MERGED,
            occurred_on=clock.today(),
            refs=Refs(family_id=family_id, person_id=keep.pk),
            data=data,
        )


@transaction.atomic
def person_merge(
    *, actor: Actor, keep: Person, duplicate: Person, version_keep: int, version_duplicate: int
) -> Person:
    """Merge `duplicate` into `keep`: one person known under two records becomes one.

    Nothing is deleted: the duplicate's row stays (marked `merged_into`), with its
    notifications and cases linked to it; `selectors.person_history_ids` gathers them.
    Identifiers the record kept lacks are copied from the duplicate; different NHS
    numbers or UPNs refuse the merge (one of them is wrong, and a person must correct it).
    """
    locked = _lock_pair(keep, duplicate)
    _check_mergeable((keep, duplicate), locked, (version_keep, version_duplicate))
    kept, dup = locked
    before = snapshot(kept), snapshot(dup)
    moved = _move_identifiers(kept, dup)
    dup.merged_into = kept
    for person in (dup, kept):  # the duplicate first: it gives up its unique identifiers
        person.version += 1
        person.updated_by_id = actor.id
        full_clean_or_raise(person)
        person.save()
    relationships = _repoint_relationships(actor=actor, keep=kept, duplicate=dup)
    keep_changes = {**diff(before[0], snapshot(kept)), "merged_from": [None, dup.pk]}
    _record_merge(
        actor=actor,
        keep=kept,
        duplicate=dup,
        changes=(keep_changes, diff(before[1], snapshot(dup))),
        data={
            "kept_person_id": kept.pk,
            "kept_person_ref": kept.person_ref,
            "merged_person_id": dup.pk,
            "merged_person_ref": dup.person_ref,
            "identifiers_moved": moved,
            "relationships_moved": relationships,
        },
    )
    return kept


# --- data protection: restricted families, break-glass and consent ----------------------------

BREAK_GLASS_REASON_MIN = 10
STAFF_ROLES = frozenset(
    {UserRole.TRIAGE_OFFICER, UserRole.PRACTITIONER, UserRole.UNIT_LEADER, UserRole.MANAGER}
)


def _refuse_unless(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionRefused(message)


@transaction.atomic
def family_restrict(*, user: User, family: Family, restricted: bool, version: int) -> Family:
    """Restrict a family to its named staff (or lift that). Whoever restricts it is named."""
    _refuse_unless(
        may_manage_access_list(user, family), "You cannot change who may see this family."
    )
    locked = Family.objects.select_for_update().get(pk=family.pk)
    if locked.version != version:
        raise StaleRecord(what="family's record", changes=diff(snapshot(family), snapshot(locked)))
    before = snapshot(locked)
    locked.restricted = restricted
    locked.version += 1
    locked.updated_by_id = user.pk
    locked.save()
    actor = Actor.of(user)
    change_record(
        actor=actor,
        instance=locked,
        action=Action.UPDATE,
        changes=diff(before, snapshot(locked)),
        refs=Refs(family_id=locked.pk),
    )
    if restricted and not is_data_protection_officer(user):
        _access_add(actor=actor, family=locked, member=user)
    return locked


def _access_add(*, actor: Actor, family: Family, member: User) -> FamilyAccess:
    entry, created = FamilyAccess.objects.get_or_create(
        family=family, user=member, defaults={"created_by_id": actor.id}
    )
    if created:
        change_record(
            actor=actor, instance=entry, action=Action.CREATE, refs=Refs(family_id=family.pk)
        )
    return entry


@transaction.atomic
def family_access_add(*, user: User, family: Family, member: User) -> FamilyAccess:
    """Name a member of staff on a restricted family's access list."""
    _refuse_unless(
        may_manage_access_list(user, family), "You cannot change who may see this family."
    )
    if not member.is_active or member.role not in STAFF_ROLES:
        raise InvalidInput({"member": ["Name an active member of staff."]})
    return _access_add(actor=Actor.of(user), family=family, member=member)


@transaction.atomic
def family_access_remove(*, user: User, entry: FamilyAccess) -> None:
    """Take a member of staff off a restricted family's access list."""
    _refuse_unless(
        may_manage_access_list(user, entry.family), "You cannot change who may see this family."
    )
    change_record(
        actor=Actor.of(user),
        instance=entry,
        action=Action.DELETE,
        changes={k: [v, None] for k, v in snapshot(entry).items()},
        refs=Refs(family_id=entry.family_id),
    )
    entry.delete()


@transaction.atomic
def break_glass_grant(
    *,
    user: User,
    family: Family,
    reason: str,
    requested_ref: str,
    refs: Refs,
    what: str,
    ip_address: str | None = None,
) -> BreakGlassGrant:
    """Open a family outside the user's scope for `BREAK_GLASS_HOURS`, for a typed reason.

    The grant and the access log entry (action BREAK_GLASS, with the reason) are written
    together; the family's unit leader sees the entry. Restricted families cannot be
    opened this way: they are "not found", as they are everywhere else.
    """
    if not may_break_glass(user) or family.restricted:
        raise NotFound("record")
    reason = reason.strip()
    if len(reason) < BREAK_GLASS_REASON_MIN:
        raise InvalidInput(
            {"reason": ["Say why you need to open this record (at least 10 characters)."]}
        )
    now = timezone.now()  # real time, as the scope reads it (policies.granted_family_ids)
    grant = BreakGlassGrant(
        family=family,
        user=user,
        reason=reason,
        requested_ref=requested_ref,
        granted_at=now,
        expires_at=now + timedelta(hours=BREAK_GLASS_HOURS),
    )
    full_clean_or_raise(grant)
    grant.save()
    access_record(
        actor=Actor.of(user),
        action=AccessAction.BREAK_GLASS,
        what=what,
        refs=refs,
        ip_address=ip_address,
        reason=reason,
    )
    return grant


@transaction.atomic
def consent_record(
    *,
    user: User,
    family: Family,
    purpose: str,
    given_on: date,
    given_by: Person | None = None,
    partner_name: str = "",
    notes: str = "",
) -> FamilyConsent:
    """Record a family's consent to one purpose (for example sharing with a named partner)."""
    _refuse_unless(may_record_consent(user, family), "You cannot record consent for this family.")
    errors: dict[str, list[str]] = {}
    if given_on > clock.today():
        errors["given_on"] = ["The date consent was given must be today or in the past."]
    if given_by is not None and given_by.family_id != family.pk:
        errors["given_by"] = ["Choose a member of this family."]
    if purpose == ConsentPurpose.SHARE_WITH_PARTNERS and not partner_name.strip():
        errors["partner_name"] = ["Name the partner the family agreed information may go to."]
    if errors:
        raise InvalidInput(errors)
    consent = FamilyConsent(
        family=family,
        purpose=purpose,
        given_on=given_on,
        given_by=given_by,
        partner_name=" ".join(partner_name.split()),
        notes=notes.strip(),
        recorded_by_name=user.get_username(),
        created_by_id=user.pk,
        updated_by_id=user.pk,
    )
    full_clean_or_raise(consent)
    consent.save()
    change_record(
        actor=Actor.of(user), instance=consent, action=Action.CREATE, refs=Refs(family_id=family.pk)
    )
    return consent


@transaction.atomic
def consent_withdraw(
    *, user: User, consent: FamilyConsent, withdrawn_on: date, reason: str, version: int
) -> FamilyConsent:
    """Record that a family withdrew a consent: it no longer holds from that date."""
    locked = FamilyConsent.objects.select_for_update().get(pk=consent.pk)
    _refuse_unless(
        may_record_consent(user, locked.family), "You cannot record consent for this family."
    )
    if locked.version != version:
        raise StaleRecord(what="consent", changes=diff(snapshot(consent), snapshot(locked)))
    if locked.withdrawn_on is not None:
        raise InvalidInput({"withdrawn_on": ["This consent has already been withdrawn."]})
    if withdrawn_on > clock.today():
        raise InvalidInput({"withdrawn_on": ["The date must be today or in the past."]})
    if withdrawn_on < locked.given_on:
        raise InvalidInput(
            {"withdrawn_on": ["Consent cannot be withdrawn before the date it was given."]}
        )
    before = snapshot(locked)
    locked.withdrawn_on = withdrawn_on
    locked.withdrawn_reason = reason.strip()
    locked.version += 1
    locked.updated_by_id = user.pk
    full_clean_or_raise(locked)
    locked.save()
    change_record(
        actor=Actor.of(user),
        instance=locked,
        action=Action.UPDATE,
        changes=diff(before, snapshot(locked)),
        refs=Refs(family_id=locked.family_id),
    )
    return locked


def consent_from_referrer(
    *, actor: Actor, family: Family, partner_name: str, given_on: date
) -> FamilyConsent:
    """The referrer says the family agreed that the outcome may be shared with them.

    Recorded as the family's consent to `SHARE_WITH_REFERRER` for that organisation, with
    a note that it came with the notification (staff can withdraw it if the family says
    otherwise). Called inside the submission's transaction.
    """
    consent = FamilyConsent(
        family=family,
        purpose=ConsentPurpose.SHARE_WITH_REFERRER,
        given_on=given_on,
        partner_name=" ".join(partner_name.split()),
        notes="Given to the referrer and recorded with their notification.",
        recorded_by_name=actor.name,
        created_by_id=actor.id,
        updated_by_id=actor.id,
    )
    full_clean_or_raise(consent)
    consent.save()
    change_record(actor=actor, instance=consent, action=Action.CREATE, refs=Refs(family.pk))
    return consent
