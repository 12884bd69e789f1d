"""Need-to-know: every selector returns only what the roles table of DESIGN.md allows."""

from __future__ import annotations

import datetime as dt

import pytest

from earlyhelp.casework import selectors as cases
from earlyhelp.common.errors import NotFound
from earlyhelp.domain.codes import UserRole
from earlyhelp.frontdoor import selectors as front
from earlyhelp.people import selectors as people
from earlyhelp.people.models import FamilyAccess
from earlyhelp.testing import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def north_case(unit_n1, today):
    family = f.FamilyFactory(district=f.district("DN1", "AN"))
    child = f.PersonFactory(family=family)
    notification = f.NotificationFactory(person=child)
    return f.CaseFactory(
        family=family, unit=unit_n1, notification=notification, opened_on=dt.date(2016, 1, 6)
    )


def _user(role, org_unit, **kw):
    return f.UserFactory(role=role, org_unit=org_unit, **kw)


def _every_selector_result(user, case):
    """What each selector gives the user about `case` and its family: empty if nothing."""
    family_id, person = case.family_id, case.family.members.first()
    found = {
        "case_list": list(cases.case_list(user=user).filter(pk=case.pk)),
        "cases_of_family": list(cases.cases_of_family(user=user, family_id=family_id)),
        "work_list": [s for s in cases.work_list(user=user) if s.case.pk == case.pk],
        "family_list": list(people.family_list(user=user).filter(pk=family_id)),
        "person_list": list(people.person_list(user=user).filter(pk=person.pk)),
        "notification_list": list(front.notification_list(user=user).filter(family_id=family_id)),
        "triage_queue": [
            i for i in front.triage_queue(user=user) if i.notification.family_id == family_id
        ],
    }
    for name, call in {
        "case_get": lambda: cases.case_get(user=user, case_id=case.pk),
        "case_by_ref": lambda: cases.case_by_ref(user=user, ref=case.case_ref),
        "family_get": lambda: people.family_get(user=user, family_id=family_id),
        "person_get": lambda: people.person_get(user=user, person_id=person.pk),
        "notification_get": lambda: front.notification_get(
            user=user, notification_id=case.notification_id
        ),
        "unit_open_cases": lambda: cases.unit_open_cases(user=user, unit_id=case.unit_id).cases,
        "allocation_history": lambda: list(cases.allocation_history(user=user, case_id=case.pk)),
        "notes_of": lambda: list(cases.notes_of(user=user, case_id=case.pk)),
        "reviews_of": lambda: list(cases.reviews_of(user=user, case_id=case.pk)),
    }.items():
        try:
            found[name] = call()
        except NotFound:
            found[name] = []
    return {name: value for name, value in found.items() if value}


def test_a_practitioner_of_another_unit_gets_nothing(north_case, other_practitioner):
    assert _every_selector_result(other_practitioner, north_case) == {}


def test_a_manager_of_another_district_gets_nothing(north_case):
    manager = _user(UserRole.MANAGER, f.district("DS1", "AS"))
    assert _every_selector_result(manager, north_case) == {}


@pytest.mark.parametrize(
    "role", [UserRole.ANALYST, UserRole.ADMINISTRATOR, UserRole.QA_AUDITOR, UserRole.PARTNER]
)
def test_roles_without_casework_see_no_case_content(north_case, role):
    user = _user(role, f.county())
    assert _every_selector_result(user, north_case) == {}


def test_the_units_own_practitioner_sees_it(north_case, practitioner):
    found = _every_selector_result(practitioner, north_case)
    assert {"case_list", "case_get", "family_get", "person_get", "notification_get"} <= set(found)


def test_managers_see_their_district_and_area(north_case):
    for org in (f.district("DN1", "AN"), f.area("AN"), f.county()):
        manager = _user(UserRole.MANAGER, org)
        assert "case_get" in _every_selector_result(manager, north_case)


def test_triage_sees_identity_and_notifications_but_no_case_content(north_case, triage):
    found = _every_selector_result(triage, north_case)
    assert {"family_get", "person_get", "notification_get"} <= set(found)
    assert not {"case_list", "case_get", "unit_open_cases", "notes_of"} & set(found)


def test_partners_see_only_what_they_submitted(north_case):
    partner = _user(UserRole.PARTNER, None)
    mine = f.NotificationFactory(submitted_by_id=partner.pk)
    visible = list(front.notification_list(user=partner))
    assert visible == [mine]


def test_restricted_families_are_hidden_even_in_scope(north_case, practitioner, triage):
    north_case.family.restricted = True
    north_case.family.save()
    assert _every_selector_result(practitioner, north_case) == {}
    assert _every_selector_result(triage, north_case) == {}


def test_inactive_accounts_see_nothing(north_case, practitioner):
    practitioner.is_active = False
    practitioner.save()
    assert _every_selector_result(practitioner, north_case) == {}


def test_a_triage_officer_on_the_access_list_sees_the_restricted_familys_notifications(
    north_case, triage
):
    notification = f.NotificationFactory(person__family=north_case.family)
    north_case.family.restricted = True
    north_case.family.save()
    assert notification not in front.notification_list(user=triage)
    FamilyAccess.objects.create(family=north_case.family, user=triage)
    assert notification in front.notification_list(user=triage)
