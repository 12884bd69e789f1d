"""Queued intake (decision 0017): the API answers with the reference at once, and the
recorder (`earlyhelp submissions --record`) records each submission exactly once, as the
API would have recorded it in the request. PostgreSQL only: a queued submission's
reference comes from the notifications' sequence."""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import sys
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection

from earlyhelp.api.tests.conftest import client_for
from earlyhelp.audit.models import ChangeRecord
from earlyhelp.common import clock
from earlyhelp.frontdoor.management.commands.submissions import STOOD_BACK, StandBack, _attempt
from earlyhelp.frontdoor.models import Notification, PartnerSubmission
from earlyhelp.frontdoor.selectors import queue_counts
from earlyhelp.frontdoor.submissions import partner_submissions_record
from earlyhelp.people.models import Family, Person
from earlyhelp.testing import factories as f
from earlyhelp.testing.concurrency import at_once

URL = "/api/v1/notifications/"
needs_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="queued intake needs PostgreSQL"
)


def body(**overrides: object) -> dict[str, object]:
    return f.answers(**overrides).as_json()


@pytest.fixture
def queued(settings):
    settings.EARLYHELP_SUBMISSIONS = "queued"


@needs_postgres
def test_a_queued_submission_is_answered_with_its_reference_and_recorded_later(
    queued, known_district, school_client
):
    sent = school_client.post(URL, body(), format="json", HTTP_IDEMPOTENCY_KEY="q-1")
    assert sent.status_code == 201, sent.json()
    reference = sent.json()["reference"]
    assert sent.json() == {
        "reference": reference,
        "status": "RECEIVED",
        "status_url": f"{URL}{reference}/",
    }
    assert Notification.objects.count() == 0
    waiting = PartnerSubmission.objects.get()
    assert (waiting.reference, waiting.notification_id) == (reference, None)
    assert queue_counts().queued == 1

    assert partner_submissions_record().recorded == 1
    notification = Notification.objects.get()
    assert notification.notification_ref == reference
    waiting.refresh_from_db()
    assert waiting.notification == notification
    assert queue_counts().queued == 0
    assert partner_submissions_record().recorded == 0  # nothing twice


@needs_postgres
def test_status_of_a_queued_submission_says_received(queued, known_district, school_client):
    reference = school_client.post(URL, body(urgent=True), format="json").json()["reference"]
    status = school_client.get(f"{URL}{reference}/")
    assert status.status_code == 200
    data = status.json()
    assert (data["reference"], data["stage"], data["stage_label"]) == (
        reference,
        "RECEIVED",
        "Received",
    )
    assert data["due_on"] == "2016-06-30"  # urgent: the same day
    other = client_for(f.partner("Other School"), "notifications:read")
    assert other.get(f"{URL}{reference}/").status_code == 404
    partner_submissions_record()
    after = school_client.get(f"{URL}{reference}/").json()
    assert (after["stage"], after["due_on"]) == ("RECEIVED", "2016-06-30")


@needs_postgres
def test_a_retry_while_queued_and_after_gets_the_same_reference(
    queued, known_district, school_client
):
    first = school_client.post(URL, body(), format="json", HTTP_IDEMPOTENCY_KEY="q-2")
    again = school_client.post(URL, body(), format="json", HTTP_IDEMPOTENCY_KEY="q-2")
    assert again.status_code == 200
    assert again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    other = school_client.post(
        URL, body(concerns="Another matter"), format="json", HTTP_IDEMPOTENCY_KEY="q-2"
    )
    assert other.status_code == 422
    assert list(other.json()["errors"]) == ["Idempotency-Key"]
    partner_submissions_record()
    late = school_client.post(URL, body(), format="json", HTTP_IDEMPOTENCY_KEY="q-2")
    assert late.status_code == 200
    assert late.json()["reference"] == first.json()["reference"]
    assert PartnerSubmission.objects.count() == Notification.objects.count() == 1


