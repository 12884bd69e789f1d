"""Importing into a database that already holds records: upserts keyed by identifier."""

from __future__ import annotations

import pytest

from earlyhelp.audit.models import Action, CaseEvent, ChangeRecord
from earlyhelp.casework.models import Allocation, Case
from earlyhelp.domain.events import EventKind
from earlyhelp.interchange.services import InvalidDataset
from earlyhelp.interchange.tests.helpers import BASE, counts, import_dir, with_rows, write_dataset
from earlyhelp.organisation.models import Worker
from earlyhelp.people.models import Person

pytestmark = pytest.mark.django_db

OPEN_CASE = BASE["cases"].replace("2016-06-30,OUTCOMES_ACHIEVED", ",")
ORG_UNITS_HEADER = "code,name,kind,parent_code,service\n"


def test_a_second_import_updates_what_changed_and_records_it(tmp_path):
    import_dir(write_dataset(tmp_path / "one", cases=OPEN_CASE))
    case = Case.objects.get()
    assert Allocation.objects.get().ended_on is None

    result = import_dir(write_dataset(tmp_path / "two"))

    outcome = {f.name: (f.created, f.updated, f.unchanged) for f in result.files}
    assert outcome["cases.csv"] == (0, 1, 0)
    assert outcome["notifications.csv"] == (0, 0, 1)
    case.refresh_from_db()
    assert (case.closure_reason, case.version, case.import_batch_id) == (
        "OUTCOMES_ACHIEVED",
        2,
        result.batch_id,
    )
    assert Allocation.objects.get().ended_on == case.closed_on
    closed = CaseEvent.objects.get(kind=EventKind.CASE_CLOSED)
    assert (closed.case_id, closed.data) == (case.pk, {"reason": "OUTCOMES_ACHIEVED"})
    assert CaseEvent.objects.filter(kind=EventKind.CASE_OPENED).count() == 1
    records = ChangeRecord.objects.filter(import_batch_id=result.batch_id, action=Action.IMPORT)
    assert [(r.entity, r.changes) for r in records] == [
        ("interchange.cases", {"created": 0, "updated": 1})
    ]


def test_a_changed_worker_and_target_are_updated_in_place(tmp_path):
    import_dir(write_dataset(tmp_path / "one"))

    import_dir(
        write_dataset(
            tmp_path / "two",
            workers=BASE["workers"].replace("0.5", "1"),
            targets=BASE["targets"].replace("78,70", "79,"),
        )
    )

    worker = Worker.objects.get()
    assert (str(worker.fte), worker.version) == ("1.00", 2)
    assert counts()["Target"] == 1


def test_a_dataset_may_refer_to_records_already_in_the_database(tmp_path):
    import_dir(write_dataset(tmp_path / "one"))
    delta = {
        **{stem: None for stem in BASE},
        "org_units": ORG_UNITS_HEADER,
        "cases": BASE["cases"].splitlines()[0] + "\nC2,N1,F1,EHU1,W1,2016-07-01,,,,,\n",
        "reviews": "case_id,review_date\nC1,2016-04-01\nC2,2016-07-05\n",
    }

    result = import_dir(write_dataset(tmp_path / "two", **delta))

    assert {f.name: f.created for f in result.files if f.present} == {
        "org_units.csv": 0,
        "cases.csv": 1,
        "reviews.csv": 2,
    }
    latest = dict(Case.objects.values_list("case_ref", "last_review_on"))
    assert {ref: day.isoformat() for ref, day in latest.items()} == {
        "C1": "2016-04-01",
        "C2": "2016-07-05",
    }
    assert CaseEvent.objects.filter(kind=EventKind.REVIEW_RECORDED).count() == 3


def test_an_nhs_number_held_in_the_database_by_someone_else_is_an_error(tmp_path):
    import_dir(write_dataset(tmp_path / "one"))
    before = counts()
    people = BASE["people"].splitlines()[0] + "\nP9,F1,Zed,Smith,,U,CHILD,,,9434765919\n"
    delta = {**{stem: None for stem in BASE}, "org_units": ORG_UNITS_HEADER, "people": people}

    with pytest.raises(InvalidDataset) as raised:
        import_dir(write_dataset(tmp_path / "two", **delta))

    assert raised.value.errors == [
        "people.csv:2: nhs_number: 9434765919 is the NHS number of P1 in the database"
    ]
    assert counts() == before


def test_an_nhs_number_may_move_to_another_person_in_the_same_dataset(tmp_path):
    import_dir(write_dataset(tmp_path / "one"))
    people = with_rows("people", "P9,F1,Zed,Smith,,U,CHILD,,,9434765919").replace(
        "H801200001001,9434765919", "H801200001001,"
    )

    import_dir(write_dataset(tmp_path / "two", people=people))

    holders = Person.objects.exclude(nhs_number="").values_list("person_ref", flat=True)
    assert list(holders) == ["P9"]
