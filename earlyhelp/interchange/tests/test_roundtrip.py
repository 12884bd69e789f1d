"""Importing again changes nothing; export, import into an empty database, export: same bytes."""

from __future__ import annotations

import pytest
from django.db import transaction

from earlyhelp.common.models import ImportBatch
from earlyhelp.interchange.services import dataset_export
from earlyhelp.interchange.spec import FILE_NAMES
from earlyhelp.interchange.tests.helpers import (
    EXAMPLE,
    contents,
    counts,
    import_dir,
    lines,
    write_dataset,
)
from earlyhelp.people.models import Person

pytestmark = pytest.mark.django_db


def test_importing_the_example_again_writes_nothing_but_the_batch():
    import_dir(EXAMPLE)
    before = contents()

    result = import_dir(EXAMPLE)

    assert contents() == before  # no row added or changed, no change record, no event
    assert {(f.created, f.updated) for f in result.files} == {(0, 0)}
    assert sum(f.unchanged for f in result.files) == sum(lines(n) for n in FILE_NAMES)
    assert result.case_events == 0
    assert ImportBatch.objects.count() == 2


def test_export_then_import_into_an_empty_database_then_export_gives_the_same_bytes(tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    with transaction.atomic():
        import_dir(EXAMPLE)
        dataset_export(directory=first)
        transaction.set_rollback(True)
    assert counts()["Case"] == 0

    import_dir(first)
    dataset_export(directory=second)

    assert sorted(p.name for p in first.iterdir()) == sorted(FILE_NAMES)
    for name in FILE_NAMES:
        assert (second / name).read_bytes() == (first / name).read_bytes(), name


def test_the_export_has_every_file_with_its_header_when_the_database_is_empty(tmp_path):
    dataset_export(directory=tmp_path)

    assert (tmp_path / "reviews.csv").read_text(encoding="utf-8") == "case_id,review_date\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(FILE_NAMES)


def test_people_merged_into_another_record_are_still_exported(tmp_path):
    import_dir(write_dataset(tmp_path / "in"))
    Person.objects.filter(person_ref="P2").update(merged_into=Person.objects.get(person_ref="P1"))

    dataset_export(directory=tmp_path / "out")

    rows = (tmp_path / "out" / "people.csv").read_text(encoding="utf-8").splitlines()
    assert [row.split(",")[0] for row in rows] == ["person_id", "P1", "P2"]
