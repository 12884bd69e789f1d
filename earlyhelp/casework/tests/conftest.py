from __future__ import annotations

import datetime as dt

import pytest

from earlyhelp.common.clock import LONDON
from earlyhelp.domain.codes import UserRole, WorkerRole
from earlyhelp.testing import factories as f


@pytest.fixture
def today(settings) -> dt.date:
    settings.EARLYHELP_TODAY = "2016-06-30"
    return dt.date(2016, 6, 30)


@pytest.fixture
def unit_n1(db):
    return f.unit("EHU-N1", "DN1", "AN")


@pytest.fixture
def unit_s1(db):
    return f.unit("EHU-S1", "DS1", "AS")


@pytest.fixture
def triage(db):
    triage_unit = f.OrgUnitFactory(
        code="TRIAGE", name="Triage", kind="UNIT", parent=f.county(), service="TRIAGE"
    )
    worker = f.WorkerFactory(unit=triage_unit, role=WorkerRole.TRIAGE_OFFICER)
    return f.UserFactory(
        username="triage", role=UserRole.TRIAGE_OFFICER, org_unit=triage_unit, worker=worker
    )


@pytest.fixture
def practitioner(unit_n1):
    worker = f.WorkerFactory(unit=unit_n1, role=WorkerRole.PRACTITIONER)
    return f.UserFactory(
        username="prac", role=UserRole.PRACTITIONER, org_unit=unit_n1, worker=worker
    )


@pytest.fixture
def leader(unit_n1):
    worker = f.WorkerFactory(unit=unit_n1, role=WorkerRole.UNIT_LEADER)
    return f.UserFactory(
        username="leader", role=UserRole.UNIT_LEADER, org_unit=unit_n1, worker=worker
    )


@pytest.fixture
def other_practitioner(unit_s1):
    worker = f.WorkerFactory(unit=unit_s1, role=WorkerRole.PRACTITIONER)
    return f.UserFactory(
        username="other", role=UserRole.PRACTITIONER, org_unit=unit_s1, worker=worker
    )


@pytest.fixture
def notification(db, today):
    family = f.FamilyFactory(district=f.district("DN1", "AN"))
    child = f.PersonFactory(family=family)
    return f.NotificationFactory(
        person=child, received_at=dt.datetime(2016, 5, 3, 9, 30, tzinfo=LONDON)
    )
