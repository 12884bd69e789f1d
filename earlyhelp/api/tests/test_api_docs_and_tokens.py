"""The schema, its documentation page, the browsable API, and the api-token command."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from rest_framework.test import APIClient

from earlyhelp.organisation.models import ApiToken
from earlyhelp.testing import factories as f


def test_schema_is_openapi_3_with_every_endpoint(db):
    response = Client().get("/api/schema/?format=json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert "/api/v1/police-feed/" in schema["paths"]


def test_docs_page_is_generated_from_the_schema_with_every_operation(db):
    response = Client().get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    schema = Client().get("/api/schema/?format=json").json()
    for path, item in schema["paths"].items():
        for method in item:
            assert f"{method.upper()} {path}" in html
    assert "Idempotency-Key" in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert "<style" not in html


def test_api_answers_json_even_to_a_browser(db):
    """No browsable HTML renderer: a signed-in browser gets JSON like any client."""
    client = Client()
    client.force_login(f.partner())
    response = client.get("/api/v1/notifications/", HTTP_ACCEPT="text/html")
    assert response["Content-Type"].startswith("application/json")


def test_api_token_command_issues_lists_and_revokes(db):
    f.partner(username="school")
    out = StringIO()
    call_command(
        "api-token", "issue", "--user", "school", "--name", "MIS", "--scope",
        "notifications:write", stdout=out,
    )  # fmt: skip
    key = out.getvalue().strip().splitlines()[-1]
    token = ApiToken.objects.get()
    assert key.startswith(token.prefix)
    assert token.key_hash != key
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/v1/notifications/").status_code == 403  # no read scope
    listing = StringIO()
    call_command("api-token", "list", stdout=listing)
    assert token.prefix in listing.getvalue()
    assert key not in listing.getvalue()
    call_command("api-token", "revoke", token.prefix, stdout=StringIO())
    assert client.get("/api/v1/notifications/").status_code == 401


def test_a_scope_the_role_may_not_have_is_refused_at_issue(db):
    f.partner(username="school")
    with pytest.raises(CommandError, match="people:read"):
        call_command(
            "api-token", "issue", "--user", "school", "--name", "x", "--scope", "people:read",
            stdout=StringIO(),
        )  # fmt: skip
    assert not ApiToken.objects.exists()
