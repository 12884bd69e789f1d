"""`earlyhelp import DIR` and `earlyhelp export DIR`."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command, execute_from_command_line
from django.core.management.base import CommandError

from earlyhelp.interchange.tests.helpers import counts, with_rows, write_dataset

pytestmark = pytest.mark.django_db


def test_import_prints_one_line_per_file(tmp_path):
    out, err = StringIO(), StringIO()

    call_command("import", str(write_dataset(tmp_path, targets=None)), stdout=out, stderr=err)

    lines = out.getvalue().splitlines()
    assert lines[0] == "org_units.csv: 4 created, 0 updated, 0 unchanged"
    assert lines[9] == "targets.csv: not in the dataset"
    assert lines[10].endswith("8 case events, 0 warnings.")
    assert err.getvalue() == ""


def test_import_reports_errors_and_warnings_on_stderr_and_fails(tmp_path):
    dataset = write_dataset(
        tmp_path,
        workers=with_rows("workers", "W2,Two,EHU1,BOSS,1"),
        cases=with_rows("cases", "C2,,F1,EHU1,W1,2016-07-01,,,,2016-07-02,CONSENT_WITHDRAWN"),
        reviews=with_rows("reviews", "C2,2016-07-03"),
    )
    err = StringIO()

    with pytest.raises(CommandError, match=r"^2 error\(s\) in the dataset: nothing was imported"):
        call_command("import", str(dataset), stdout=StringIO(), stderr=err)

    assert err.getvalue().splitlines() == [
        "workers.csv:3: role: 'BOSS' is not one of PRACTITIONER, SENIOR_PRACTITIONER, "
        "UNIT_LEADER, TRIAGE_OFFICER, BUSINESS_SUPPORT, MANAGER",
        "cases.csv:3: warning: closed_on 2016-07-02: closing because consent was withdrawn "
        "needs a unit leader's authorisation",
        "reviews.csv:3: review_date: 2016-07-03 is after the case closed (2016-07-02)",
    ]
    assert set(counts().values()) == {0}


def test_the_command_line_exits_with_status_1_on_errors(tmp_path, capsys):
    dataset = write_dataset(tmp_path, workers=with_rows("workers", "W2,Two,EHU1,BOSS,1"))

    with pytest.raises(SystemExit) as exited:
        execute_from_command_line(["earlyhelp", "import", str(dataset)])

    assert exited.value.code == 1
    assert "workers.csv:3: role:" in capsys.readouterr().err


def test_a_folder_that_does_not_exist(tmp_path):
    with pytest.raises(CommandError):
        call_command("import", str(tmp_path / "nowhere"), stdout=StringIO(), stderr=StringIO())


def test_export_writes_every_file(tmp_path):
    call_command("import", str(write_dataset(tmp_path / "in")), stdout=StringIO())
    out = StringIO()

    call_command("export", str(tmp_path / "out"), stdout=out)

    assert out.getvalue().splitlines()[0] == "org_units.csv: 4 rows"
    assert (tmp_path / "out" / "cases.csv").read_text(encoding="utf-8").splitlines()[1] == (
        "C1,N1,F1,EHU1,W1,2016-01-05,2016-01-06,2016-01-20,2016-01-25,2016-06-30,OUTCOMES_ACHIEVED"
    )
