"""Reads for data protection: records by reference, their audit, a user's activity,
break-glass targets and reviews, and what partners are told of their notifications.

The data protection officer works across the county, so records are looked up here by
reference without the casework scope, then checked against `policies`; a record the user
may not audit is "not found", as everywhere else.
"""

from __future__ import annotations

import heapq
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime
from itertools import islice

from django.db.models import Q, QuerySet

from earlyhelp.audit import selectors as audit
from earlyhelp.audit.models import AccessAction, AccessLog, Action, ChangeRecord
from earlyhelp.casework.models import Case
from earlyhelp.common.errors import NotFound
from earlyhelp.dataprotection.policies import (
    audit_family_scope,
    audit_user_scope,
    may_audit_family,
    may_read_audit,
    may_review_break_glass,
)
from earlyhelp.organisation.models import User
from earlyhelp.people.models import BreakGlassGrant, Family, Person
from earlyhelp.people.policies import family_scope, may_break_glass
from earlyhelp.people.selectors import person_history_ids

REFERENCE = re.compile(r"^([PFC])-?0*(\d{1,12})$")


def candidates(text: str) -> list[str]:
    """The references a typed one may be: as typed (upper case), and with leading zeros."""
    typed = "".join(text.split()).upper()
    found = REFERENCE.match(typed)
    if found is None:
        return [typed] if typed else []
    padded = f"{found.group(1)}{int(found.group(2)):07d}"
    return list(dict.fromkeys([typed, padded]))


# --- a record, with the ids its audit is filed under -----------------------------------------


@dataclass(frozen=True)
class Subject:
    """A person, family or case, and the ids of what belongs to it in the audit."""

    kind: str  # "person", "family" or "case"
    ref: str
    pk: int
    family_id: int
    person_ids: tuple[int, ...] = ()
    family_ids: tuple[int, ...] = ()
    case_ids: tuple[int, ...] = ()

    @property
    def label(self) -> str:
        return f"{self.kind.capitalize()} {self.ref}"

    def about(self) -> Q:
        """The audit rows about this record.

        A person: rows about them (and the records merged into them), about their
        household as a whole (the family page shows them) and about its cases. A family:
        rows about it, any member or any case. A case: rows about the case.
        """
        if self.kind == "case":
            return Q(case_id=self.pk)
        if self.kind == "family":
            return (
                Q(family_id=self.pk)
                | Q(person_id__in=self.person_ids)
                | Q(case_id__in=self.case_ids)
            )
        return (
            Q(person_id__in=self.person_ids)
            | Q(family_id__in=self.family_ids, person_id__isnull=True)
            | Q(case_id__in=self.case_ids)
        )


def _cases(family_ids: Iterable[int]) -> tuple[int, ...]:
    return tuple(Case.objects.filter(family_id__in=list(family_ids)).values_list("pk", flat=True))


def _person_subject(person: Person) -> Subject:
    ids = tuple(person_history_ids(person))
    families = tuple(
        sorted(set(Person.objects.filter(pk__in=ids).values_list("family_id", flat=True)))
    )
    return Subject(
        kind="person",
        ref=person.person_ref,
        pk=person.pk,
        family_id=person.family_id,
        person_ids=ids,
        family_ids=families,
        case_ids=_cases(families),
    )


def _family_subject(family: Family) -> Subject:
    members = tuple(Person.objects.filter(family=family).values_list("pk", flat=True))
    return Subject(
        kind="family",
        ref=family.family_ref,
        pk=family.pk,
        family_id=family.pk,
        person_ids=members,
        family_ids=(family.pk,),
        case_ids=_cases([family.pk]),
    )


def subject_by_ref(ref: str) -> Subject:
    """The person, family or case with this reference, whoever may see it (`NotFound`)."""
    for candidate in candidates(ref):
        letter = candidate[:1]
        if letter == "P" and (person := Person.objects.filter(person_ref=candidate).first()):
            return _person_subject(person)
        if letter == "F" and (family := Family.objects.filter(family_ref=candidate).first()):
            return _family_subject(family)
        if letter == "C" and (case := Case.objects.filter(case_ref=candidate).first()):
            return Subject(
                kind="case",
                ref=case.case_ref,
                pk=case.pk,
                family_id=case.family_id,
                family_ids=(case.family_id,),
                case_ids=(case.pk,),
            )
    raise NotFound("record")


