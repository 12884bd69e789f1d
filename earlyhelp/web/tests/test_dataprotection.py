"""Data protection pages: audit logs, break-glass and its review, subject access, consent,
restricted records' access lists, the analysts' extract and partners' notifications."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from dataclasses import dataclass

import pytest
from django.urls import reverse

from earlyhelp.audit.models import AccessAction, AccessLog
from earlyhelp.common.clock import LONDON
from earlyhelp.domain.codes import ConsentPurpose, UserRole, WorkerRole
from earlyhelp.people.models import BreakGlassGrant, Family, FamilyAccess, FamilyConsent
from earlyhelp.testing import factories as f
from earlyhelp.web.tests.test_family import Household, household

pytestmark = pytest.mark.django_db


@dataclass
class World:
    home: Household  # family in DN1, case in EHU-N1, practitioner "prac" there
    away: Family  # a family in DS1 with a case in EHU-S1
    leader: object  # unit leader of EHU-N1
    away_leader: object  # unit leader of EHU-S1
    away_prac: object
    manager: object  # district manager of DN1
    away_manager: object
    dpo: object
    analyst: object
    partner: object


@pytest.fixture
def world(settings) -> World:
    settings.EARLYHELP_TODAY = "2016-06-30"
    home = household()
    away_unit = f.unit("EHU-S1", "DS1", "AS")
    away = f.FamilyFactory(district=f.district("DS1", "AS"), postcode="CT1 2EH")
    f.PersonFactory(family=away, given_name="Zoe", family_name="Patel")
    f.CaseFactory(family=away, unit=away_unit)
    worker = f.WorkerFactory(unit=away_unit, role=WorkerRole.PRACTITIONER)
    return World(
        home=home,
        away=away,
        leader=f.UserFactory(username="leader", role=UserRole.UNIT_LEADER, org_unit=f.unit()),
        away_leader=f.UserFactory(
            username="awayleader", role=UserRole.UNIT_LEADER, org_unit=away_unit
        ),
        away_prac=f.UserFactory(
            username="awayprac", role=UserRole.PRACTITIONER, org_unit=away_unit, worker=worker
        ),
        manager=f.UserFactory(username="manager", role=UserRole.MANAGER, org_unit=f.district()),
        away_manager=f.UserFactory(
            username="awaymanager", role=UserRole.MANAGER, org_unit=f.district("DS1", "AS")
        ),
        dpo=f.UserFactory(
            username="dpo", role=UserRole.DATA_PROTECTION_OFFICER, org_unit=f.county()
        ),
        analyst=f.UserFactory(username="analyst", role=UserRole.ANALYST, org_unit=f.county()),
        partner=f.UserFactory(
            username="partner",
            role=UserRole.PARTNER,
            org_unit=None,
            partner_organisation="Margate Academy",
        ),
    )


def _csv(response) -> list[dict[str, str]]:
    body = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(body)))


# --- every page of personal data is logged ----------------------------------------------------


def test_views_and_searches_of_personal_data_are_logged(client, world) -> None:
    home = world.home
    client.force_login(home.user)
    case = home.family.cases.get()
    for url in (
        reverse("family", args=[home.family.pk]),
        reverse("person", args=[home.child.pk]),
        reverse("case", args=[case.pk]),
        reverse("search") + "?q=Smith",
    ):
        before = AccessLog.objects.count()
        assert client.get(url).status_code == 200
        assert AccessLog.objects.count() == before + 1, url
    assert AccessLog.objects.filter(action=AccessAction.SEARCH, actor_id=home.user.pk).exists()


# --- who looked at a record, what a user looked at ------------------------------------------


def test_who_has_looked_at_a_childs_record(client, world) -> None:
    home = world.home
    client.force_login(home.user)
    client.get(reverse("person", args=[home.child.pk]))
    client.get(reverse("family", args=[home.family.pk]))
    client.force_login(world.manager)
    url = reverse("record-access-log")
    response = client.get(url, {"ref": home.child.person_ref.lower()})
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [r.what for r in rows][:2] == ["family record", "person record"]
    assert {r.who for r in rows} >= {"prac"}
    assert home.child.person_ref in rows[1].records
    since = {"ref": home.child.person_ref, "since_0": "1", "since_1": "7", "since_2": "2016"}
    assert client.get(url, since).context["rows"] == []
    exported = client.get(url, {"ref": home.child.person_ref, "format": "csv"})
    assert exported["Content-Type"].startswith("text/csv")
    lines = _csv(exported)
    assert {line["what"] for line in lines} >= {"person record", "family record"}
    assert AccessLog.objects.filter(
        action=AccessAction.EXPORT, actor_id=world.manager.pk, person_id=home.child.pk
    ).exists()


def test_the_record_log_is_for_managers_in_scope_and_the_dpo(client, world) -> None:
    url = reverse("record-access-log")
    ref = {"ref": world.home.family.family_ref}
    client.force_login(world.home.user)
    assert client.get(url, ref).status_code == 403
    client.force_login(world.away_manager)
    response = client.get(url, ref)
    assert response.status_code == 200
    assert "No person, family or case" in response.context["form"].errors["ref"][0]
    client.force_login(world.dpo)
    assert client.get(url, ref).context["subject"].family_id == world.home.family.pk
    bad = client.get(url, {"ref": "F1", "since_0": "31", "since_1": "2", "since_2": "2016"})
    assert bad.context["form"].errors


def test_what_a_user_has_looked_at(client, world) -> None:
    client.force_login(world.home.user)
    client.get(reverse("family", args=[world.home.family.pk]))
    url = reverse("user-access-log")
    client.force_login(world.manager)
    response = client.get(url, {"username": "PRAC"})
    assert [r.what for r in response.context["rows"]] == ["family record"]
    assert world.home.family.family_ref in response.context["rows"][0].records
    assert client.get(url, {"username": "awayprac"}).context["form"].errors
    client.force_login(world.dpo)
    lines = _csv(client.get(url, {"username": "prac", "format": "csv"}))
    assert [line["what"] for line in lines] == ["family record"]


def test_the_log_pages_keep_a_constant_number_of_queries(
    client, world, django_assert_max_num_queries
) -> None:
    client.force_login(world.home.user)
    client.get(reverse("family", args=[world.home.family.pk]))
    client.get(reverse("person", args=[world.home.child.pk]))
    client.force_login(world.dpo)
    url = reverse("user-access-log")
    with django_assert_max_num_queries(40) as few:
        client.get(url, {"username": "prac"})
    baseline = len(few.captured_queries)
    client.force_login(world.home.user)
    for _ in range(30):
        client.get(reverse("person", args=[world.home.child.pk]))
    client.force_login(world.dpo)
    with django_assert_max_num_queries(baseline):
        assert len(client.get(url, {"username": "prac"}).context["rows"]) == 32


# --- break-glass ------------------------------------------------------------------------------


def test_break_glass_opens_a_record_for_a_typed_reason(client, world) -> None:
    prac, away = world.home.user, world.away
    client.force_login(prac)
    family_url = reverse("family", args=[away.pk])
    assert client.get(family_url).status_code == 404
    url = reverse("break-glass")
    shown = client.get(url, {"ref": away.family_ref.lower()})
    assert shown.context["target"].family == away
    assert "Zoe" not in shown.content.decode()  # nothing of the record before the reason
    refused = client.post(url, {"ref": away.family_ref, "reason": "  "})
    assert "Say why you need to open this record." in refused.content.decode()
    response = client.post(url, {"ref": away.family_ref, "reason": "Zoe's school rang: urgent"})
    assert response.status_code == 302
    assert response["Location"] == family_url
    assert client.get(family_url).status_code == 200
    entry = AccessLog.objects.get(action=AccessAction.BREAK_GLASS)
    assert (entry.actor_id, entry.family_id, entry.reason) == (
        prac.pk,
        away.pk,
        "Zoe's school rang: urgent",
    )
    assert BreakGlassGrant.objects.get().user_id == prac.pk


def test_break_glass_by_person_or_case_reference_leads_to_that_record(client, world) -> None:
    client.force_login(world.home.user)
    person = world.away.members.get()
    response = client.post(
        reverse("break-glass"), {"ref": person.person_ref, "reason": "Sibling at our school"}
    )
    assert response["Location"] == reverse("person", args=[person.pk])
    case = world.away.cases.get()
    response = client.post(reverse("break-glass"), {"ref": case.case_ref, "reason": "Same family"})
    assert response["Location"] == reverse("case", args=[case.pk])


def test_break_glass_refuses_restricted_unknown_and_says_when_in_scope(client, world) -> None:
    Family.objects.filter(pk=world.away.pk).update(restricted=True)
    client.force_login(world.home.user)
    url = reverse("break-glass")
    for ref in (world.away.family_ref, "F9999999", "hello"):
        response = client.get(url, {"ref": ref})
        assert response.context["ref_form"].errors["ref"] == [
            "No record with that reference can be opened."
        ]
    posted = client.post(url, {"ref": world.away.family_ref, "reason": "I really need it"})
    assert posted.status_code == 200
    assert not AccessLog.objects.filter(action=AccessAction.BREAK_GLASS).exists()
    mine = client.get(url, {"ref": world.home.family.family_ref})
    assert mine.context["target"].in_scope
    assert "You can already see" in mine.content.decode()
    client.force_login(world.analyst)
    assert client.get(url).status_code == 403


def test_search_offers_break_glass_with_the_reference(client, world) -> None:
    client.force_login(world.home.user)
    page = client.get(reverse("search"), {"q": world.away.family_ref}).content.decode()
    assert f"{reverse('break-glass')}?q={world.away.family_ref}" in page
    form = client.get(reverse("break-glass"), {"q": world.away.family_ref}).context["ref_form"]
    assert form.initial == {"ref": world.away.family_ref}


def test_the_records_unit_leader_reviews_break_glass(client, world) -> None:
    client.force_login(world.home.user)
    client.post(reverse("break-glass"), {"ref": world.away.family_ref, "reason": "Urgent call"})
    url = reverse("break-glass-review")
    client.force_login(world.away_leader)
    entries = client.get(url).context["entries"]
    assert [(e.who, e.reason, e.family_ref) for e in entries] == [
        ("prac", "Urgent call", world.away.family_ref)
    ]
    assert entries[0].expires_at is not None
    client.force_login(world.away_manager)
    assert len(client.get(url).context["entries"]) == 1
    client.force_login(world.leader)
    assert client.get(url).context["entries"] == []
    client.force_login(world.dpo)
    assert len(client.get(url).context["entries"]) == 1
    client.force_login(world.home.user)
    assert client.get(url).status_code == 403


# --- subject access ---------------------------------------------------------------------------


def test_subject_access_page_and_downloads(client, world) -> None:
    url = reverse("subject-access")
    ref = world.home.child.person_ref
    client.force_login(world.manager)
    page = client.get(url, {"ref": ref})
    assert page.context["person"] == world.home.child
    assert ("Early help cases", 1) in page.context["counts"]
    data = client.get(url, {"ref": ref, "format": "json"})
    assert data["Content-Disposition"] == f'attachment; filename="subject-access-{ref}.json"'
    assert json.loads(data.content)["person"]["given_name"] == "Amy"
    html = client.get(url, {"ref": ref, "format": "html"})
    assert b"Everything held about" in html.content
    exports = AccessLog.objects.filter(action=AccessAction.EXPORT, person_id=world.home.child.pk)
    assert exports.count() == 2
    client.force_login(world.away_manager)
    assert client.get(url, {"ref": ref}).context["form"].errors
    client.force_login(world.home.user)
    assert client.get(url).status_code == 403


# --- consent ----------------------------------------------------------------------------------


def test_consent_recorded_and_withdrawn_on_the_family_page(client, world) -> None:
    home = world.home
    client.force_login(home.user)
    family_url = reverse("family", args=[home.family.pk])
    assert b"No consent to share information is recorded" in client.get(family_url).content
    new = reverse("consent-new", args=[home.family.pk])
    refused = client.post(new, {"purpose": "SHARE_WITH_PARTNERS"})
    assert set(refused.context["form"].errors) == {"given_on"}
    refused = client.post(
        new,
        {
            "purpose": "SHARE_WITH_PARTNERS",
            "given_on_0": "1",
            "given_on_1": "6",
            "given_on_2": "2016",
        },
    )
    assert "Name the partner" in refused.context["form"].errors["partner_name"][0]
    response = client.post(
        new,
        {
            "purpose": "SHARE_WITH_REFERRER",
            "given_on_0": "1",
            "given_on_1": "6",
            "given_on_2": "2016",
            "given_by": str(home.parent.pk),
        },
    )
    assert response.status_code == 302
    consent = FamilyConsent.objects.get()
    assert (consent.given_by, consent.recorded_by_name) == (home.parent, "prac")
    page = client.get(family_url).content.decode()
    assert "In force" in page
    withdraw = reverse("consent-withdraw", args=[consent.pk])
    stale = client.post(
        withdraw,
        {"version": "9", "withdrawn_on_0": "20", "withdrawn_on_1": "6", "withdrawn_on_2": "2016"},
    )
    assert "changed by someone else" in stale.content.decode()
    response = client.post(
        withdraw,
        {"version": "1", "withdrawn_on_0": "20", "withdrawn_on_1": "6", "withdrawn_on_2": "2016"},
    )
    assert response.status_code == 302
    assert "Withdrawn 20 Jun 2016" in client.get(family_url).content.decode()
    assert client.get(withdraw).status_code == 404


def test_consent_pages_are_for_staff_responsible_for_the_family(client, world) -> None:
    consent = FamilyConsent.objects.create(
        family=world.home.family,
        purpose=ConsentPurpose.SHARE_WITH_HEALTH,
        given_on=dt.date(2016, 1, 1),
    )
    client.force_login(world.away_prac)
    assert client.get(reverse("consent-new", args=[world.home.family.pk])).status_code == 404
    assert client.get(reverse("consent-withdraw", args=[consent.pk])).status_code == 404


def test_partners_see_their_own_notifications_and_outcomes_only_with_consent(client, world):
    """The old partner page leads to the portal's list, the one place partners look."""
    mine = f.NotificationFactory(
        person=world.home.child,
        submitted_by_id=world.partner.pk,
        triaged_at=dt.datetime(2016, 1, 5, 9, 0, tzinfo=LONDON),
        triage_decision="ASSESS_EHU",
        threshold_level=3,
    )
    f.NotificationFactory(person=world.away.members.get())  # not theirs
    client.force_login(world.partner)
    old = client.get(reverse("partner-notifications"))
    assert old.url == reverse("portal-notifications")
    url = old.url
    rows = client.get(url).context["rows"]
    assert [(r.notification_ref, r.stage_label, r.outcome) for r in rows] == [
        (mine.notification_ref, "Decision made", "")
    ]
    status = reverse("portal-notification", args=[mine.notification_ref])
    assert b"has not agreed to the outcome being shared" in client.get(status).content
    FamilyConsent.objects.create(
        family=world.home.family,
        purpose=ConsentPurpose.SHARE_WITH_REFERRER,
        given_on=dt.date(2016, 1, 4),
        partner_name="Margate Academy",
    )
    assert client.get(url).context["rows"][0].outcome.startswith("Early Help Unit casework")
    FamilyConsent.objects.update(withdrawn_on=dt.date(2016, 6, 1))
    assert client.get(url).context["rows"][0].outcome == ""
    client.force_login(world.home.user)
    assert client.get(url).status_code == 403


