"""Submitting a notification, exactly once per Idempotency-Key, and reading its progress."""

from __future__ import annotations

import pytest
from django.db import connection
from rest_framework.test import APIClient

from earlyhelp.api.tests.conftest import client_for
from earlyhelp.frontdoor.models import Notification, PartnerSubmission
from earlyhelp.testing import factories as f
from earlyhelp.testing.concurrency import at_once

URL = "/api/v1/notifications/"


def body(**overrides: object) -> dict[str, object]:
    return f.answers(**overrides).as_json()


def test_submit_answers_201_with_reference_and_status_url(known_district, school_client):
    response = school_client.post(URL, body(), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["status"] == "RECEIVED"
    assert data["reference"].startswith("N")
    assert data["status_url"] == f"/api/v1/notifications/{data['reference']}/"
    assert PartnerSubmission.objects.get().channel == PartnerSubmission.Channel.API


def test_replay_with_same_key_and_body_is_200_and_writes_nothing(known_district, school_client):
    first = school_client.post(URL, body(), format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    again = school_client.post(URL, body(), format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    assert again.status_code == 200
    assert again.json() == first.json()
    assert again["Idempotent-Replayed"] == "true"
    assert Notification.objects.count() == 1


def test_same_key_other_body_is_422_naming_the_key(known_district, school_client):
    school_client.post(URL, body(), format="json", HTTP_IDEMPOTENCY_KEY="k-3")
    response = school_client.post(
        URL, body(concerns="Something else entirely"), format="json", HTTP_IDEMPOTENCY_KEY="k-3"
    )
    assert response.status_code == 422
    assert list(response.json()["errors"]) == ["Idempotency-Key"]
    assert Notification.objects.count() == 1


def test_without_a_key_each_post_is_a_new_notification(known_district, school_client):
    school_client.post(URL, body(), format="json")
    school_client.post(URL, body(), format="json")
    assert Notification.objects.count() == 2


def test_status_and_list_of_own_submissions(known_district, school_client, school):
    ref = school_client.post(URL, body(), format="json").json()["reference"]
    status = school_client.get(f"{URL}{ref}/")
    assert status.status_code == 200
    data = status.json()
    assert data["reference"] == ref
    assert data["stage"] == "RECEIVED"
    assert data["stage_label"] == "Received"
    assert data["decided_in_time"] is None
    assert set(data) == {
        "reference", "received_at", "due_on", "stage", "stage_label", "outcome", "unit_name",
        "closed_on", "decided_in_time",
    }  # fmt: skip
    listing = school_client.get(URL).json()
    assert listing["count"] == 1
    assert listing["results"][0]["reference"] == ref


def test_another_partners_notification_is_not_found(known_district, school_client):
    ref = school_client.post(URL, body(), format="json").json()["reference"]
    other = client_for(f.partner("Other School"), "notifications:read")
    response = other.get(f"{URL}{ref}/")
    assert response.status_code == 404
    assert "reference" in response.json()["errors"]


def test_field_errors_are_named(known_district, school_client):
    response = school_client.post(URL, body(postcode="nonsense", referrer_email=""), format="json")
    assert response.status_code == 400
    assert {"postcode", "referrer_email"} <= set(response.json()["errors"])
    assert response.json()["detail"]
    response = school_client.post(URL, body(child_sex="X"), format="json")
    assert response.json()["errors"] == {"child_sex": ["Choose one of: F, M, U."]}
    assert Notification.objects.count() == 0


def test_missing_token_is_401_naming_authorization(db):
    response = APIClient().get(URL)
    assert response.status_code == 401
    assert response.json()["errors"] == {"Authorization": [response.json()["detail"]]}
    assert response["WWW-Authenticate"] == "Token"


def test_wrong_and_revoked_tokens_are_401(db, school):
    from earlyhelp.audit.services import SYSTEM
    from earlyhelp.organisation.tokens import api_token_issue, api_token_revoke

    issued = api_token_issue(actor=SYSTEM, user=school, name="t", scopes=["notifications:read"])
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {issued.key}")
    assert client.get(URL).status_code == 200
    api_token_revoke(actor=SYSTEM, token=issued.token)
    assert client.get(URL).status_code == 401
    client.credentials(HTTP_AUTHORIZATION="Token eh_not-a-key")
    assert client.get(URL).status_code == 401
    client.credentials(HTTP_AUTHORIZATION="Bearer whatever")
    assert "Authorization" in client.get(URL).json()["errors"]


def test_token_without_the_scope_is_403(known_district, school):
    client = client_for(school, "notifications:read")
    response = client.post(URL, body(), format="json")
    assert response.status_code == 403
    assert "notifications:write" in response.json()["errors"]["Authorization"][0]
    assert Notification.objects.count() == 0


def test_submissions_are_throttled_per_token(known_district, school_client, settings):
    rates = dict(settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], submit="2/min")
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": rates}
    from rest_framework.settings import api_settings

    from earlyhelp.api.throttling import SubmitThrottle

    kept = SubmitThrottle.THROTTLE_RATES
    SubmitThrottle.THROTTLE_RATES = api_settings.DEFAULT_THROTTLE_RATES
    try:
        responses = [school_client.post(URL, body(), format="json") for _ in range(3)]
    finally:
        SubmitThrottle.THROTTLE_RATES = kept
    assert [r.status_code for r in responses] == [201, 201, 429]
    assert list(responses[2].json()["errors"]) == ["rate"]
    assert responses[2]["Retry-After"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_through_the_api_make_one_notification(settings):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent writers need PostgreSQL (SQLite has one writer)")
    settings.EARLYHELP_TODAY = "2016-06-30"
    f.FamilyFactory(district=f.district("DN1"), postcode="ME14 2AB")
    client = client_for(f.partner(), "notifications:write")
    results: list[tuple[int, str]] = []

    def send() -> None:
        r = client.post(URL, body(), format="json", HTTP_IDEMPOTENCY_KEY="race")
        results.append((r.status_code, r.json()["reference"]))

    at_once(send, 4)
    assert sorted(code for code, _ in results) == [200, 200, 200, 201]
    assert len({ref for _, ref in results}) == 1
    assert Notification.objects.count() == 1
