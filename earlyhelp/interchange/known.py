"""What the checks know of the records a row may refer to: the dataset's and the database's.

A dataset's row wins over the database's record with the same identifier (it will
replace it). Small tables (org units, workers) are read from the database once; the
others are looked up chunk by chunk, only for the identifiers a chunk refers to that the
dataset does not hold, so that memory stays bounded by the dataset and not the database.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Generic, NamedTuple, TypeVar

from earlyhelp.casework.models import Case
from earlyhelp.common import clock
from earlyhelp.frontdoor.models import Notification
from earlyhelp.organisation.models import OrgUnit, Worker
from earlyhelp.people.models import Family, Person

V = TypeVar("V")
IN_DATABASE = 0  # the "line" of a record that is only in the database


class OrgInfo(NamedTuple):
    kind: str
    line: int


class WorkerInfo(NamedTuple):
    unit_code: str
    line: int


class PersonInfo(NamedTuple):
    family_ref: str
    role_in_family: str


class NotificationInfo(NamedTuple):
    family_ref: str | None
    received_on: date | None


class CaseInfo(NamedTuple):
    line: int
    family_ref: str | None
    opened_on: date | None
    assessment_started_on: date | None
    plan_agreed_on: date | None
    closed_on: date | None


class Index(Generic[V]):
    """The records of one table by identifier: the dataset's, then the database's."""

    def __init__(self, fetch: Callable[[set[str] | None], dict[str, V]], *, preload: bool):
        self._fetch = fetch
        self.dataset: dict[str, V] = {}
        self._database: dict[str, V] = fetch(None) if preload else {}
        self._preloaded = preload

    def add(self, ref: str | None, info: V) -> None:
        if ref is not None:  # a row without its identifier was reported; nothing to know
            self.dataset[ref] = info

    def prefetch(self, refs: Iterable[str | None]) -> None:
        """Look up in the database the identifiers the dataset does not hold."""
        if self._preloaded:
            return
        wanted = {ref for ref in refs if ref and ref not in self.dataset}
        self._database = self._fetch(wanted) if wanted else {}

    def get(self, ref: str) -> V | None:
        found = self.dataset.get(ref)
        return found if found is not None else self._database.get(ref)

    def merged(self) -> dict[str, V]:
        """Every record (for the small, preloaded tables only)."""
        return {**self._database, **self.dataset}


def _org_units(refs: set[str] | None) -> dict[str, OrgInfo]:
    rows = OrgUnit.objects.values_list("code", "kind")
    return {code: OrgInfo(kind, IN_DATABASE) for code, kind in rows}


def _workers(refs: set[str] | None) -> dict[str, WorkerInfo]:
    rows = Worker.objects.values_list("code", "unit__code")
    return {code: WorkerInfo(unit, IN_DATABASE) for code, unit in rows}


def _families(refs: set[str] | None) -> dict[str, str]:
    rows = Family.objects.filter(family_ref__in=refs or ()).values_list("family_ref", flat=True)
    return {ref: ref for ref in rows}


def _people(refs: set[str] | None) -> dict[str, PersonInfo]:
    rows = Person.objects.filter(person_ref__in=refs or ()).values_list(
        "person_ref", "family__family_ref", "role_in_family"
    )
    return {ref: PersonInfo(family, role) for ref, family, role in rows}


def _notifications(refs: set[str] | None) -> dict[str, NotificationInfo]:
    rows = Notification.objects.filter(notification_ref__in=refs or ()).values_list(
        "notification_ref", "family__family_ref", "received_at"
    )
    return {
        ref: NotificationInfo(family, clock.local_date(received)) for ref, family, received in rows
    }


def _cases(refs: set[str] | None) -> dict[str, CaseInfo]:
    rows = Case.objects.filter(case_ref__in=refs or ()).values_list(
        "case_ref",
        "family__family_ref",
        "opened_on",
        "assessment_started_on",
        "plan_agreed_on",
        "closed_on",
    )
    return {ref: CaseInfo(IN_DATABASE, *rest) for ref, *rest in rows}


class Known:
    """The indexes the checks of every file share."""

    def __init__(self) -> None:
        self.org_units: Index[OrgInfo] = Index(_org_units, preload=True)
        self.workers: Index[WorkerInfo] = Index(_workers, preload=True)
        self.families: Index[str] = Index(_families, preload=False)
        self.people: Index[PersonInfo] = Index(_people, preload=False)
        self.notifications: Index[NotificationInfo] = Index(_notifications, preload=False)
        self.cases: Index[CaseInfo] = Index(_cases, preload=False)
        # The latest review date of each case in reviews.csv (for Case.last_review_on).
        self.latest_review: dict[str, date] = {}
