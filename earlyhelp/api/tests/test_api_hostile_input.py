"""Malformed, oversized and hostile input: a 4xx naming the field, and nothing written."""

from __future__ import annotations

import json

import pytest

from earlyhelp.api.tests.conftest import client_for
from earlyhelp.audit.models import ChangeRecord
from earlyhelp.frontdoor.models import Notification, PartnerSubmission
from earlyhelp.people.models import Family, Person
from earlyhelp.testing import factories as f

URL = "/api/v1/notifications/"


def _counts() -> tuple[int, ...]:
    return tuple(
        m.objects.count() for m in (Notification, PartnerSubmission, Family, Person, ChangeRecord)
    )


def good() -> dict[str, object]:
    return f.answers().as_json()


def _post_raw(client, text: str | bytes, content_type: str = "application/json"):
    return client.generic("POST", URL, text, content_type=content_type)


HOSTILE_VALUES = [
    ("child_given_name", 12345, "child_given_name"),
    ("child_given_name", ["Amelia"], "child_given_name"),
    ("child_given_name", {"$gt": ""}, "child_given_name"),
    ("child_given_name", None, "child_given_name"),
    ("family_consent", "yes", "family_consent"),
    ("family_consent", 1, "family_consent"),
    ("urgent", "true", "urgent"),
    ("child_given_name", "Am\x00elia", "child_given_name"),
    ("child_given_name", "Amelia\u202eailemA", "child_given_name"),
    ("concerns", "x" * 10_001, "concerns"),
    ("child_family_name", "<script>alert(1)</script>" * 10, "child_family_name"),
    ("postcode", "'; DROP TABLE people_person; --", "postcode"),
    ("postcode", "ME14 1XQ' OR '1'='1", "postcode"),
    ("child_date_of_birth", "0000-01-01", "child_date_of_birth"),
    ("child_date_of_birth", "2016-02-30", "child_date_of_birth"),
    ("child_date_of_birth", "9999-12-31", "child_date_of_birth"),
    ("child_date_of_birth", "1016-02-03", "child_date_of_birth"),
    ("child_date_of_birth", "2010-01-01T00:00:00", "child_date_of_birth"),
    ("child_date_of_birth", 20100101, "child_date_of_birth"),
    ("child_sex", "F\u0000", "child_sex"),
    ("source", "SCS", "source"),
    ("category", "SCS_STEP_DOWN", "category"),
    ("referrer_email", "a@b", "referrer_email"),
    ("mystery_field", "x", "mystery_field"),
]


@pytest.mark.parametrize(("field", "value", "named"), HOSTILE_VALUES)
def test_hostile_values_are_refused_naming_the_field(
    known_district, school_client, field, value, named
):
    before = _counts()
    response = school_client.post(URL, {**good(), field: value}, format="json")
    assert 400 <= response.status_code < 500, response.content
    body = response.json()
    assert named in body["errors"], body
    assert body["detail"]
    assert _counts() == before


def test_html_and_emoji_in_free_text_are_kept_as_text(known_district, school_client):
    """Not refused: they are text, stored as typed and escaped wherever they are shown."""
    concerns = "<b>Worried</b> 😟 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 — منزل"
    response = school_client.post(URL, {**good(), "concerns": concerns}, format="json")
    assert response.status_code == 201
    assert Notification.objects.get().reason == concerns


RAW_BODIES = [
    ('{"child_given_name": "A", "child_given_name": "B"}', "child_given_name"),
    ('{"child_given_name": "\\ud800"}', None),
    ("{not json", "body"),
    ("", "body"),
    ("[]", "body"),
    ('"a string"', "body"),
    ("null", "body"),
    ('{"urgent": NaN}', "body"),
    ('{"urgent": 1e999}', "body"),
    ('{"urgent": ' + "9" * 5000 + "}", "body"),
    ("[" * 5000 + "]" * 5000, "body"),
    ('{"a":' * 100 + "1" + "}" * 100, "body"),
]


@pytest.mark.parametrize(("text", "named"), RAW_BODIES)
def test_malformed_json_is_refused_naming_the_body_or_key(
    known_district, school_client, text, named
):
    before = _counts()
    response = _post_raw(school_client, text)
    assert 400 <= response.status_code < 500
    errors = response.json()["errors"]
    assert named is None or named in errors, errors
    assert _counts() == before


def test_a_lone_surrogate_is_refused_naming_the_field(known_district, school_client):
    text = json.dumps({**good(), "child_given_name": "PLACEHOLDER"}).replace(
        "PLACEHOLDER", "\\ud800"
    )
    response = _post_raw(school_client, text)
    assert response.status_code == 400
    assert "child_given_name" in response.json()["errors"]


def test_invalid_utf8_is_refused(known_district, school_client):
    response = _post_raw(school_client, b'{"child_given_name": "\xff\xfe"}')
    assert response.status_code == 400
    assert "UTF-8" in response.json()["errors"]["body"][0]


def test_an_oversized_body_is_413_naming_the_limit(known_district, school_client, settings):
    settings.EARLYHELP_API_MAX_BODY_BYTES = 1000
    before = _counts()
    response = school_client.post(URL, {**good(), "concerns": "x" * 2000}, format="json")
    assert response.status_code == 413
    assert "1,000 bytes" in response.json()["errors"]["body"][0]
    assert _counts() == before


def test_wrong_content_type_is_415_naming_it(known_district, school_client):
    response = _post_raw(school_client, "child_given_name=A", "application/x-www-form-urlencoded")
    assert response.status_code == 415
    assert "Content-Type" in response.json()["errors"]


def test_a_hostile_idempotency_key_is_refused(known_district, school_client):
    response = school_client.post(URL, good(), format="json", HTTP_IDEMPOTENCY_KEY="x" * 300)
    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["errors"]


@pytest.mark.parametrize(
    "query", ["?page=0", "?page=abc", "?page_size=1000", "?page=99999999999", "?pagee=1"]
)
def test_bad_query_parameters_are_refused_by_name(known_district, school, query):
    client = client_for(school, "notifications:read")
    response = client.get(URL + query)
    assert 400 <= response.status_code < 500
    name = query[1:].split("=")[0]
    assert name in response.json()["errors"]


@pytest.mark.parametrize("ref", ["N1'; --", "N%00", "..%2F..", "N" * 100, "<script>"])
def test_hostile_references_are_not_found(known_district, school, ref):
    client = client_for(school, "notifications:read")
    response = client.get(f"{URL}{ref}/")
    assert response.status_code == 404
    assert response.json()["errors"]


def test_unknown_api_addresses_answer_json_404(db):
    from rest_framework.test import APIClient

    response = APIClient().get("/api/v1/nothing-here/")
    assert response.status_code == 404
    assert response.json()["errors"] == {"path": ["There is nothing at this address of the API."]}
