"""Journey 6: the district step-down panel: proposals, decisions, notifications."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.urls import reverse

from earlyhelp.audit.models import CaseEvent, ChangeRecord
from earlyhelp.common.errors import InvalidInput, NotFound, PermissionRefused
from earlyhelp.domain.codes import OrgKind, UserRole, WorkerRole
from earlyhelp.domain.events import EventKind
from earlyhelp.frontdoor.models import Notification, StepDownProposal
from earlyhelp.frontdoor.stepdown import step_down_decide, step_down_propose
from earlyhelp.organisation.models import OrgUnit
from earlyhelp.people.models import Family, Person
from earlyhelp.testing import factories as f

pytestmark = pytest.mark.django_db

Status = StepDownProposal.Status


@pytest.fixture
def district(settings) -> OrgUnit:
    settings.EARLYHELP_TODAY = "2016-06-30"
    f.unit()  # EHU-N1 in DN1
    return OrgUnit.objects.get(code="DN1")


@pytest.fixture
def manager(district):
    return f.UserFactory(username="manager", role=UserRole.MANAGER, org_unit=district)


def proposal(district: OrgUnit, **overrides: object) -> StepDownProposal:
    values = {
        "proposal_ref": f"SD{StepDownProposal.objects.count() + 1:07d}",
        "district": district,
        "given_name": "Amy",
        "family_name": "Smith",
        "date_of_birth": dt.date(2010, 5, 13),
        "sex": "F",
        "postcode": "ME14 1XQ",
        "scs_worker": "Sam Social",
        "summary": "Child protection plan ended; needs continuing family support.",
        "proposed_on": dt.date(2016, 7, 15),
    }
    return StepDownProposal.objects.create(**(values | overrides))


PROPOSAL_FORM = {
    "given_name": "Amy",
    "family_name": "Smith",
    "date_of_birth_0": "13",
    "date_of_birth_1": "5",
    "date_of_birth_2": "2010",
    "sex": "F",
    "postcode": "me141xq",
    "scs_worker": "Sam Social",
    "summary": "Child protection plan ended.",
    "proposed_on_0": "15",
    "proposed_on_1": "7",
    "proposed_on_2": "2016",
}


# --- the panel ------------------------------------------------------------------------------


def test_panel_lists_waiting_and_decided(client, district, manager):
    waiting = proposal(district)
    declined = proposal(
        district,
        given_name="Ben",
        status=Status.DECLINED,
        decided_on=dt.date(2016, 6, 1),
        decision_reason="Still needs SCS",
    )
    elsewhere = proposal(f.district("DS1", "AS"), given_name="Cara")
    client.force_login(manager)
    response = client.get(reverse("step-down-panel"))
    assert response.status_code == 200
    page = response.content.decode()
    to_decide, decided = page.split("Decided (", 1)
    assert waiting.proposal_ref in to_decide
    assert "Amy Smith" in to_decide
    assert declined.proposal_ref in decided
    assert "Declined" in decided
    assert elsewhere.proposal_ref not in page


def test_panel_is_not_found_for_roles_not_on_a_panel(client, district):
    client.force_login(f.practitioner())
    assert client.get(reverse("step-down-panel")).status_code == 404
    assert client.get(reverse("step-down-propose")).status_code == 404


def test_unit_leaders_and_triage_sit_on_panels(client, district):
    sd = proposal(district)
    leader = f.UserFactory(role=UserRole.UNIT_LEADER, org_unit=f.unit())
    client.force_login(leader)
    assert sd.proposal_ref in client.get(reverse("step-down-panel")).content.decode()
    triage_unit = f.OrgUnitFactory(
        code="TRIAGE", name="Triage", kind=OrgKind.UNIT, parent=f.county(), service="TRIAGE"
    )
    client.force_login(f.UserFactory(role=UserRole.TRIAGE_OFFICER, org_unit=triage_unit))
    assert sd.proposal_ref in client.get(reverse("step-down-panel")).content.decode()
    other_leader = f.UserFactory(role=UserRole.UNIT_LEADER, org_unit=f.unit("EHU-S1", "DS1", "AS"))
    client.force_login(other_leader)
    assert sd.proposal_ref not in client.get(reverse("step-down-panel")).content.decode()
    assert client.get(reverse("step-down-decide", args=[sd.pk])).status_code == 404


# --- proposing ------------------------------------------------------------------------------


def test_propose_puts_the_child_on_the_agenda(client, district, manager):
    client.force_login(manager)
    shown = client.get(reverse("step-down-propose"))
    assert shown.status_code == 200
    assert b"csrfmiddlewaretoken" in shown.content
    response = client.post(
        reverse("step-down-propose"), PROPOSAL_FORM | {"district": district.pk}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("step-down-panel")
    made = StepDownProposal.objects.get()
    assert re.fullmatch(r"SD\d{7}", made.proposal_ref)
    assert (made.postcode, made.status) == ("ME14 1XQ", "PENDING")
    assert f"{made.proposal_ref}: Amy Smith is on the agenda" in response.content.decode()
    assert ChangeRecord.objects.filter(
        entity="frontdoor.stepdownproposal", action="CREATE"
    ).exists()


def test_propose_names_each_missing_field(client, district, manager):
    client.force_login(manager)
    page = client.post(reverse("step-down-propose"), {}).content.decode()
    assert "There is a problem" in page
    for field, message in [
        ("district", "Choose the district whose panel will decide."),
        ("given_name", "Enter the child&#x27;s given name."),
        ("family_name", "Enter the child&#x27;s family name."),
        ("date_of_birth", "Enter the child&#x27;s date of birth."),
        ("sex", "Choose the child&#x27;s sex, or &#x27;Not known&#x27;."),
        ("postcode", "Enter the postcode where the child lives."),
        ("scs_worker", "Enter the name of the SCS worker."),
        ("summary", "Say why the child is proposed for step-down and what SCS did."),
        ("proposed_on", "Enter the proposed step-down date."),
    ]:
        assert f'href="#id_{field}">{message}' in page, field
    assert not StepDownProposal.objects.exists()


def test_propose_refusals_from_the_service_are_field_errors(client, district, manager):
    client.force_login(manager)
    data = PROPOSAL_FORM | {"district": district.pk, "postcode": "QQ1 1QQ"}
    page = client.post(reverse("step-down-propose"), data).content.decode()
    assert 'href="#id_postcode">Enter a real UK postcode' in page
    data = PROPOSAL_FORM | {"district": district.pk, "date_of_birth_2": "2017"}
    page = client.post(reverse("step-down-propose"), data).content.decode()
    assert 'href="#id_date_of_birth">The date of birth must be today or in the past.' in page
    assert not StepDownProposal.objects.exists()


def test_propose_only_to_ones_own_districts(client, district, manager):
    other = f.district("DS1", "AS")
    client.force_login(manager)
    page = client.post(
        reverse("step-down-propose"), PROPOSAL_FORM | {"district": other.pk}
    ).content.decode()
    assert 'href="#id_district">Select a valid choice.' in page
    with pytest.raises(PermissionRefused):
        step_down_propose(
            user=manager,
            district=other,
            given_name="Amy",
            family_name="Smith",
            date_of_birth=dt.date(2010, 1, 1),
            sex="F",
            postcode="ME14 1XQ",
            scs_worker="Sam",
            summary="Reason",
            proposed_on=dt.date(2016, 7, 1),
        )


def test_propose_needs_csrf(district, manager):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(manager)
    response = strict.post(reverse("step-down-propose"), PROPOSAL_FORM | {"district": district.pk})
    assert response.status_code == 403


# --- deciding -------------------------------------------------------------------------------


def decide(client, sd: StepDownProposal, **data: str):
    values = {"version": str(sd.version), "reason": "Agreed at panel"} | data
    return client.post(reverse("step-down-decide", args=[sd.pk]), values)


def test_accepting_records_a_new_child_and_a_step_down_notification(client, district, manager):
    sd = proposal(district, postcode="CT1 2EH", given_name="Zed", family_name="Quill")
    client.force_login(manager)
    shown = client.get(reverse("step-down-decide", args=[sd.pk])).content.decode()
    assert "No known record matches this child" in shown
    response = decide(client, sd, decision="ACCEPTED", person="new")
    assert response.status_code == 302
    assert response["Location"] == reverse("step-down-panel")
    sd.refresh_from_db()
    notification = Notification.objects.get()
    assert (sd.status, sd.notification_id, sd.decided_on) == (
        "ACCEPTED",
        notification.pk,
        dt.date(2016, 6, 30),
    )
    assert (notification.source, notification.category) == ("SCS", "SCS_STEP_DOWN")
    assert notification.referrer_name == "Sam Social"
    child = Person.objects.get(pk=notification.person_id)
    assert (child.full_name, child.date_of_birth, child.family.postcode) == (
        "Zed Quill",
        dt.date(2010, 5, 13),
        "CT1 2EH",
    )
    assert child.family.district_id == district.pk
    event = CaseEvent.objects.get(kind=EventKind.STEP_DOWN_RECEIVED)
    assert (event.family_id, event.notification_id) == (child.family_id, notification.pk)
    panel = client.get(reverse("step-down-panel")).content.decode()
    assert notification.notification_ref in panel.split("Decided (", 1)[1]


def test_accepting_links_a_known_child(client, district, manager):
    known = f.PersonFactory(
        given_name="Amy", family_name="Smith", date_of_birth=dt.date(2010, 5, 13)
    )
    sd = proposal(district)
    client.force_login(manager)
    shown = client.get(reverse("step-down-decide", args=[sd.pk])).content.decode()
    assert known.person_ref in shown
    response = decide(client, sd, decision="ACCEPTED", person=str(known.pk))
    assert response.status_code == 302
    notification = Notification.objects.get()
    assert notification.person_id == known.pk
    assert Family.objects.count() == 1


def test_accepting_needs_the_child_chosen(client, district, manager):
    f.PersonFactory(given_name="Amy", family_name="Smith", date_of_birth=dt.date(2010, 5, 13))
    sd = proposal(district)
    client.force_login(manager)
    page = decide(client, sd, decision="ACCEPTED").content.decode()
    assert 'href="#id_person">Choose the child&#x27;s record, or record a new child.' in page
    sd.refresh_from_db()
    assert sd.status == "PENDING"
    assert not Notification.objects.exists()


def test_decision_and_reason_are_required(client, district, manager):
    sd = proposal(district)
    client.force_login(manager)
    page = decide(client, sd, reason="").content.decode()
    assert 'href="#id_decision">Choose the panel&#x27;s decision.' in page
    assert 'href="#id_reason">Give the reason for the panel&#x27;s decision.' in page


def test_declining_and_deferring(client, district, manager):
    declined, deferred = proposal(district), proposal(district, given_name="Ben")
    client.force_login(manager)
    assert decide(client, declined, decision="DECLINED", reason="Still at risk").status_code == 302
    assert (
        decide(client, deferred, decision="DEFERRED", reason="More information").status_code == 302
    )
    declined.refresh_from_db()
    deferred.refresh_from_db()
    assert (declined.status, declined.decision_reason) == ("DECLINED", "Still at risk")
    assert deferred.status == "DEFERRED"
    assert deferred.is_open
    page = client.get(reverse("step-down-panel")).content.decode()
    to_decide = page.split("Decided (", 1)[0]
    assert deferred.proposal_ref in to_decide
    assert "Deferred" in to_decide
    # A deferred proposal comes back to the panel and can be decided.
    assert decide(client, deferred, decision="ACCEPTED", person="new").status_code == 302
    deferred.refresh_from_db()
    assert deferred.status == "ACCEPTED"
    assert deferred.notification_id is not None
    assert not Notification.objects.filter(person__given_name="Amy").exists()


def test_a_decided_proposal_is_not_decided_again(client, district, manager):
    sd = proposal(district)
    client.force_login(manager)
    decide(client, sd, decision="DECLINED")
    sd.refresh_from_db()
    shown = client.get(reverse("step-down-decide", args=[sd.pk])).content.decode()
    assert "Record the panel" not in shown
    assert "Declined on 30 June 2016" in shown
    page = decide(client, sd, decision="ACCEPTED", person="new").content.decode()
    assert "The panel has already decided: declined." in page
    assert not Notification.objects.exists()


def test_stale_decision_is_refused(client, district, manager):
    sd = proposal(district)
    client.force_login(manager)
    page = decide(client, sd, decision="DECLINED", version="0").content.decode()
    assert "changed by someone else" in page
    assert f'name="version" value="{sd.version}"' in page
    sd.refresh_from_db()
    assert sd.status == "PENDING"


def test_nothing_is_half_saved_when_the_notification_is_refused(
    client, district, manager, monkeypatch
):
    """The new family and child are rolled back with the refused notification."""

    def refuse(**kwargs: object) -> None:
        raise InvalidInput({"reason": ["The notification was refused."]})

    monkeypatch.setattr("earlyhelp.frontdoor.stepdown.notification_create", refuse)
    sd = proposal(district)
    client.force_login(manager)
    page = decide(client, sd, decision="ACCEPTED", person="new").content.decode()
    assert 'href="#id_reason">The notification was refused.' in page
    assert not Family.objects.exists()
    assert not Person.objects.exists()
    sd.refresh_from_db()
    assert sd.status == "PENDING"


def test_service_refuses_people_out_of_scope_and_merged_records(district, manager):
    sd = proposal(district)
    hidden = f.PersonFactory(family=f.FamilyFactory(district=f.district("DS1", "AS")))
    with pytest.raises(NotFound):
        step_down_decide(
            user=manager, proposal=sd, version=1, decision="ACCEPTED", reason="x", person=hidden
        )
    kept = f.PersonFactory()
    merged = f.PersonFactory(merged_into=kept)
    with pytest.raises(InvalidInput) as refused:
        step_down_decide(
            user=manager, proposal=sd, version=1, decision="ACCEPTED", reason="x", person=merged
        )
    assert "person" in refused.value.errors
    assert not Notification.objects.exists()


def test_decide_page_out_of_scope_is_not_found(client, district):
    sd = proposal(district)
    other = f.district("DS1", "AS")
    client.force_login(f.UserFactory(role=UserRole.MANAGER, org_unit=other))
    assert client.get(reverse("step-down-decide", args=[sd.pk])).status_code == 404
    assert decide(client, sd, decision="DECLINED").status_code == 404
    worker = f.WorkerFactory(role=WorkerRole.PRACTITIONER)
    client.force_login(f.UserFactory(role=UserRole.PRACTITIONER, worker=worker))
    assert client.get(reverse("step-down-decide", args=[sd.pk])).status_code == 404
