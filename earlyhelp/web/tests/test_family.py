"""Journey 3: the family and person record, editing a person, merging two records."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.urls import reverse

from earlyhelp.audit.models import AccessLog, CaseEvent
from earlyhelp.audit.services import Actor, Refs, case_event_record
from earlyhelp.casework.models import ScsReferral
from earlyhelp.common.clock import LONDON
from earlyhelp.domain.codes import RelationshipKind, RoleInFamily, UserRole, WorkerRole
from earlyhelp.domain.events import EventKind
from earlyhelp.people.models import Family, Person, Relationship
from earlyhelp.testing import factories as f
from earlyhelp.web.views.family import age_of, nhs_spaced

pytestmark = pytest.mark.django_db

NHS = "9434765919"
OTHER_NHS = "4010232137"
UPN = "H801200001001"


@dataclass
class Household:
    family: Family
    child: Person
    parent: Person
    user: object


def household() -> Household:
    """A family in district DN1 with an open case in unit EHU-N1, a practitioner there."""
    the_unit = f.unit()
    worker = f.WorkerFactory(unit=the_unit, name="Pat Worker", role=WorkerRole.PRACTITIONER)
    user = f.UserFactory(
        username="prac", role=UserRole.PRACTITIONER, org_unit=the_unit, worker=worker
    )
    family = f.FamilyFactory(address_line_1="1 High Street", town="Maidstone")
    child = f.PersonFactory(
        family=family, given_name="Amy", family_name="Smith", nhs_number=NHS, upn=UPN
    )
    parent = f.PersonFactory(
        family=family,
        given_name="Jane",
        family_name="Smith",
        date_of_birth=dt.date(1985, 1, 2),
        role_in_family=RoleInFamily.PARENT_CARER,
    )
    Relationship.objects.create(person=parent, other=child, kind=RelationshipKind.PARENT_OF)
    notification = f.NotificationFactory(person=child)
    case = f.CaseFactory(family=family, unit=the_unit, worker=worker, notification=notification)
    actor = Actor(id=user.pk, name="prac")
    refs = Refs(family_id=family.pk, person_id=child.pk, notification_id=notification.pk)
    case_event_record(
        actor=actor,
        kind=EventKind.NOTIFICATION_RECEIVED,
        occurred_on=dt.date(2016, 1, 4),
        refs=refs,
        data={"source": "SCHOOL", "category": "STANDARD", "ref": notification.notification_ref},
    )
    case_event_record(
        actor=actor,
        kind=EventKind.CASE_OPENED,
        occurred_on=dt.date(2016, 1, 5),
        refs=Refs(family_id=family.pk, case_id=case.pk),
        data={"unit": the_unit.name, "worker": worker.name, "ref": case.case_ref},
    )
    return Household(family=family, child=child, parent=parent, user=user)


@pytest.fixture
def home(settings) -> Household:
    settings.EARLYHELP_TODAY = "2016-06-30"
    return household()


def outsider() -> object:
    """A practitioner of another district: the household is out of their scope."""
    other = f.unit("EHU-S1", "DS1", "AS")
    return f.UserFactory(username="outsider", role=UserRole.PRACTITIONER, org_unit=other)


# --- helpers --------------------------------------------------------------------------------


def test_nhs_numbers_are_spaced_3_3_4():
    assert nhs_spaced(NHS) == "943 476 5919"
    assert nhs_spaced("") == ""


def test_age_in_years_then_months():
    today = dt.date(2016, 6, 30)
    assert age_of(dt.date(2010, 7, 1), today) == "5"
    assert age_of(dt.date(2010, 6, 30), today) == "6"
    assert age_of(dt.date(2016, 3, 1), today) == "3 months"
    assert age_of(None, today) == "Not known"


# --- the family record ----------------------------------------------------------------------


def test_family_record_shows_members_identifiers_alerts_and_timeline(client, home):
    client.force_login(home.user)
    response = client.get(reverse("family", args=[home.family.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert f"Family {home.family.family_ref}" in page
    assert "1 High Street" in page
    assert "District DN1" in page
    assert "Amy Smith" in page
    assert "Jane Smith" in page
    assert "943 476 5919" in page
    assert UPN in page
    assert "is parent of" in page
    assert "govuk-warning-text" in page
    assert "is open with Unit EHU-N1" in page
    assert "is waiting for triage" in page
    assert "moj-timeline__item" in page
    assert "Case opened" in page
    assert "opened in Unit EHU-N1, with Pat Worker." in page
    assert "Notification received" in page
    assert "from School about Amy Smith." in page
    assert page.index("Case opened") < page.index("Notification received")  # newest first
    assert AccessLog.objects.filter(family_id=home.family.pk, what="family record").exists()


def test_family_record_shows_step_up_and_step_down_history(client, home):
    ScsReferral.objects.create(
        family=home.family,
        case=home.family.cases.get(),
        referred_on=dt.date(2016, 3, 1),
        reason="Escalating concerns",
    )
    f.NotificationFactory(
        person=home.child,
        source="SCS",
        category="SCS_STEP_DOWN",
        received_at=dt.datetime(2016, 4, 1, 10, tzinfo=LONDON),
    )
    client.force_login(home.user)
    page = client.get(reverse("family", args=[home.family.pk])).content.decode()
    assert "Stepped up to Specialist Children&#x27;s Services on 1 March 2016." in page
    assert "Stepped down from Specialist Children&#x27;s Services" in page


def test_family_out_of_scope_is_not_found(client, home):
    client.force_login(outsider())
    assert client.get(reverse("family", args=[home.family.pk])).status_code == 404
    assert client.get(reverse("person", args=[home.child.pk])).status_code == 404


def test_family_record_needs_sign_in(client, home):
    response = client.get(reverse("family", args=[home.family.pk]))
    assert response.status_code == 302


def test_timeline_is_paginated(client, home):
    for day in range(1, 31):
        case_event_record(
            actor=Actor(id=None, name="system"),
            kind=EventKind.NOTE_ADDED,
            occurred_on=dt.date(2016, 6, day),
            refs=Refs(family_id=home.family.pk),
            data={"kind": "HOME_VISIT"},
        )
    client.force_login(home.user)
    first = client.get(reverse("family", args=[home.family.pk])).content.decode()
    assert "30 June 2016" in first
    assert "Home visit recorded." in first
    assert "page 1 of 2" in first
    assert 'rel="next"' in first
    second = client.get(reverse("family", args=[home.family.pk]), {"page": 2}).content.decode()
    assert "Case opened" in second
    assert "30 June 2016</time>" not in second


def test_timeline_leaves_out_cases_outside_the_users_scope(client, home):
    """A family with a case in the user's unit is in scope; other units' cases are not."""
    other_unit = f.unit("EHU-N2", "DN1", "AN")
    hidden = f.CaseFactory(family=home.family, unit=other_unit)
    case_event_record(
        actor=Actor(id=None, name="system"),
        kind=EventKind.CASE_CLOSED,
        occurred_on=dt.date(2016, 6, 1),
        refs=Refs(family_id=home.family.pk, case_id=hidden.pk),
        data={"reason": "OUTCOMES_ACHIEVED"},
    )
    client.force_login(home.user)
    page = client.get(reverse("family", args=[home.family.pk])).content.decode()
    assert "Case closed" not in page
    assert hidden.case_ref not in page


def test_family_record_queries_do_not_grow_with_members_and_events(
    client, settings, django_assert_max_num_queries
):
    settings.EARLYHELP_TODAY = "2016-06-30"
    small = household()
    client.force_login(small.user)
    with django_assert_max_num_queries(30) as captured:
        client.get(reverse("family", args=[small.family.pk]))
    baseline = len(captured.captured_queries)
    for n in range(8):
        person = f.PersonFactory(family=small.family)
        Relationship.objects.create(
            person=small.parent, other=person, kind=RelationshipKind.PARENT_OF
        )
        f.NotificationFactory(person=person)
        f.CaseFactory(family=small.family, unit=small.user.org_unit, worker=small.user.worker)
        case_event_record(
            actor=Actor(id=None, name="system"),
            kind=EventKind.NOTE_ADDED,
            occurred_on=dt.date(2016, 2, n + 1),
            refs=Refs(family_id=small.family.pk),
            data={"kind": "PHONE_CALL"},
        )
    with django_assert_max_num_queries(baseline):
        response = client.get(reverse("family", args=[small.family.pk]))
    assert response.content.decode().count("govuk-table__row") > 20


# --- the person record ----------------------------------------------------------------------


def test_person_record_shows_identifiers_relationships_and_history(client, home):
    client.force_login(home.user)
    response = client.get(reverse("person", args=[home.child.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "moj-identity-bar" in page
    assert "943 476 5919" in page
    assert UPN in page
    assert "13 May 2010" in page
    assert "Jane Smith</a> is parent of" in page
    assert home.family.cases.get().case_ref in page
    assert "Notification received" in page
    assert AccessLog.objects.filter(person_id=home.child.pk, what="person record").exists()


def test_person_record_includes_records_merged_into_it(client, home):
    elsewhere = f.FamilyFactory(postcode="CT1 2EH")
    old = f.PersonFactory(family=elsewhere, given_name="Amie", family_name="Smith")
    old.merged_into = home.child
    old.save()
    earlier = f.NotificationFactory(person=old)
    old_case = f.CaseFactory(family=elsewhere, unit=home.user.org_unit)
    client.force_login(home.user)
    page = client.get(reverse("person", args=[home.child.pk])).content.decode()
    assert "Records merged into this one" in page
    assert old.person_ref in page
    assert earlier.notification_ref in page
    assert old_case.case_ref in page


def test_person_queries_do_not_grow(client, home, django_assert_max_num_queries):
    client.force_login(home.user)
    with django_assert_max_num_queries(40) as captured:
        client.get(reverse("person", args=[home.parent.pk]))
    baseline = len(captured.captured_queries)
    for _ in range(6):
        person = f.PersonFactory(family=home.family)
        Relationship.objects.create(
            person=home.parent, other=person, kind=RelationshipKind.PARENT_OF
        )
        Relationship.objects.create(person=person, other=home.parent, kind=RelationshipKind.OTHER)
        f.NotificationFactory(person=home.parent)
    with django_assert_max_num_queries(baseline):
        client.get(reverse("person", args=[home.parent.pk]))


# --- editing a person -----------------------------------------------------------------------


def edit_data(person: Person, response) -> dict[str, str]:
    form = response.context["form"]
    return {
        "given_name": person.given_name,
        "family_name": person.family_name,
        "date_of_birth_0": "13",
        "date_of_birth_1": "5",
        "date_of_birth_2": "2010",
        "sex": person.sex,
        "ethnicity": person.ethnicity,
        "upn": person.upn,
        "nhs_number": person.nhs_number,
        "version": str(form.initial["version"]),
        "seen": form.initial["seen"],
    }


def test_edit_person_saves_and_redirects(client, home):
    client.force_login(home.user)
    url = reverse("person-edit", args=[home.child.pk])
    shown = client.get(url)
    assert shown.status_code == 200
    assert b"csrfmiddlewaretoken" in shown.content
    data = edit_data(home.child, shown) | {"given_name": "Amelia", "ethnicity": "WBRI"}
    response = client.post(url, data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("person", args=[home.child.pk])
    assert b"Amelia Smith&#x27;s record has been saved." in response.content
    home.child.refresh_from_db()
    assert (home.child.given_name, home.child.ethnicity, home.child.version) == (
        "Amelia",
        "WBRI",
        2,
    )


def test_edit_person_reports_each_bad_field(client, home):
    client.force_login(home.user)
    url = reverse("person-edit", args=[home.child.pk])
    data = edit_data(home.child, client.get(url)) | {
        "given_name": "",
        "date_of_birth_0": "31",
        "date_of_birth_1": "2",
    }
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "There is a problem" in page
    assert 'href="#id_given_name">Enter the given name.' in page
    assert 'href="#id_date_of_birth">Date of birth must be a real date.' in page
    home.child.refresh_from_db()
    assert home.child.version == 1


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"nhs_number": "943 476 5918"}, 'href="#id_nhs_number">That NHS number&#x27;s check'),
        ({"upn": "A801200001001"}, 'href="#id_upn">That unique pupil number&#x27;s check'),
        ({"date_of_birth_2": "2017"}, 'href="#id_date_of_birth">Date of birth must be today'),
    ],
)
def test_edit_person_service_refusals_are_field_errors(client, home, change, error):
    client.force_login(home.user)
    url = reverse("person-edit", args=[home.child.pk])
    data = edit_data(home.child, client.get(url)) | change
    response = client.post(url, data)
    assert error in response.content.decode()
    home.child.refresh_from_db()
    assert home.child.nhs_number == NHS
    assert home.child.version == 1


def test_stale_edit_is_refused_showing_the_changes_and_keeping_the_input(client, home):
    client.force_login(home.user)
    url = reverse("person-edit", args=[home.child.pk])
    data = edit_data(home.child, client.get(url)) | {"given_name": "Amelia"}
    # Someone else changes the family name meanwhile.
    from earlyhelp.people.services import person_update

    person_update(
        actor=Actor(id=None, name="someone"), person=home.child, version=1, family_name="Jones"
    )
    response = client.post(url, data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "changed by someone else while you were editing it" in page
    assert '<th scope="row" class="govuk-table__header">Family name</th>' in page
    assert ">Smith</td>" in page
    assert ">Jones</td>" in page
    assert 'value="Amelia"' in page
    assert 'name="version" value="2"' in page
    home.child.refresh_from_db()
    assert (home.child.given_name, home.child.family_name) == ("Amy", "Jones")
    # Saving again, having seen the changes, works.
    resubmit = response.context["form"].data.copy()
    assert client.post(url, resubmit).status_code == 302
    home.child.refresh_from_db()
    assert (home.child.given_name, home.child.version) == ("Amelia", 3)


def test_edit_out_of_scope_is_not_found_and_needs_csrf(client, home):
    client.force_login(outsider())
    assert client.get(reverse("person-edit", args=[home.child.pk])).status_code == 404
    from django.test import Client

    strict = Client(enforce_csrf_checks=True)
    strict.force_login(home.user)
    response = strict.post(reverse("person-edit", args=[home.child.pk]), {"given_name": "X"})
    assert response.status_code == 403


def test_roles_that_cannot_edit_people_are_refused(client, home):
    auditor = f.UserFactory(role=UserRole.QA_AUDITOR, org_unit=home.user.org_unit)
    client.force_login(auditor)
    assert client.get(reverse("person-edit", args=[home.child.pk])).status_code == 404


# --- merging two records --------------------------------------------------------------------


@pytest.fixture
def duplicate(home) -> Person:
    elsewhere = f.FamilyFactory(postcode="ME15 6AB")
    dup = f.PersonFactory(
        family=elsewhere,
        given_name="Amy",
        family_name="Smyth",
        date_of_birth=dt.date(2010, 5, 13),
        ethnicity="WBRI",
    )
    f.NotificationFactory(person=dup)
    f.CaseFactory(family=elsewhere, unit=home.user.org_unit)  # in the practitioner's scope
    return dup


def test_merge_choose_check_confirm(client, home, duplicate):
    client.force_login(home.user)
    url = reverse("person-merge", args=[home.child.pk])
    assert client.get(url).status_code == 200
    check = client.get(url, {"duplicate": duplicate.person_ref.lower()})
    assert check.status_code == 200
    page = check.content.decode()
    assert f"{duplicate.person_ref} will be merged into {home.child.person_ref}" in page
    assert "Amy Smyth" in page
    assert "Amy Smith" in page
    data = {
        "duplicate": duplicate.person_ref,
        "version_keep": "1",
        "version_duplicate": "1",
        "confirm": "on",
    }
    response = client.post(url, data, follow=True)
    assert response.redirect_chain[-1][0] == reverse("person", args=[home.child.pk])
    assert f"{duplicate.person_ref} has been merged into" in response.content.decode()
    duplicate.refresh_from_db()
    home.child.refresh_from_db()
    assert duplicate.merged_into_id == home.child.pk
    assert home.child.ethnicity == "WBRI"
    assert CaseEvent.objects.filter(kind=EventKind.PERSON_MERGED).count() == 2


def test_merge_needs_confirmation(client, home, duplicate):
    client.force_login(home.user)
    url = reverse("person-merge", args=[home.child.pk])
    data = {"duplicate": duplicate.person_ref, "version_keep": "1", "version_duplicate": "1"}
    page = client.post(url, data).content.decode()
    assert 'href="#id_confirm">Confirm that the two records are the same person.' in page
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id is None


def test_merge_conflict_is_a_field_error(client, home, duplicate):
    duplicate.nhs_number = OTHER_NHS
    duplicate.save()
    client.force_login(home.user)
    url = reverse("person-merge", args=[home.child.pk])
    check = client.get(url, {"duplicate": duplicate.person_ref}).content.decode()
    assert "The two records have different NHS numbers" in check
    data = {
        "duplicate": duplicate.person_ref,
        "version_keep": "1",
        "version_duplicate": "1",
        "confirm": "on",
    }
    page = client.post(url, data).content.decode()
    assert 'href="#id_confirm">The two records have different NHS numbers' in page
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id is None


def test_merge_with_a_stale_record_is_refused(client, home, duplicate):
    client.force_login(home.user)
    url = reverse("person-merge", args=[home.child.pk])
    data = {
        "duplicate": duplicate.person_ref,
        "version_keep": "1",
        "version_duplicate": "1",
        "confirm": "on",
    }
    duplicate.version = 2
    duplicate.save()
    response = client.post(url, data)
    page = response.content.decode()
    assert "changed by someone else" in page
    assert 'name="version_duplicate" value="2"' in page
    duplicate.refresh_from_db()
    assert duplicate.merged_into_id is None


@pytest.mark.parametrize(
    ("ref", "message"),
    [
        ("", "Enter the reference of the other record."),
        ("P9999999", "No record with the reference P9999999 was found."),
        ("SELF", "That is this record"),
    ],
)
def test_merge_choice_errors(client, home, ref, message):
    client.force_login(home.user)
    ref = home.child.person_ref if ref == "SELF" else ref
    response = client.get(reverse("person-merge", args=[home.child.pk]), {"duplicate": ref})
    page = response.content.decode()
    assert "There is a problem" in page
    assert message in page


def test_merge_cannot_reach_records_out_of_scope(client, home):
    hidden = f.PersonFactory(family=f.FamilyFactory(district=f.district("DS1", "AS")))
    client.force_login(home.user)
    response = client.get(
        reverse("person-merge", args=[home.child.pk]), {"duplicate": hidden.person_ref}
    )
    assert "No record with the reference" in response.content.decode()
    client.force_login(outsider())
    assert client.get(reverse("person-merge", args=[home.child.pk])).status_code == 404
