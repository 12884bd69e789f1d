"""Partners' notifications: checked field by field, recorded once, progress told truthfully."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from earlyhelp.audit.models import ChangeRecord
from earlyhelp.casework.selectors_partner import partner_status, partner_submission_list
from earlyhelp.common.errors import InvalidInput, NotFound, PermissionRefused
from earlyhelp.domain.codes import Category, UserRole
from earlyhelp.domain.submissions import Stage
from earlyhelp.frontdoor import services as frontdoor_services
from earlyhelp.frontdoor.models import Notification, PartnerSubmission, SubmissionDraft
from earlyhelp.frontdoor.submissions import draft_save, partner_submission_create
from earlyhelp.people.models import Family, FamilyConsent, Person
from earlyhelp.testing import factories as f
from earlyhelp.testing.concurrency import at_once


@pytest.fixture
def known_district(db):
    """District DN1, where families at ME14 postcodes are already known."""
    district = f.district("DN1")
    f.FamilyFactory(district=district, postcode="ME14 2AB")
    return district


@pytest.fixture
def school(db):
    return f.partner()


def _counts() -> tuple[int, int, int, int]:
    return (
        Notification.objects.count(),
        Family.objects.count(),
        Person.objects.count(),
        PartnerSubmission.objects.count(),
    )


def test_a_submission_records_family_child_carer_and_notification(today, known_district, school):
    sent = partner_submission_create(
        user=school, answers=f.answers(parent_carer_name="Jo Testington", urgent=True)
    )
    notification = sent.notification
    assert sent.created
    assert notification.family.district == known_district  # placed by the outward code ME14
    assert notification.person.given_name == "Amelia"
    assert {p.role_in_family for p in notification.family.members.all()} == {
        "CHILD",
        "PARENT_CARER",
    }
    assert notification.submitted_by_id == school.pk
    assert notification.urgent
    assert notification.due_on == today
    assert sent.submission.answers["concerns"].startswith("Attendance")
    assert sent.submission.notification == notification


def test_a_submission_takes_one_savepoint_and_writes_its_change_records_together(
    today, known_district, school
):
    answers = f.answers(parent_carer_name="Jo Testington", share_outcome_consent=True)
    with CaptureQueriesContext(connection) as queries:
        sent = partner_submission_create(user=school, answers=answers)
    sql = [q["sql"] for q in queries.captured_queries]
    assert sum(s.startswith("SAVEPOINT") for s in sql) == 1  # its own, in the test's transaction
    assert sum('INSERT INTO "audit_changerecord"' in s for s in sql) == 1
    recorded = ChangeRecord.objects.filter(family_id=sent.notification.family_id)
    assert sorted(recorded.values_list("entity", flat=True)) == [
        "frontdoor.notification",
        "people.family",
        "people.familyconsent",
        "people.person",
        "people.person",
    ]
    assert sent.submission.consent is not None
    assert PartnerSubmission.objects.get(pk=sent.submission.pk).notification == sent.notification


def test_same_key_twice_gives_the_first_notification_and_writes_nothing(
    today, known_district, school
):
    first = partner_submission_create(user=school, answers=f.answers(), idempotency_key="k-1")
    before = _counts()
    again = partner_submission_create(user=school, answers=f.answers(), idempotency_key="k-1")
    assert not again.created
    assert again.notification.pk == first.notification.pk
    assert _counts() == before


def test_same_key_with_other_answers_is_refused_naming_the_key(today, known_district, school):
    partner_submission_create(user=school, answers=f.answers(), idempotency_key="k-2")
    with pytest.raises(InvalidInput) as refused:
        partner_submission_create(
            user=school, answers=f.answers(concerns="Something else"), idempotency_key="k-2"
        )
    assert "Idempotency-Key" in refused.value.errors


def test_keys_are_per_account(today, known_district, school):
    other = f.partner("Another School")
    a = partner_submission_create(user=school, answers=f.answers(), idempotency_key="same")
    b = partner_submission_create(user=other, answers=f.answers(), idempotency_key="same")
    assert a.notification.pk != b.notification.pk


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"child_given_name": "  "}, "child_given_name"),
        ({"child_date_of_birth": dt.date(2016, 7, 1)}, "child_date_of_birth"),
        ({"child_date_of_birth": dt.date(1900, 1, 1)}, "child_date_of_birth"),
        ({"child_sex": "X"}, "child_sex"),
        ({"postcode": "NOT A POSTCODE"}, "postcode"),
        ({"postcode": "ZZ9 9ZZ"}, "postcode"),  # real shape, but no district knows it
        ({"concerns": "x" * 10_001}, "concerns"),
        ({"concerns": "bad\x00byte"}, "concerns"),
        ({"referrer_email": "not-an-email"}, "referrer_email"),
        ({"referrer_phone": "<script>"}, "referrer_phone"),
        ({"category": Category.SCS_STEP_DOWN.value}, "category"),
        ({"source": "SCS"}, "source"),
        ({"family_consent": None}, "family_consent"),
        ({"child_upn": "A123"}, "child_upn"),
        ({"district_code": "NOPE"}, "district_code"),
    ],
)
def test_bad_answers_are_refused_naming_the_field_and_nothing_is_written(
    today, known_district, school, overrides, field
):
    before = _counts()
    with pytest.raises(InvalidInput) as refused:
        partner_submission_create(user=school, answers=f.answers(**overrides))
    assert field in refused.value.errors
    assert _counts() == before


def test_every_wrong_field_is_named_at_once(today, known_district, school):
    with pytest.raises(InvalidInput) as refused:
        partner_submission_create(
            user=school, answers=f.answers(child_given_name="", referrer_email="x", child_sex="")
        )
    assert {"child_given_name", "referrer_email", "child_sex"} <= set(refused.value.errors)


def test_staff_who_may_not_submit_are_refused(today, known_district):
    analyst = f.UserFactory(role=UserRole.ANALYST, org_unit=None)
    with pytest.raises(PermissionRefused):
        partner_submission_create(user=analyst, answers=f.answers())


def test_progress_is_told_stage_by_stage_and_the_outcome_only_with_consent(
    today, known_district, school
):
    sent = partner_submission_create(user=school, answers=f.answers())
    ref = sent.notification.notification_ref
    assert partner_status(user=school, notification_ref=ref).stage == Stage.RECEIVED

    triage = f.UserFactory(role=UserRole.TRIAGE_OFFICER, org_unit=None)
    assert frontdoor_services.notification_screening_start(
        user=triage, notification=sent.notification
    )
    assert partner_status(user=school, notification_ref=ref).stage == Stage.BEING_SCREENED

    notification = Notification.objects.get(pk=sent.notification.pk)
    frontdoor_services.notification_triage(
        user=triage,
        notification=notification,
        version=notification.version,
        threshold_level=2,
        decision="OPEN_ACCESS",
        decision_reason="Youth hub sessions",
    )
    told = partner_status(user=school, notification_ref=ref)
    assert told.stage == Stage.DECIDED
    assert told.outcome == ""
    assert not told.shared

    consented = partner_submission_create(
        user=school, answers=f.answers(child_given_name="Ben", share_outcome_consent=True)
    )
    assert FamilyConsent.objects.filter(
        family=consented.notification.family, partner_name="Oakfield Primary School"
    ).exists()
    assert partner_status(
        user=school, notification_ref=consented.notification.notification_ref
    ).shared


def test_a_partner_sees_only_their_own(today, known_district, school):
    mine = partner_submission_create(user=school, answers=f.answers())
    other = f.partner("Another School")
    theirs = partner_submission_create(user=other, answers=f.answers())
    assert list(partner_submission_list(user=school)) == [mine.notification]
    with pytest.raises(NotFound):
        partner_status(user=school, notification_ref=theirs.notification.notification_ref)


def test_a_draft_saved_from_a_stale_copy_keeps_both_pages(db, school):
    draft = draft_save(user=school, answers={}, step="about-you")
    stale = SubmissionDraft.objects.get(pk=draft.pk)
    draft_save(user=school, answers={"child_given_name": "Amelia"}, step="child", draft=draft)
    draft_save(user=school, answers={"concerns": "Worried"}, step="concerns", draft=stale)
    assert SubmissionDraft.objects.get(pk=draft.pk).answers == {
        "child_given_name": "Amelia",
        "concerns": "Worried",
    }


def test_drafts_keep_answers_step_by_step(db, school):
    draft = draft_save(user=school, answers={"child_given_name": "Amelia"}, step="child")
    draft = draft_save(user=school, answers={"concerns": "Worried"}, step="concerns", draft=draft)
    stored = SubmissionDraft.objects.get(pk=draft.pk)
    assert stored.answers == {"child_given_name": "Amelia", "concerns": "Worried"}
    assert stored.step == "concerns"
    assert stored.version == 2
    with pytest.raises(PermissionRefused):
        draft_save(user=f.partner("Other"), answers={}, step="x", draft=stored)


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_with_one_key_make_one_notification(settings):
    """Two requests racing with the same key: one notification, both told its reference."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite has one writer)")
    settings.EARLYHELP_TODAY = "2016-06-30"
    f.FamilyFactory(district=f.district("DN1"), postcode="ME14 2AB")
    school = f.partner()
    refs: list[str] = []
    errors: list[BaseException] = []

    def send() -> None:
        try:
            sent = partner_submission_create(
                user=school, answers=f.answers(), idempotency_key="race"
            )
            refs.append(sent.notification.notification_ref)
        except BaseException as error:  # noqa: BLE001 - reported below
            errors.append(error)

    at_once(send, 4)
    assert not errors
    assert len(set(refs)) == 1
    assert len(refs) == 4
    assert Notification.objects.count() == 1


