"""The token lookup, its statement written once, reads exactly what the ORM would."""

from __future__ import annotations

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from earlyhelp.audit.services import SYSTEM
from earlyhelp.common.queries import LookupWithRelated
from earlyhelp.organisation.models import ApiToken
from earlyhelp.organisation.tokens import api_token_issue
from earlyhelp.testing import factories as f

TOKEN_WITH_USER = LookupWithRelated(ApiToken, relation="user", field="key_hash")


def _fields(instance: object) -> dict[str, object]:
    return {f.attname: getattr(instance, f.attname) for f in type(instance)._meta.concrete_fields}


def test_every_field_of_both_rows_is_read_as_the_orm_reads_it(db):
    user = f.partner()
    issued = api_token_issue(
        actor=SYSTEM, user=user, name="MIS", scopes=["notifications:write", "notifications:read"]
    )
    stored = ApiToken.objects.get(pk=issued.token.pk)
    stored.expires_at = timezone.now() + dt.timedelta(days=30)
    stored.save()
    expected = ApiToken.objects.select_related("user").get(pk=stored.pk)

    with CaptureQueriesContext(connection) as queries:
        found = TOKEN_WITH_USER.get(stored.key_hash)
        account = found.user  # already read: no second query
    assert len(queries) == 1
    assert _fields(found) == _fields(expected)
    assert _fields(account) == _fields(expected.user)
    assert found.scopes == ["notifications:read", "notifications:write"]  # JSON decoded
    assert found.expires_at.tzinfo is not None
    assert found._state.adding is False
    assert found._state.db == "default"


def test_an_unknown_value_finds_nothing(db):
    assert TOKEN_WITH_USER.get("0" * 64) is None
