"""A small valid dataset to break one rule at a time, and ways to look at the database."""

from __future__ import annotations

import csv
from pathlib import Path

from django.db import models

from earlyhelp.audit.models import CaseEvent, ChangeRecord
from earlyhelp.audit.services import SYSTEM
from earlyhelp.casework.models import Allocation, Case, Review
from earlyhelp.common.models import ImportBatch
from earlyhelp.frontdoor.models import Notification
from earlyhelp.interchange.services import ImportResult, InvalidDataset, dataset_import
from earlyhelp.organisation.models import OrgUnit, Worker
from earlyhelp.people.models import Family, Person
from earlyhelp.performance.models import ContextFigure, ImportedIndicatorValue, Target

EXAMPLE = Path("/work/shared/spec/example/dataset")
if not EXAMPLE.is_dir():  # pragma: no cover - a checkout next to the shared spec
    EXAMPLE = Path(__file__).resolve().parents[4] / "shared" / "spec" / "example" / "dataset"

BASE: dict[str, str] = {
    "org_units": """code,name,kind,parent_code,service
KC,Kent,COUNTY,,
AN,North,AREA,KC,
DN1,District One,DISTRICT,AN,
EHU1,Unit One,UNIT,DN1,EARLY_HELP_UNIT
""",
    "workers": """code,name,unit_code,role,fte
W1,Worker One,EHU1,PRACTITIONER,0.5
""",
    "families": """family_id,district_code,postcode,lsoa_code
F1,DN1,ME14 1XQ,E01024000
""",
    "people": (
        "person_id,family_id,given_name,family_name,date_of_birth,sex,role_in_family,"
        "ethnicity,upn,nhs_number\n"
        "P1,F1,Amy,Smith,2010-01-01,F,CHILD,WBRI,H801200001001,9434765919\n"
        "P2,F1,Bea,Smith,1980-02-02,F,PARENT_CARER,,,\n"
    ),
    "notifications": (
        "notification_id,person_id,received_at,source,category,triaged_at,triage_decision,"
        "threshold_level\n"
        "N1,P1,2016-01-04T09:00,SCHOOL,STANDARD,2016-01-05T10:00,ASSESS_EHU,3\n"
    ),
    "cases": (
        "case_id,notification_id,family_id,unit_code,worker_code,opened_on,"
        "assessment_started_on,assessment_completed_on,plan_agreed_on,closed_on,closure_reason\n"
        "C1,N1,F1,EHU1,W1,2016-01-05,2016-01-06,2016-01-20,2016-01-25,2016-06-30,"
        "OUTCOMES_ACHIEVED\n"
    ),
    "reviews": """case_id,review_date
C1,2016-03-01
""",
    "context_figures": """measure,period,org_unit_code,value
SCS_CLOSURES,2016-01,DN1,5
""",
    "imported_indicators": """indicator_code,period,org_unit_code,value,numerator,denominator
NEET01,2016-03,KC,4.1,,
""",
    "targets": """indicator_code,year,target,floor
EH05,2016,78,70
""",
}

TABLES: tuple[type[models.Model], ...] = (
    OrgUnit,
    Worker,
    Family,
    Person,
    Notification,
    Case,
    Allocation,
    Review,
    ContextFigure,
    ImportedIndicatorValue,
    Target,
    CaseEvent,
    ChangeRecord,
    ImportBatch,
)


def write_dataset(directory: Path, **files: str | None) -> Path:
    """The base dataset with some files replaced (text) or left out (None)."""
    directory.mkdir(parents=True, exist_ok=True)
    for stem, text in {**BASE, **files}.items():
        if text is not None:
            (directory / f"{stem}.csv").write_text(text, encoding="utf-8")
    return directory


def with_rows(stem: str, *rows: str) -> str:
    """A base file with rows added at its end."""
    return BASE[stem] + "".join(f"{row}\n" for row in rows)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in TABLES}


def import_dir(directory: Path) -> ImportResult:
    return dataset_import(directory=directory, actor=SYSTEM)


def import_errors(directory: Path) -> list[str]:
    """The errors of a dataset that must not import; checks that nothing was written."""
    try:
        import_dir(directory)
    except InvalidDataset as invalid:
        assert set(counts().values()) == {0}, counts()
        return invalid.errors
    raise AssertionError("the dataset was imported")


def broken(tmp_path: Path, **files: str | None) -> list[str]:
    return import_errors(write_dataset(tmp_path / "dataset", **files))


def contents() -> dict[str, list[dict[str, object]]]:
    """Every row of every table the import writes, for comparing before and after."""
    return {
        model.__name__: list(model.objects.order_by("pk").values())
        for model in TABLES
        if model is not ImportBatch
    }


def read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def lines(name: str) -> int:
    return len(read(EXAMPLE / name))