def test_a_upn_already_known_stays_in_the_answers_and_the_child_is_recorded_as_typed(
    today, known_district, school
):
    """Matching is triage's: a wrong UPN must not attach the notification to another child."""
    known = f.PersonFactory(upn=_valid_upn(), family__district=known_district)
    sent = partner_submission_create(user=school, answers=f.answers(child_upn=known.upn))
    assert sent.notification.person != known
    assert sent.notification.person.given_name == "Amelia"
    assert sent.notification.person.upn == ""
    assert sent.submission.answers["child_upn"] == known.upn


def test_a_new_upn_is_kept_on_the_child(today, known_district, school):
    sent = partner_submission_create(user=school, answers=f.answers(child_upn=_valid_upn()))
    assert sent.notification.person.upn == _valid_upn()


def test_consent_given_with_the_submission_follows_it_when_triage_links_a_known_child(
    today, known_district, school
):
    from earlyhelp.frontdoor.linking import notification_link_person

    known = f.PersonFactory(family__district=known_district)
    sent = partner_submission_create(user=school, answers=f.answers(share_outcome_consent=True))
    triage = f.UserFactory(role=UserRole.TRIAGE_OFFICER, org_unit=None)
    notification = Notification.objects.get(pk=sent.notification.pk)
    notification_link_person(
        user=triage, notification=notification, version=notification.version, person=known
    )
    ref = notification.notification_ref
    assert partner_status(user=school, notification_ref=ref).shared
    consent = sent.submission.consent
    consent.withdrawn_on = today
    consent.save()
    assert not partner_status(user=school, notification_ref=ref).shared


def _valid_upn() -> str:
    from earlyhelp.domain.identifiers import upn_check_letter

    body = "882200100001"
    return upn_check_letter(body) + body