@needs_postgres
def test_bad_answers_are_refused_at_once_and_nothing_is_queued(
    queued, known_district, school_client
):
    response = school_client.post(URL, body(postcode="ZZ99 9ZZ"), format="json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["postcode"]
    response = school_client.post(URL, body(child_sex="X"), format="json")
    assert list(response.json()["errors"]) == ["child_sex"]
    assert PartnerSubmission.objects.count() == 0


def _recorded_shape(notification: Notification) -> dict[str, object]:
    person = Person.objects.get(pk=notification.person_id)
    family = Family.objects.get(pk=notification.family_id)
    carers = Person.objects.filter(family=family).exclude(pk=person.pk)
    return {
        "notification": [
            notification.source, notification.category, notification.reason,
            notification.what_has_been_tried, notification.family_consent,
            notification.referrer_name, notification.referrer_organisation,
            notification.referrer_email, notification.urgent, notification.due_on,
            notification.submitted_by_id,
        ],
        "child": [person.given_name, person.family_name, person.date_of_birth, person.sex],
        "family": [family.district_id, family.postcode, family.address_line_1, family.town],
        "carers": sorted(carers.values_list("given_name", "family_name")),
        "change records": sorted(
            ChangeRecord.objects.filter(family_id=family.pk).values_list("entity", "action")
        ),
    }  # fmt: skip


@needs_postgres
def test_recorded_from_the_queue_exactly_as_at_once(settings, known_district, school_client):
    answers = body(parent_carer_name="Jo Example", share_outcome_consent=True)
    inline = school_client.post(URL, answers, format="json", HTTP_IDEMPOTENCY_KEY="a")
    settings.EARLYHELP_SUBMISSIONS = "queued"
    later = school_client.post(URL, answers, format="json", HTTP_IDEMPOTENCY_KEY="b")
    partner_submissions_record()
    first = Notification.objects.get(notification_ref=inline.json()["reference"])
    second = Notification.objects.get(notification_ref=later.json()["reference"])
    assert _recorded_shape(second) == _recorded_shape(first)
    consents = PartnerSubmission.objects.values_list("consent__purpose", flat=True)
    assert list(consents) == ["SHARE_WITH_REFERRER", "SHARE_WITH_REFERRER"]


@needs_postgres
def test_one_that_cannot_be_recorded_is_kept_with_the_reason_and_the_rest_go_on(
    queued, known_district, school, school_client
):
    refs = [school_client.post(URL, body(), format="json").json()["reference"] for _ in range(3)]
    other = f.partner("Other School")
    stranded = client_for(other, "notifications:write").post(URL, body(), format="json")
    other.is_active = False  # the account closed before its submission was recorded
    other.save()
    done = partner_submissions_record()
    assert (done.recorded, done.failed) == (3, 1)
    assert sorted(Notification.objects.values_list("notification_ref", flat=True)) == refs
    kept = PartnerSubmission.objects.get(reference=stranded.json()["reference"])
    assert kept.notification_id is None
    assert "cannot submit" in kept.recording_error
    assert (queue_counts().queued, queue_counts().failed) == (0, 1)
    assert partner_submissions_record().failed == 0  # not tried again
    out = StringIO()
    call_command("submissions", "--failed", stdout=out)
    listed, counts = out.getvalue().splitlines()
    assert listed.startswith(f"{kept.reference}\t2016-06-30T")
    assert listed.endswith("\tYou cannot submit notifications.")
    assert counts == "queued: 0; could not be recorded: 1"


@needs_postgres
def test_the_command_records_what_is_queued_and_says_so(queued, known_district, school_client):
    for _ in range(3):
        school_client.post(URL, body(), format="json")
    out = StringIO()
    call_command("submissions", "--record", "--batch", "2", stdout=out)
    assert out.getvalue().splitlines() == [
        "recorded: 3; could not be recorded: 0",
        "queued: 0; could not be recorded: 0",
    ]
    assert Notification.objects.count() == 3


@needs_postgres
def test_a_worker_stands_back_while_partners_send_but_not_past_the_longest_wait(
    queued, known_district, school_client
):
    for _ in range(2):
        school_client.post(URL, body(), format="json")
    stand_back = StandBack(quiet=dt.timedelta(seconds=60), longest=dt.timedelta(seconds=300))
    assert stand_back.now()  # the newest arrived just now
    assert _attempt(10, follow=True, stand_back=stand_back) is STOOD_BACK
    assert queue_counts().queued == 2

    oldest = PartnerSubmission.objects.order_by("id").first()
    PartnerSubmission.objects.filter(pk=oldest.pk).update(
        received_at=oldest.received_at - dt.timedelta(seconds=301)
    )
    assert not stand_back.now()  # the oldest has waited long enough
    assert _attempt(10, follow=True, stand_back=stand_back).recorded == 2
    assert not stand_back.now()  # nothing waits

    school_client.post(URL, body(), format="json")
    PartnerSubmission.objects.filter(notification=None).update(
        received_at=clock.now() - dt.timedelta(seconds=61)
    )
    assert not stand_back.now()  # partners paused: record
    assert _attempt(10, follow=True, stand_back=stand_back).recorded == 1

    school_client.post(URL, body(), format="json")
    assert stand_back.now()
    school_client.post(URL, body(urgent=True), format="json")
    assert not stand_back.now()  # to be triaged the same day: never kept waiting
    assert _attempt(10, follow=True, stand_back=stand_back).recorded == 2

    school_client.post(URL, body(), format="json")
    sent = school_client.post(URL, body(category="MISSING_CHILD"), format="json")
    assert sent.status_code == 201, sent.json()
    assert not stand_back.now()  # a missing child: the same day too


@needs_postgres
@pytest.mark.django_db(transaction=True)
def test_recorders_at_once_record_each_submission_exactly_once(settings):
    settings.EARLYHELP_TODAY = "2016-06-30"
    settings.EARLYHELP_SUBMISSIONS = "queued"
    f.FamilyFactory(district=f.district("DN1"), postcode="ME14 2AB")
    client = client_for(f.partner(), "notifications:write")
    refs = {client.post(URL, body(), format="json").json()["reference"] for _ in range(24)}
    totals: list[int] = []

    def record() -> None:
        while (done := partner_submissions_record(limit=3)).recorded:
            totals.append(done.recorded)

    at_once(record, 3)
    assert sum(totals) == 24
    assert set(Notification.objects.values_list("notification_ref", flat=True)) == refs
    assert Notification.objects.count() == 24


def test_settings_refuse_the_queue_on_sqlite(tmp_path):
    env = {
        **os.environ,
        "EARLYHELP_ENV": "test",
        "DATABASE_URL": f"sqlite:///{tmp_path}/x.sqlite3",
        "EARLYHELP_SUBMISSIONS": "queued",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    ran = subprocess.run(  # noqa: S603  # nosec B603 - fixed argv
        [sys.executable, "-c", "import django; django.setup()"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert ran.returncode != 0
    assert "EARLYHELP_SUBMISSIONS=queued needs PostgreSQL" in ran.stderr


@needs_postgres
def test_answers_it_cannot_read_are_kept_aside_and_can_be_queued_again(
    queued, known_district, school, school_client
):
    refs = [school_client.post(URL, body(), format="json").json()["reference"] for _ in range(2)]
    broken = PartnerSubmission.objects.get(reference=refs[0])
    good_answers = broken.answers
    broken.answers = {**good_answers, "child_date_of_birth": "not a date"}
    broken.save()
    assert (partner_submissions_record().recorded, queue_counts().failed) == (1, 1)
    broken.refresh_from_db()
    assert broken.recording_error.startswith("ValueError: ")
    broken.answers = good_answers  # put right by an administrator
    broken.save()
    out = StringIO()
    call_command("submissions", "--retry", refs[0].lower(), "--record", stdout=out)
    assert out.getvalue().splitlines() == [
        "queued again: 1",
        "recorded: 1; could not be recorded: 0",
        "queued: 0; could not be recorded: 0",
    ]
    assert Notification.objects.filter(notification_ref=refs[0]).exists()


@needs_postgres
def test_a_passing_database_failure_leaves_the_whole_batch_queued(
    queued, known_district, school_client, monkeypatch
):
    from django.db import OperationalError

    from earlyhelp.frontdoor import submissions

    for _ in range(2):
        school_client.post(URL, body(), format="json")
    calls: list[int] = []
    real = submissions._record

    def second_fails(*args: object, **kwargs: object):
        calls.append(1)
        if len(calls) == 2:
            raise OperationalError("deadlock detected")
        return real(*args, **kwargs)

    monkeypatch.setattr(submissions, "_record", second_fails)
    with pytest.raises(OperationalError):
        partner_submissions_record()
    assert Notification.objects.count() == 0  # the first one's records rolled back too
    assert (queue_counts().queued, queue_counts().failed) == (2, 0)
    monkeypatch.setattr(submissions, "_record", real)
    assert partner_submissions_record().recorded == 2


@needs_postgres
def test_status_found_when_recorded_between_its_two_reads(
    queued, known_district, school_client, monkeypatch
):
    from earlyhelp.casework import selectors_partner

    reference = school_client.post(URL, body(), format="json").json()["reference"]
    real = selectors_partner._own_notification
    reads: list[int] = []

    def recorded_just_after_the_first_read(user, ref):
        reads.append(1)
        if len(reads) == 1:
            found = real(user, ref)
            partner_submissions_record()  # the worker commits between the two reads
            return found
        return real(user, ref)

    monkeypatch.setattr(selectors_partner, "_own_notification", recorded_just_after_the_first_read)
    status = school_client.get(f"{URL}{reference}/")
    assert status.status_code == 200
    assert status.json()["reference"] == reference
    assert len(reads) == 2
