"""Writing the database out as the files of the interchange format.

Every file is written, with its header even when empty: UTF-8, RFC 4180 quoting, lines
ending in "\\n", the columns in the order of the format, rows in the order of their
identifiers (code-point order, the same on every database), streamed from the database.
Dates are ISO; date-times UK local time to the minute (seconds only when not zero);
decimals plain, without trailing zeros; null is an empty cell. Importing the files into
an empty database and exporting again gives the same bytes.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterator
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

from django.db import connection, models
from django.db.models.functions import Collate

from earlyhelp.casework.models import Case, Review
from earlyhelp.frontdoor.models import Notification
from earlyhelp.interchange.checks import stamp
from earlyhelp.interchange.spec import FILES, FileSpec
from earlyhelp.organisation.models import OrgUnit, Worker
from earlyhelp.people.models import Family, Person
from earlyhelp.performance.models import ContextFigure, ImportedIndicatorValue, Target

CHUNK = 2000
BINARY_COLLATION = {"postgresql": "C", "sqlite": "BINARY"}

# Each file: the model, the field path of each column (in the format's order), the sort.
SOURCES: dict[str, tuple[type[models.Model], dict[str, str], tuple[str, ...]]] = {
    "org_units.csv": (
        OrgUnit,
        {
            "code": "code",
            "name": "name",
            "kind": "kind",
            "parent_code": "parent__code",
            "service": "service",
        },
        ("code",),
    ),
    "workers.csv": (
        Worker,
        {"code": "code", "name": "name", "unit_code": "unit__code", "role": "role", "fte": "fte"},
        ("code",),
    ),
    "families.csv": (
        Family,
        {
            "family_id": "family_ref",
            "district_code": "district__code",
            "postcode": "postcode",
            "lsoa_code": "lsoa_code",
        },
        ("family_ref",),
    ),
    "people.csv": (
        Person,
        {
            "person_id": "person_ref",
            "family_id": "family__family_ref",
            "given_name": "given_name",
            "family_name": "family_name",
            "date_of_birth": "date_of_birth",
            "sex": "sex",
            "role_in_family": "role_in_family",
            "ethnicity": "ethnicity",
            "upn": "upn",
            "nhs_number": "nhs_number",
        },
        ("person_ref",),
    ),
    "notifications.csv": (
        Notification,
        {
            "notification_id": "notification_ref",
            "person_id": "person__person_ref",
            "received_at": "received_at",
            "source": "source",
            "category": "category",
            "triaged_at": "triaged_at",
            "triage_decision": "triage_decision",
            "threshold_level": "threshold_level",
        },
        ("notification_ref",),
    ),
    "cases.csv": (
        Case,
        {
            "case_id": "case_ref",
            "notification_id": "notification__notification_ref",
            "family_id": "family__family_ref",
            "unit_code": "unit__code",
            "worker_code": "worker__code",
            "opened_on": "opened_on",
            "assessment_started_on": "assessment_started_on",
            "assessment_completed_on": "assessment_completed_on",
            "plan_agreed_on": "plan_agreed_on",
            "closed_on": "closed_on",
            "closure_reason": "closure_reason",
        },
        ("case_ref",),
    ),
    "reviews.csv": (
        Review,
        {"case_id": "case__case_ref", "review_date": "review_date"},
        ("case__case_ref", "review_date"),
    ),
    "context_figures.csv": (
        ContextFigure,
        {
            "measure": "measure",
            "period": "period",
            "org_unit_code": "org_unit__code",
            "value": "value",
        },
        ("measure", "period", "org_unit__code"),
    ),
    "imported_indicators.csv": (
        ImportedIndicatorValue,
        {
            "indicator_code": "indicator_code",
            "period": "period",
            "org_unit_code": "org_unit__code",
            "value": "value",
            "numerator": "numerator",
            "denominator": "denominator",
        },
        ("indicator_code", "period", "org_unit__code"),
    ),
    "targets.csv": (
        Target,
        {"indicator_code": "indicator_code", "year": "year", "target": "target", "floor": "floor"},
        ("indicator_code", "year"),
    ),
}
_NOT_TEXT = {"review_date", "year"}


def export_files(directory: Path) -> dict[str, int]:
    """Write every file into `directory`; the number of rows of each."""
    return {spec.name: _write(directory / spec.name, spec) for spec in FILES}


def _write(path: Path, spec: FileSpec) -> int:
    partial = path.with_name(path.name + ".partial")
    count = 0
    with partial.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(spec.column_names)
        for row in _rows(spec):
            writer.writerow([cell(value) for value in row])
            count += 1
    os.replace(partial, path)
    return count


def file_rows(spec: FileSpec) -> Iterator[tuple[object, ...]]:
    """The rows of one file of the format, as values (not yet text), in the file's order."""
    return _rows(spec)


def _rows(spec: FileSpec) -> Iterator[tuple[object, ...]]:
    model, paths, order = SOURCES[spec.name]
    rows = (
        model._default_manager.order_by(*(_sort(field) for field in order))
        .values_list(*(paths[name] for name in spec.column_names))
        .iterator(chunk_size=CHUNK)
    )
    previous = None
    for row in rows:
        if row != previous:  # two reviews of a case on one day are one row of the format
            yield row
        previous = row


def _sort(field: str) -> Collate | str:
    """Text in code-point order, whatever the database's collation."""
    collation = BINARY_COLLATION.get(connection.vendor)
    if collation is None or field in _NOT_TEXT:
        return field
    return Collate(field, collation)


def cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return stamp(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return "0" if value == 0 else format(value.normalize(), "f")
    return str(value)
