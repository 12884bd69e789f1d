"""A token call to the REST API through the WSGI application the server runs: it passes
only the security-header middleware (decision 0018), and answers as through the full
stack, every security header on."""

from __future__ import annotations

import io
import json
import sys
from typing import Any

import pytest
from django.core.signals import request_finished, request_started
from django.db import close_old_connections

from config.wsgi import application, token_api_request
from earlyhelp.api.tests.conftest import token_for
from earlyhelp.testing import factories as f

URL = "/api/v1/notifications/"


def call(method: str, path: str, *, token: str = "", data: Any = None) -> tuple[int, dict, Any]:
    """Status, headers and JSON body of one request through `config.wsgi.application`."""
    body = json.dumps(data).encode() if data is not None else b""
    environ = {
        "REQUEST_METHOD": method,
        "PATH_INFO": path,
        "QUERY_STRING": "",
        "SERVER_NAME": "testserver",
        "SERVER_PORT": "80",
        "HTTP_HOST": "testserver",
        "REMOTE_ADDR": "127.0.0.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "CONTENT_LENGTH": str(len(body)),
        "CONTENT_TYPE": "application/json",
    }
    if token:
        environ["HTTP_AUTHORIZATION"] = f"Token {token}"
    started: list[tuple[str, list[tuple[str, str]]]] = []
    # As Django's test client does: the test's transaction must outlive the request.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        content = b"".join(application(environ, lambda s, h, e=None: started.append((s, h))))
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    status, headers = started[0]
    return int(status.split()[0]), dict(headers), json.loads(content) if content else None


@pytest.mark.parametrize(
    ("path", "authorization", "lean"),
    [
        (URL, "Token eh_abc", True),
        (f"{URL}N0000001/", "token eh_abc", True),
        (URL, "", False),  # a signed-in session in the browsable API
        (URL, "Bearer eh_abc", False),
        ("/api/schema/", "Token eh_abc", False),
        ("/login/", "Token eh_abc", False),
    ],
)
def test_only_token_calls_to_the_api_take_the_short_way(path, authorization, lean):
    environ = {"PATH_INFO": path, "HTTP_AUTHORIZATION": authorization}
    assert token_api_request(environ) is lean


def test_a_token_submission_and_status_through_the_server_application(known_district, school):
    token = token_for(school, "notifications:write", "notifications:read")
    status, headers, sent = call("POST", URL, token=token, data=f.answers().as_json())
    assert status == 201, sent
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert "default-src" in headers["Content-Security-Policy"]
    assert "Permissions-Policy" in headers
    assert "no-store" in headers["Cache-Control"]  # personal data: never cached
    assert "Set-Cookie" not in headers

    status, _, progress = call("GET", f"{URL}{sent['reference']}/", token=token)
    assert status == 200
    assert (progress["reference"], progress["stage"]) == (sent["reference"], "RECEIVED")


def test_a_bad_token_or_bad_answers_are_refused_through_the_server_application(
    known_district, school
):
    status, _, refused = call("GET", URL, token="eh_not-a-key")
    assert status == 401
    assert "not known" in json.dumps(refused)
    token = token_for(school, "notifications:write")
    status, _, refused = call("POST", URL, token=token, data={"child_sex": "Q"})
    assert status == 400
    assert "child_sex" in refused["errors"]