def audited_subject(*, user: User, ref: str) -> Subject:
    """A record whose audit the user may read: the DPO any, a manager those in scope."""
    if not may_read_audit(user):
        raise NotFound("record")
    subject = subject_by_ref(ref)
    if not may_audit_family(user, subject.family_id):
        raise NotFound("record")
    return subject


def person_for_subject_access(*, user: User, ref: str) -> Person:
    subject = audited_subject(user=user, ref=ref)
    if subject.kind != "person":
        raise NotFound("person")
    return Person.objects.select_related("family").get(pk=subject.pk)


def audited_user(*, user: User, username: str) -> User:
    """A user whose activity the user may read: anyone for the DPO, own staff for a manager."""
    target = (
        User.objects.filter(audit_user_scope(user), username__iexact=username.strip())
        .select_related("org_unit")
        .first()
    )
    if target is None or not username.strip():
        raise NotFound("user")
    return target


# --- audit rows: the access log and the change history, merged --------------------------------


@dataclass(frozen=True)
class AuditRow:
    at: datetime
    who: str
    actor_id: int | None
    action: str
    what: str
    family_id: int | None
    person_id: int | None
    case_id: int | None
    ip_address: str
    reason: str
    records: str = ""  # the references, filled in for a page of rows


def _access_row(row: AccessLog) -> AuditRow:
    return AuditRow(
        at=row.at,
        who=row.actor_name or "system",
        actor_id=row.actor_id,
        action=_access_label(row.action),
        what=row.what,
        family_id=row.family_id,
        person_id=row.person_id,
        case_id=row.case_id,
        ip_address=row.ip_address or "",
        reason=row.reason,
    )


def _access_label(action: str) -> str:
    try:
        return str(AccessAction(action).label)
    except ValueError:
        return action.capitalize()


def _change_row(row: ChangeRecord) -> AuditRow:
    fields = ", ".join(sorted(str(k).replace("_", " ") for k in (row.changes or {})))
    entity = row.entity.split(".")[-1]
    what = f"{entity} {row.entity_id}" + (f": {fields}" if fields else "")
    return AuditRow(
        at=row.at,
        who=row.actor_name or "system",
        actor_id=row.actor_id,
        action=str(Action(row.action).label) if row.action in Action.values else row.action,
        what=what[:300],
        family_id=row.family_id,
        person_id=row.person_id,
        case_id=row.case_id,
        ip_address="",
        reason="",
    )


CHUNK = 500


def merged_rows(access: QuerySet[AccessLog], changes: QuerySet[ChangeRecord]) -> Iterator[AuditRow]:
    """Both logs as one, newest first (each is already ordered newest first)."""
    return heapq.merge(
        (_access_row(r) for r in access.iterator(chunk_size=CHUNK)),
        (_change_row(r) for r in changes.iterator(chunk_size=CHUNK)),
        key=lambda row: row.at,
        reverse=True,
    )


def with_references(rows: list[AuditRow]) -> list[AuditRow]:
    """The rows with the references of the records they concern (three queries)."""
    families = dict(
        Family.objects.filter(pk__in={r.family_id for r in rows if r.family_id}).values_list(
            "pk", "family_ref"
        )
    )
    people = dict(
        Person.objects.filter(pk__in={r.person_id for r in rows if r.person_id}).values_list(
            "pk", "person_ref"
        )
    )
    cases = dict(
        Case.objects.filter(pk__in={r.case_id for r in rows if r.case_id}).values_list(
            "pk", "case_ref"
        )
    )
    out = []
    for row in rows:
        refs = [
            families.get(row.family_id or 0, ""),
            people.get(row.person_id or 0, ""),
            cases.get(row.case_id or 0, ""),
        ]
        out.append(replace(row, records=", ".join(r for r in refs if r)))
    return out


