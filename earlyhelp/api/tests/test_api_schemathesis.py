"""Schemathesis over the whole schema, through WSGI: no 5xx, every response as documented.

Every operation is called with generated input — valid and invalid by the schema — over a
small synthetic county, with a token holding every scope its account may have: a district
manager's (notifications, people, cases, indicators) and, for the police feed, a police
partner's. `positive_data_acceptance` is left out: the domain checks more than the schema
can say (a postcode's format, a district that exists), and refuses with a named 400.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import checks
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi import checks as openapi_checks

from config.wsgi import application
from earlyhelp.api.tests.conftest import token_for
from earlyhelp.domain.codes import Source, UserRole
from earlyhelp.testing import factories as f

CHECKS = [
    checks.not_a_server_error,
    openapi_checks.status_code_conformance,
    openapi_checks.content_type_conformance,
    openapi_checks.response_schema_conformance,
    openapi_checks.response_headers_conformance,
    openapi_checks.negative_data_rejection,
]


@pytest.fixture
def api_schema(db, known_district):
    """The schema, and the WSGI application kept from closing the test's database
    connection at the end of each request (as Django's test client does)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.fixture
def tokens(known_district) -> dict[str, str]:
    manager = f.UserFactory(role=UserRole.MANAGER, org_unit=known_district)
    unit = f.unit("EHU-N1", "DN1")
    family = f.FamilyFactory(district=known_district, postcode="ME14 2AB")
    person = f.PersonFactory(family=family)
    f.CaseFactory(family=family, unit=unit)
    f.NotificationFactory(person=person, submitted_by_id=manager.pk)
    police = f.partner("Kent Police", partner_source=Source.POLICE)
    return {"staff": token_for(manager), "police": token_for(police)}


MODES = (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
EXAMPLES = 30


def _run(operation, mode: GenerationMode, key: str) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def call(case) -> None:
        dropped = mode is GenerationMode.NEGATIVE and "Authorization" not in (case.headers or {})
        # A negative case may leave the required Authorization header out: send it without
        # (it must be refused), rather than putting the key back and seeing it accepted.
        headers = {} if dropped else {"Authorization": f"Token {key}"}
        case.call_and_validate(headers=headers, checks=CHECKS)

    call()


@pytest.mark.slow
def test_every_operation_answers_as_documented(api_schema, tokens):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 9
    for operation in operations:
        who = "police" if operation.path.endswith("police-feed/") else "staff"
        for mode in MODES:
            _run(operation, mode, tokens[who])
