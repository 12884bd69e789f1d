"""Audit records are append-only: in Python everywhere, and in PostgreSQL by triggers.

The one change allowed is the retention job's redaction of a payload's values.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import DatabaseError, connection, transaction
from hypothesis import given
from hypothesis import strategies as st

from earlyhelp.audit.models import (
    REDACTED,
    AccessLog,
    Action,
    CaseEvent,
    ChangeRecord,
    only_redacts,
)
from earlyhelp.audit.services import Actor, Refs, access_record, case_event_record
from earlyhelp.common import clock

pytestmark = pytest.mark.django_db

ACTOR = Actor(id=1, name="prac")
postgres_only = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="the triggers exist on PostgreSQL only"
)


def _change() -> ChangeRecord:
    return ChangeRecord.objects.create(
        at=clock.now(),
        actor_id=1,
        actor_name="prac",
        entity="people.person",
        entity_id=7,
        action=Action.UPDATE,
        changes={"given_name": ["Amy", "Amelia"], "sex": ["F", "F"]},
        family_id=3,
        person_id=7,
    )


def _event() -> CaseEvent:
    return case_event_record(
        actor=ACTOR,
        kind="CASE_CLOSED",
        occurred_on=dt.date(2016, 5, 1),
        refs=Refs(family_id=3, case_id=9),
        data={"reason": "OUTCOMES_ACHIEVED", "summary": "Amy is back at school."},
    )


def _access() -> AccessLog:
    return access_record(
        actor=ACTOR, action="VIEW", what="family record", refs=Refs(family_id=3), reason=""
    )


@pytest.mark.parametrize("make", [_change, _event, _access])
def test_python_refuses_update_and_delete(make) -> None:
    row = make()
    model = type(row)
    with pytest.raises(TypeError):
        row.save()
    with pytest.raises(TypeError):
        row.delete()
    with pytest.raises(TypeError):
        model.objects.filter(pk=row.pk).update(actor_name="someone else")
    with pytest.raises(TypeError):
        model.objects.filter(pk=row.pk).delete()


def test_python_allows_only_a_redaction_of_the_payload() -> None:
    change = _change()
    with pytest.raises(TypeError):
        ChangeRecord.objects.redact_payload(change.pk, {"given_name": ["Amy", "Amelia"]})
    with pytest.raises(TypeError):
        ChangeRecord.objects.redact_payload(
            change.pk, {"given_name": ["Amy", "Bob"], "sex": ["F", "F"]}
        )
    ChangeRecord.objects.redact_payload(
        change.pk, {"given_name": [REDACTED, REDACTED], "sex": ["F", "F"]}
    )
    change.refresh_from_db()
    assert change.changes == {"given_name": [REDACTED, REDACTED], "sex": ["F", "F"]}
    access = _access()
    with pytest.raises(TypeError):
        AccessLog.objects.redact_payload(access.pk, {})


values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=5),
    lambda inner: st.lists(inner, max_size=3),
    max_leaves=5,
)
payloads = st.dictionaries(st.text(min_size=1, max_size=4), values, max_size=4)


@given(before=payloads, data=st.data())
def test_redacting_any_values_is_allowed_and_nothing_else(before, data) -> None:
    keys = sorted(before)
    hidden = data.draw(st.sets(st.sampled_from(keys)) if keys else st.just(set()))
    after = {k: (REDACTED if k in hidden else v) for k, v in before.items()}
    assert only_redacts(before, after)
    if keys:
        changed = data.draw(st.sampled_from(keys))
        other = {**after, changed: ["something else", 1]}
        assert not only_redacts(before, other)
        assert not only_redacts(before, {**after, "new key": REDACTED})
        assert not only_redacts(before, {k: v for k, v in after.items() if k != changed})


@postgres_only
@pytest.mark.parametrize("make", [_change, _event, _access])
def test_postgresql_refuses_update_and_delete_whatever_the_client(make) -> None:
    row = make()
    table = type(row)._meta.db_table
    for sql in (
        f"UPDATE {table} SET actor_name = 'someone else' WHERE id = %s",
        f"UPDATE {table} SET at = at + interval '1 day' WHERE id = %s",
        f"DELETE FROM {table} WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [row.pk])


@postgres_only
def test_postgresql_allows_only_redacting_payload_values() -> None:
    change, event = _change(), _event()
    refused = [
        ("audit_changerecord", "changes", '{"given_name": ["Amy", "Bob"], "sex": ["F", "F"]}'),
        ("audit_changerecord", "changes", '{"sex": ["F", "F"]}'),
        ("audit_caseevent", "data", '{"reason": "OUTCOMES_ACHIEVED", "summary": "changed"}'),
        ("audit_caseevent", "data", '{"reason": "[redacted]", "summary": "[redacted]", "x": 1}'),
    ]
    for table, column, value in refused:
        pk = change.pk if table == "audit_changerecord" else event.pk
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(f"UPDATE {table} SET {column} = %s::jsonb WHERE id = %s", [value, pk])
    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE audit_changerecord SET changes = %s::jsonb WHERE id = %s",
            ['{"given_name": ["[redacted]", "[redacted]"], "sex": ["F", "F"]}', change.pk],
        )
        cursor.execute(
            "UPDATE audit_caseevent SET data = %s::jsonb WHERE id = %s",
            ['{"reason": "OUTCOMES_ACHIEVED", "summary": "[redacted]"}', event.pk],
        )
    event.refresh_from_db()
    assert event.data["summary"] == REDACTED
    ChangeRecord.objects.redact_payload(
        change.pk, {"given_name": [REDACTED, REDACTED], "sex": [REDACTED, REDACTED]}
    )