# --- restricted records -----------------------------------------------------------------------


def test_a_leader_restricts_a_family_and_names_its_staff(client, world) -> None:
    family, prac = world.home.family, world.home.user
    url = reverse("family-access-list", args=[family.pk])
    client.force_login(prac)
    assert client.get(url).status_code == 403
    client.force_login(world.leader)
    assert (
        client.post(url, {"action": "restrict", "version": "1", "restricted": "1"}).status_code
        == 302
    )
    client.force_login(prac)
    assert client.get(reverse("family", args=[family.pk])).status_code == 404
    client.force_login(world.leader)
    missing = client.post(url, {"action": "add", "username": "nobody"})
    assert missing.context["add_form"].errors["username"] == ["No account has that username."]
    assert client.post(url, {"action": "add", "username": "prac"}).status_code == 302
    client.force_login(prac)
    assert client.get(reverse("family", args=[family.pk])).status_code == 200
    entry = FamilyAccess.objects.get(user=prac)
    client.force_login(world.dpo)
    assert client.get(url).status_code == 200
    client.post(url, {"action": "remove", "entry": str(entry.pk)})
    client.force_login(prac)
    assert client.get(reverse("family", args=[family.pk])).status_code == 404


# --- analysts ---------------------------------------------------------------------------------


def test_analysts_download_the_pseudonymised_tables(client, world) -> None:
    url = reverse("pseudonymised-data")
    client.force_login(world.analyst)
    assert client.get(url).status_code == 200
    rows = _csv(client.get(url, {"table": "people"}))
    assert {r["age_band"] for r in rows} >= {"5-10", "25+"}
    assert "Amy" not in str(rows)
    assert AccessLog.objects.filter(
        action=AccessAction.EXPORT,
        actor_id=world.analyst.pk,
        what="pseudonymised extract: people.csv",
    ).exists()
    client.force_login(world.home.user)
    assert client.get(url).status_code == 403


def test_the_dpo_reaches_a_familys_access_list_from_its_log(client, world) -> None:
    client.force_login(world.dpo)
    page = client.get(reverse("record-access-log"), {"ref": world.away.family_ref})
    url = reverse("family-access-list", args=[world.away.pk])
    assert url in page.content.decode()
    assert (
        client.post(url, {"action": "restrict", "version": "1", "restricted": "1"}).status_code
        == 302
    )
    assert Family.objects.get(pk=world.away.pk).restricted
    assert not FamilyAccess.objects.filter(family=world.away).exists()  # the DPO is not named