@dataclass(frozen=True)
class AuditLog:
    """One record's audit or one user's activity, to page through or export."""

    access: QuerySet[AccessLog]
    changes: QuerySet[ChangeRecord]

    def count(self) -> int:
        return self.access.count() + self.changes.count()

    def rows(self, start: int = 0, stop: int | None = None) -> list[AuditRow]:
        return with_references(list(islice(merged_rows(self.access, self.changes), start, stop)))

    def chunks(self) -> Iterator[list[AuditRow]]:
        """Every row, newest first, a chunk (with references) at a time: for exports."""
        rows = merged_rows(self.access, self.changes)
        while chunk := list(islice(rows, CHUNK)):
            yield with_references(chunk)


def record_audit(subject: Subject, since: date | None, until: date | None) -> AuditLog:
    about = subject.about()
    return AuditLog(
        access=audit.access_log_about(about=about, since=since, until=until),
        changes=audit.changes_about(about=about, since=since, until=until),
    )


def user_audit(target: User, since: date | None, until: date | None) -> AuditLog:
    return AuditLog(
        access=audit.access_log_by(actor_id=target.pk, since=since, until=until),
        changes=audit.changes_by(actor_id=target.pk, since=since, until=until),
    )


# --- break-glass -----------------------------------------------------------------------------


@dataclass(frozen=True)
class BreakGlassTarget:
    """A record the user asked to open: its family, and what the access log calls it."""

    family: Family
    kind: str
    ref: str
    person_id: int | None = None
    case_id: int | None = None
    in_scope: bool = False

    @property
    def what(self) -> str:
        return f"break-glass: {self.kind} {self.ref}"


def break_glass_target(*, user: User, ref: str) -> BreakGlassTarget:
    """The person, family or case with this reference, to be opened by break-glass.

    Restricted families, and references that do not exist, are "not found" alike.
    """
    if not may_break_glass(user):
        raise NotFound("record")
    try:
        subject = subject_by_ref(ref)
    except NotFound:
        raise NotFound("record") from None
    family = Family.objects.select_related("district").get(pk=subject.family_id)
    if family.restricted:
        raise NotFound("record")
    return BreakGlassTarget(
        family=family,
        kind=subject.kind,
        ref=subject.ref,
        person_id=subject.pk if subject.kind == "person" else None,
        case_id=subject.pk if subject.kind == "case" else None,
        in_scope=Family.objects.filter(family_scope(user), pk=family.pk).exists(),
    )


@dataclass(frozen=True)
class BreakGlassEntry:
    at: datetime
    who: str
    what: str
    reason: str
    ip_address: str
    family_ref: str
    family_id: int | None
    expires_at: datetime | None


def break_glass_review(
    *, user: User, since: date | None = None, until: date | None = None
) -> list[BreakGlassEntry]:
    """Break-glass openings of the families the reviewer answers for, newest first."""
    if not may_review_break_glass(user):
        raise NotFound("break-glass review")
    families = Family.objects.filter(audit_family_scope(user)).values("pk")
    rows = list(audit.break_glass_entries(family_ids=families, since=since, until=until))
    refs = dict(
        Family.objects.filter(pk__in={r.family_id for r in rows}).values_list("pk", "family_ref")
    )
    expiries = _grant_expiries(rows)
    return [
        BreakGlassEntry(
            at=r.at,
            who=r.actor_name,
            what=r.what,
            reason=r.reason,
            ip_address=r.ip_address or "",
            family_ref=refs.get(r.family_id or 0, ""),
            family_id=r.family_id,
            expires_at=expiries.get(r.pk),
        )
        for r in rows
    ]


def _grant_expiries(rows: list[AccessLog]) -> dict[int, datetime]:
    """When each entry's grant ends: the grant written with it (same user, family and reason;
    the n-th such entry goes with the n-th such grant)."""
    grants: dict[tuple[int | None, int | None, str], list[datetime]] = {}
    for user_id, family_id, reason, expires in (
        BreakGlassGrant.objects.filter(family_id__in={r.family_id for r in rows})
        .order_by("granted_at", "pk")
        .values_list("user_id", "family_id", "reason", "expires_at")
    ):
        grants.setdefault((user_id, family_id, reason), []).append(expires)
    expiries = {}
    for row in sorted(rows, key=lambda r: (r.at, r.pk)):
        waiting = grants.get((row.actor_id, row.family_id, row.reason))
        if waiting:
            expiries[row.pk] = waiting.pop(0)
    return expiries
