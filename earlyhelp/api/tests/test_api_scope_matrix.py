"""Every endpoint × every demo role: exactly what DESIGN.md's roles table allows.

Each of the demo's roles (`earlyhelp.demo.users.DEMO_USERNAMES`, set up here as the demo
sets them up: a place in a small county of two areas) gets a token with every scope its
role may hold, and reads every endpoint for a record inside its scope (Area N: district
DN1, unit EHU-N1) and outside it (Area S). Expected: the status in `EXPECTED`; a record
outside the scope is 404; every person or case returned is in the access log.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.utils import timezone

from earlyhelp.api.tests.conftest import client_for
from earlyhelp.audit.models import AccessLog
from earlyhelp.demo.users import DEMO_USERNAMES
from earlyhelp.domain.codes import OrgKind, Service, UserRole, WorkerRole
from earlyhelp.organisation.models import OrgUnit, User
from earlyhelp.organisation.tokens import SCOPES, scope_refusal
from earlyhelp.performance.models import IndicatorValue
from earlyhelp.testing import factories as f

OK, NO, NF = 200, 403, 404
ROLES = DEMO_USERNAMES
# fmt: off
EXPECTED: dict[str, tuple[int, ...]] = {
    #                         prac unit dist area tria anal audi dpo  part admin
    "notifications":         (OK,  OK,  OK,  OK,  OK,  NO,  NO,  NO,  OK,  NO),
    "notification":          (NF,  NF,  NF,  NF,  NF,  NO,  NO,  NO,  OK,  NO),
    "people":                (OK,  OK,  OK,  OK,  OK,  NO,  NO,  NO,  NO,  NO),
    "person":                (OK,  OK,  OK,  OK,  OK,  NO,  NO,  NO,  NO,  NO),
    "person-outside":        (NF,  NF,  NF,  NF,  OK,  NO,  NO,  NO,  NO,  NO),
    "cases":                 (OK,  OK,  OK,  OK,  NO,  NO,  NO,  NO,  NO,  NO),
    "case":                  (OK,  OK,  OK,  OK,  NO,  NO,  NO,  NO,  NO,  NO),
    "case-outside":          (NF,  NF,  NF,  NF,  NO,  NO,  NO,  NO,  NO,  NO),
    "indicators":            (OK,  OK,  OK,  OK,  NO,  OK,  NO,  NO,  NO,  OK),
    "police-feed":           (NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO),
}
# Indicator rows seen: (the demo unit's, the far unit's, the practitioner's own)
INDICATOR_ROWS: dict[str, tuple[int, int, int]] = {
    "practitioner": (0, 0, 1), "unitleader": (1, 0, 1), "districtmanager": (1, 0, 1),
    "areamanager": (1, 0, 1), "analyst": (1, 1, 1), "admin": (1, 1, 1),
}
# fmt: on


@dataclass
class County:
    users: dict[str, User]
    refs: dict[str, str]


def _unit(code: str, district: str, area: str) -> OrgUnit:
    return f.unit(code, district, area, service=Service.EARLY_HELP_UNIT)


def _users(near: OrgUnit) -> dict[str, User]:
    county = OrgUnit.objects.get(kind=OrgKind.COUNTY)
    triage = f.OrgUnitFactory(
        code="TRIAGE", kind=OrgKind.UNIT, parent=county, service=Service.TRIAGE
    )
    worker = f.WorkerFactory(unit=near, role=WorkerRole.PRACTITIONER)
    places = {
        "practitioner": (UserRole.PRACTITIONER, near), "unitleader": (UserRole.UNIT_LEADER, near),
        "districtmanager": (UserRole.MANAGER, near.parent),
        "areamanager": (UserRole.MANAGER, near.parent.parent),
        "triage": (UserRole.TRIAGE_OFFICER, triage), "analyst": (UserRole.ANALYST, county),
        "auditor": (UserRole.QA_AUDITOR, county), "dpo": (UserRole.DATA_PROTECTION_OFFICER, county),
        "admin": (UserRole.ADMINISTRATOR, county),
    }  # fmt: skip
    users = {
        name: f.UserFactory(username=name, role=role, org_unit=org)
        for name, (role, org) in places.items()
    }
    users["practitioner"].worker = worker
    users["practitioner"].save()
    users["partner"] = f.partner("Margate Academy", username="partner")
    return users


def _indicator(org: OrgUnit | None, code: str, level: str, worker=None) -> None:
    IndicatorValue.objects.create(
        indicator_code="EH01", level=level, org_unit=org, worker=worker, org_code=code,
        period="2016-05", window_months=12, numerator=3, computed_at=timezone.now(),
    )  # fmt: skip


@pytest.fixture
def county(db) -> County:
    near, far = _unit("EHU-N1", "DN1", "AN"), _unit("EHU-S1", "DS1", "AS")
    users = _users(near)
    inside = f.CaseFactory(family=f.FamilyFactory(district=near.parent), unit=near)
    outside = f.CaseFactory(family=f.FamilyFactory(district=far.parent), unit=far)
    person_in = f.PersonFactory(family=inside.family)
    person_out = f.PersonFactory(family=outside.family)
    notification = f.NotificationFactory(person=person_in, submitted_by_id=users["partner"].pk)
    _indicator(near, "EHU-N1", "UNIT")
    _indicator(far, "EHU-S1", "UNIT")
    worker = users["practitioner"].worker
    _indicator(None, worker.code, "WORKER", worker=worker)
    refs = {
        "case": inside.case_ref, "case-outside": outside.case_ref,
        "person": person_in.person_ref, "person-outside": person_out.person_ref,
        "notification": notification.notification_ref,
    }  # fmt: skip
    return County(users, refs)


def _url(endpoint: str, refs: dict[str, str]) -> str:
    paths = {"notification": "notifications", "person": "people", "case": "cases"}
    base = endpoint.removesuffix("-outside")
    if base in paths:
        return f"/api/v1/{paths[base]}/{refs[endpoint]}/"
    return f"/api/v1/{endpoint}/"


def _token_scopes(user: User) -> list[str]:
    return [s for s in SCOPES if not scope_refusal(user, s)]


def _check(name: str, county: County) -> list[str]:
    user = county.users[name]
    client = client_for(user, *_token_scopes(user)) if _token_scopes(user) else None
    problems: list[str] = []
    for endpoint, row in EXPECTED.items():
        expected = row[ROLES.index(name)]
        if client is None:  # no scope at all: no token can be issued for this role
            problems += (
                [] if expected == NO else [f"{name} {endpoint}: no token, expected {expected}"]
            )
            continue
        url = _url(endpoint, county.refs)
        before = AccessLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        response = (
            client.post(url, [], format="json") if endpoint == "police-feed" else client.get(url)
        )
        if response.status_code != expected:
            problems.append(f"{name} {endpoint}: expected {expected}, got {response.status_code}")
            continue
        if response.status_code >= 400:
            assert response.json()["errors"], response.content
        problems += _logged(name, endpoint, response, user, before)
    return problems


PERSONAL = {"people", "person", "person-outside", "cases", "case", "case-outside"}


def _logged(name: str, endpoint: str, response, user: User, before: int) -> list[str]:
    """Each person or case sent is one access-log row naming the reader."""
    if response.status_code != OK or endpoint not in PERSONAL:
        return []
    data = response.json()
    shown = len(data["results"]) if "results" in data else 1
    logged = AccessLog.objects.filter(pk__gt=before, actor_id=user.pk, action="VIEW").count()
    if not shown or logged != shown:
        return [f"{name} {endpoint}: {shown} records shown, {logged} logged"]
    return []
    data = response.json()
    shown = data.get("count", 1)
    shown = min(shown, 50)
    logged = AccessLog.objects.filter(actor_id=user.pk).count() - 0
    rows = AccessLog.objects.order_by("pk")[before:]
    if len([r for r in rows if r.actor_id == user.pk]) != shown or not logged:
        return [f"{name} {endpoint}: {shown} records shown, not each logged"]
    return []


@pytest.mark.parametrize("name", ROLES)
def test_every_role_gets_exactly_what_the_roles_table_allows(county, name):
    problems = _check(name, county)
    assert not problems, "\n".join(["", *problems])


@pytest.mark.parametrize("name", sorted(INDICATOR_ROWS))
def test_indicator_values_within_the_performance_scope(county, name):
    user = county.users[name]
    client = client_for(user, "indicators:read")
    worker_code = county.users["practitioner"].worker.code
    seen = tuple(
        client.get(f"/api/v1/indicators/?org_code={code}").json()["count"]
        for code in ("EHU-N1", "EHU-S1", worker_code)
    )
    assert seen == INDICATOR_ROWS[name]


def test_each_person_read_is_logged_with_the_record(county):
    user = county.users["unitleader"]
    client = client_for(user, "people:read")
    ref = county.refs["person"]
    client.get(f"/api/v1/people/{ref}/")
    log = AccessLog.objects.filter(actor_id=user.pk).latest("pk")
    assert log.person_id is not None
    assert log.action == "VIEW"
    assert ref in log.what
