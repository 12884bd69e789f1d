"""The front door the triage and search tests share (no tests here: they import `front_door`).

A county with two districts; a triage officer; a child already known (Amelia Hughes, with
an open case, a past episode and earlier notifications) and a new notification about
"Amelia Hughes" recorded under a fresh record, waiting for triage.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from earlyhelp.casework.models import Case
from earlyhelp.common.clock import LONDON
from earlyhelp.domain.codes import Category, ClosureReason, Service, UserRole, WorkerRole
from earlyhelp.frontdoor.models import Notification
from earlyhelp.organisation.models import OrgUnit, User, Worker
from earlyhelp.people.models import Person
from earlyhelp.testing import factories as f

TODAY = "2016-06-30"
DOB = dt.date(2010, 5, 13)
PASSWORD = "correct horse battery"


def received(day: int, hour: int = 10) -> dt.datetime:
    return dt.datetime(2016, 6, day, hour, 0, tzinfo=LONDON)


@dataclass
class FrontDoor:
    triage: User
    practitioner: User
    ehu: OrgUnit  # an Early Help Unit in the family's district (DN1)
    other_ehu: OrgUnit  # one in another district (DS1)
    worker: Worker  # a practitioner in `ehu`
    known: Person  # the child already known
    open_case: Case  # the known family's open case
    past_case: Case
    duplicate: Person  # the record the new notification was keyed under
    notification: Notification  # pending, about `duplicate`


def front_door() -> FrontDoor:
    triage_unit = f.OrgUnitFactory(
        code="TRIAGE", name="Front door", kind="UNIT", parent=f.county(), service=Service.TRIAGE
    )
    triage = f.UserFactory(
        username="triage",
        first_name="Tess",
        last_name="Triage",
        role=UserRole.TRIAGE_OFFICER,
        org_unit=triage_unit,
        worker=f.WorkerFactory(unit=triage_unit, role=WorkerRole.TRIAGE_OFFICER),
    )
    ehu = f.unit("EHU-N1", "DN1", "AN")
    other_ehu = f.unit("EHU-S1", "DS1", "AS")
    worker = f.WorkerFactory(unit=ehu, name="Priya Patel", role=WorkerRole.PRACTITIONER)
    practitioner = f.UserFactory(
        username="prac", role=UserRole.PRACTITIONER, org_unit=ehu, worker=worker
    )
    known_family = f.FamilyFactory(district=ehu.parent, postcode="ME14 1XQ")
    known = f.PersonFactory(
        family=known_family, given_name="Amelia", family_name="Hughes", date_of_birth=DOB
    )
    past_case = f.CaseFactory(
        family=known_family,
        unit=ehu,
        worker=worker,
        opened_on=dt.date(2014, 2, 3),
        closed_on=dt.date(2014, 9, 1),
        closure_reason=ClosureReason.OUTCOMES_ACHIEVED,
    )
    open_case = f.CaseFactory(
        family=known_family, unit=ehu, worker=worker, opened_on=dt.date(2016, 3, 1)
    )
    f.NotificationFactory(person=known, received_at=received(1), triaged_at=received(2), **_nfa())
    new_family = f.FamilyFactory(district=ehu.parent, postcode="ME14 1XQ")
    duplicate = f.PersonFactory(
        family=new_family, given_name="Amelia", family_name="Hughes", date_of_birth=DOB
    )
    notification = f.NotificationFactory(
        person=duplicate,
        received_at=received(29),
        referrer_name="Sam Teacher",
        referrer_organisation="Maidstone Primary School",
        referrer_email="sam.teacher@example.org",
        referrer_phone="01622 000000",
        what_has_been_tried="Meetings with mum; a school nurse referral.",
    )
    return FrontDoor(
        triage=triage,
        practitioner=practitioner,
        ehu=ehu,
        other_ehu=other_ehu,
        worker=worker,
        known=known,
        open_case=open_case,
        past_case=past_case,
        duplicate=duplicate,
        notification=notification,
    )


def _nfa() -> dict[str, object]:
    return {"triage_decision": "NFA", "threshold_level": 1, "decision_reason": "Universal."}


def pending(person: Person | None = None, **kw: object) -> Notification:
    """Another notification waiting for triage (by default about a new child)."""
    values: dict[str, object] = {"received_at": received(28), "category": Category.STANDARD}
    values.update(kw)
    if person is not None:
        values["person"] = person
    return f.NotificationFactory(**values)
