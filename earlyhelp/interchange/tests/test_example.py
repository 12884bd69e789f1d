"""The worked example of spec/example imports cleanly, again without change, and round-trips."""

from __future__ import annotations

from collections import Counter
from decimal import Decimal, InvalidOperation

import pytest
from django.db import transaction

from earlyhelp.audit.models import Action, CaseEvent, ChangeRecord
from earlyhelp.casework.models import Allocation, Case
from earlyhelp.common.models import ImportBatch
from earlyhelp.domain.events import EventKind
from earlyhelp.frontdoor.models import Notification
from earlyhelp.interchange.services import dataset_export
from earlyhelp.interchange.spec import FILE_NAMES
from earlyhelp.interchange.tests.helpers import EXAMPLE, counts, import_dir, lines, read
from earlyhelp.people.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def example(django_db_setup, django_db_blocker):
    """The example imported once for the tests that only read it (rolled back after)."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield import_dir(EXAMPLE)
        transaction.set_rollback(True)


def test_the_example_imports_with_no_errors_and_every_row_counted(example):
    result = example

    assert {f.name: (f.created, f.updated, f.unchanged) for f in result.files} == {
        name: (lines(name), 0, 0) for name in FILE_NAMES
    }
    assert counts() == {
        "OrgUnit": 17,
        "Worker": 43,
        "Family": 400,
        "Person": 1180,
        "Notification": 1840,
        "Case": 1157,
        "Allocation": 1157,
        "Review": 3894,
        "ContextFigure": 106,
        "ImportedIndicatorValue": 8,
        "Target": 3,
        "CaseEvent": result.case_events,
        "ChangeRecord": 10,
        "ImportBatch": 1,
    }


def test_every_imported_record_is_marked_with_its_batch(example):
    result = example

    for model in (Person, Notification, Case):
        assert set(model.objects.values_list("import_batch_id", flat=True)) == {result.batch_id}
    batch = ImportBatch.objects.get()
    assert batch.counts["cases.csv"] == {"created": 1157, "updated": 0, "unchanged": 0}
    assert batch.warnings == result.warnings
    assert len(batch.checksum) == 64
    records = ChangeRecord.objects.filter(action=Action.IMPORT, entity="interchange.cases")
    assert [(r.entity_id, r.changes) for r in records] == [
        (batch.pk, {"created": 1157, "updated": 0})
    ]


def test_the_example_gives_warnings_for_the_live_rules_its_history_breaks(example):
    result = example

    consent = [w for w in result.warnings if "consent was withdrawn" in w]
    overlaps = [w for w in result.warnings if "two cases open at once" in w]
    assert len(consent) == sum(
        r["closure_reason"] == "CONSENT_WITHDRAWN" for r in read(EXAMPLE / "cases.csv")
    )
    assert len(consent) + len(overlaps) == len(result.warnings)
    assert overlaps[0] == (
        "cases.csv:2: warning: family F0289 has two cases open at once: C00001 and C01049 "
        "(opened 2014-12-23)"
    )


def test_imported_history_is_on_the_timeline(example):
    notifications = read(EXAMPLE / "notifications.csv")
    cases = read(EXAMPLE / "cases.csv")
    step_downs = sum(n["category"] == "SCS_STEP_DOWN" for n in notifications)
    expected = {
        EventKind.NOTIFICATION_RECEIVED: len(notifications) - step_downs,
        EventKind.STEP_DOWN_RECEIVED: step_downs,
        EventKind.NOTIFICATION_TRIAGED: sum(bool(n["triaged_at"]) for n in notifications),
        EventKind.CASE_OPENED: len(cases),
        EventKind.ASSESSMENT_STARTED: sum(bool(c["assessment_started_on"]) for c in cases),
        EventKind.ASSESSMENT_COMPLETED: sum(bool(c["assessment_completed_on"]) for c in cases),
        EventKind.PLAN_AGREED: sum(bool(c["plan_agreed_on"]) for c in cases),
        EventKind.REVIEW_RECORDED: lines("reviews.csv"),
        EventKind.CASE_CLOSED: sum(bool(c["closed_on"]) for c in cases),
    }
    assert {kind: CaseEvent.objects.filter(kind=kind).count() for kind in expected} == expected
    closed = CaseEvent.objects.get(
        kind=EventKind.CASE_CLOSED, case_id=Case.objects.get(case_ref="C00003").pk
    )
    assert (closed.occurred_on.isoformat(), closed.data) == (
        "2016-04-09",
        {"reason": "CLOSED_IN_ERROR"},
    )
    assert None not in (closed.family_id, closed.notification_id, closed.person_id)
    triaged = CaseEvent.objects.get(
        kind=EventKind.NOTIFICATION_TRIAGED,
        notification_id=Notification.objects.get(notification_ref="N00001").pk,
    )
    assert triaged.data == {"decision": "ASSESS_EHU", "level": 3}


def test_cases_get_their_holder_latest_review_and_notification_due_date(example):
    case = Case.objects.get(case_ref="C00003")
    latest = max(
        r["review_date"] for r in read(EXAMPLE / "reviews.csv") if r["case_id"] == "C00003"
    )
    assert case.last_review_on.isoformat() == latest
    allocation = Allocation.objects.get(case=case)
    assert (allocation.unit_id, allocation.worker_id) == (case.unit_id, case.worker_id)
    assert (allocation.started_on, allocation.ended_on) == (case.opened_on, case.closed_on)
    assert Allocation.objects.filter(
        case__closed_on__isnull=True, ended_on__isnull=True
    ).count() == (Case.objects.filter(closed_on__isnull=True).count())
    # Received Thursday 24 December 2015 at 12:15: 2 working days, over Christmas.
    assert Notification.objects.get(notification_ref="N00001").due_on.isoformat() == "2015-12-30"
    person = Person.objects.get(person_ref="P00010")
    assert (person.given_name_key, person.family_name_key) != ("", "")


def _parsed(value: str) -> object:
    """A number as its value ("1" and "1.0" are the same), anything else as it is."""
    try:
        return Decimal(value)
    except InvalidOperation:
        return value


def as_values(table: list[dict[str, str]]) -> Counter[frozenset[tuple[str, object]]]:
    return Counter(frozenset((k, _parsed(v)) for k, v in row.items()) for row in table)


def test_the_export_of_the_example_has_the_rows_of_the_example(example, tmp_path):
    result = dataset_export(directory=tmp_path)

    for name in FILE_NAMES:
        exported, given = read(tmp_path / name), read(EXAMPLE / name)
        assert result.rows[name] == len(given)
        assert as_values(exported) == as_values(given), name
