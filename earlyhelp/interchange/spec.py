"""The files and columns of the interchange format, version 1 (spec/interchange.md), as data.

Each column names the parser of its values and whether a value is required; the rules
that involve several columns or files live in the `checks_*` modules. The files are
listed in the order they are read and written: every file refers only to files above it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from earlyhelp.domain.codes import (
    Category,
    ClosureReason,
    ContextMeasure,
    Ethnicity,
    OrgKind,
    RoleInFamily,
    Service,
    Sex,
    Source,
    TriageDecision,
    WorkerRole,
)
from earlyhelp.domain.indicators.definitions import COMPUTED_CODES, IMPORTED_CODES
from earlyhelp.interchange import values as v

# spec/indicators.md: computed from casework, and measured elsewhere (imported).
COMPUTED_INDICATORS = COMPUTED_CODES
IMPORTED_INDICATORS = IMPORTED_CODES
ALL_INDICATORS = COMPUTED_INDICATORS + IMPORTED_INDICATORS

_MAX_INT = 2_147_483_647
_MAX_BIGINT = 9_223_372_036_854_775_807


def _codes(enum: type[StrEnum]) -> v.Parser:
    return v.code(member.value for member in enum)


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    parse: v.Parser
    required: bool = True


@dataclass(frozen=True, slots=True)
class FileSpec:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    required: bool = False

    @property
    def stem(self) -> str:
        return self.name.removesuffix(".csv")

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)


def _id(name: str, *, required: bool = True) -> Column:
    return Column(name, v.identifier, required)


DECIMAL_14_4 = v.decimal(max_digits=14, places=4)

ORG_UNITS = FileSpec(
    "org_units.csv",
    (
        _id("code"),
        Column("name", v.text(200)),
        Column("kind", _codes(OrgKind)),
        _id("parent_code", required=False),
        Column("service", _codes(Service), required=False),
    ),
    key=("code",),
    required=True,
)
WORKERS = FileSpec(
    "workers.csv",
    (
        _id("code"),
        Column("name", v.text(200)),
        _id("unit_code"),
        Column("role", _codes(WorkerRole)),
        Column("fte", v.decimal(max_digits=4, places=2, check=v.fte_rule)),
    ),
    key=("code",),
)
FAMILIES = FileSpec(
    "families.csv",
    (
        _id("family_id"),
        _id("district_code"),
        Column("postcode", v.postcode, required=False),
        Column("lsoa_code", v.lsoa, required=False),
    ),
    key=("family_id",),
)
PEOPLE = FileSpec(
    "people.csv",
    (
        _id("person_id"),
        _id("family_id"),
        Column("given_name", v.text(100)),
        Column("family_name", v.text(100)),
        Column("date_of_birth", v.iso_date, required=False),
        Column("sex", _codes(Sex)),
        Column("role_in_family", _codes(RoleInFamily)),
        Column("ethnicity", _codes(Ethnicity), required=False),
        Column("upn", v.upn, required=False),
        Column("nhs_number", v.nhs_number, required=False),
    ),
    key=("person_id",),
)
NOTIFICATIONS = FileSpec(
    "notifications.csv",
    (
        _id("notification_id"),
        _id("person_id"),
        Column("received_at", v.local_datetime),
        Column("source", _codes(Source)),
        Column("category", _codes(Category)),
        Column("triaged_at", v.local_datetime, required=False),
        Column("triage_decision", _codes(TriageDecision), required=False),
        Column("threshold_level", v.integer(low=1, high=4), required=False),
    ),
    key=("notification_id",),
)
CASES = FileSpec(
    "cases.csv",
    (
        _id("case_id"),
        _id("notification_id", required=False),
        _id("family_id"),
        _id("unit_code"),
        _id("worker_code", required=False),
        Column("opened_on", v.iso_date),
        Column("assessment_started_on", v.iso_date, required=False),
        Column("assessment_completed_on", v.iso_date, required=False),
        Column("plan_agreed_on", v.iso_date, required=False),
        Column("closed_on", v.iso_date, required=False),
        Column("closure_reason", _codes(ClosureReason), required=False),
    ),
    key=("case_id",),
)
REVIEWS = FileSpec(
    "reviews.csv",
    (_id("case_id"), Column("review_date", v.iso_date)),
    key=("case_id", "review_date"),
)
CONTEXT_FIGURES = FileSpec(
    "context_figures.csv",
    (
        Column("measure", _codes(ContextMeasure)),
        Column("period", v.month),
        _id("org_unit_code"),
        Column("value", v.integer(low=0, high=_MAX_INT, rule="0 or more")),
    ),
    key=("measure", "period", "org_unit_code"),
)
IMPORTED_INDICATOR_VALUES = FileSpec(
    "imported_indicators.csv",
    (
        Column("indicator_code", v.code(IMPORTED_INDICATORS, what="an imported indicator:")),
        Column("period", v.month),
        _id("org_unit_code"),
        Column("value", DECIMAL_14_4),
        Column("numerator", v.integer(low=-_MAX_BIGINT, high=_MAX_BIGINT), required=False),
        Column("denominator", v.integer(low=-_MAX_BIGINT, high=_MAX_BIGINT), required=False),
    ),
    key=("indicator_code", "period", "org_unit_code"),
)
TARGETS = FileSpec(
    "targets.csv",
    (
        Column("indicator_code", v.code(ALL_INDICATORS, what="an indicator:")),
        Column("year", v.year),
        Column("target", DECIMAL_14_4),
        Column("floor", DECIMAL_14_4, required=False),
    ),
    key=("indicator_code", "year"),
)

FILES: tuple[FileSpec, ...] = (
    ORG_UNITS,
    WORKERS,
    FAMILIES,
    PEOPLE,
    NOTIFICATIONS,
    CASES,
    REVIEWS,
    CONTEXT_FIGURES,
    IMPORTED_INDICATOR_VALUES,
    TARGETS,
)
FILE_NAMES = tuple(spec.name for spec in FILES)
