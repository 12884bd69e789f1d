"""Writing org_units.csv, workers.csv, families.csv and people.csv."""

from __future__ import annotations

from collections.abc import Iterable

from earlyhelp.domain.codes import OrgKind
from earlyhelp.domain.matching import phonetic_key
from earlyhelp.interchange.checks import chunked
from earlyhelp.interchange.load_context import LoadContext
from earlyhelp.interchange.reader import Row
from earlyhelp.interchange.upsert import Record, Table, Tally, pks, upsert
from earlyhelp.organisation.models import OrgUnit, Worker
from earlyhelp.people.models import Family, Person

ORG_UNITS = Table(OrgUnit, ("code",), ("name", "kind", "parent_id", "service"))
WORKERS = Table(Worker, ("code",), ("name", "unit_id", "role", "fte"))
FAMILIES = Table(Family, ("family_ref",), ("district_id", "postcode", "lsoa_code"))
PEOPLE = Table(
    Person,
    ("person_ref",),
    (
        "family_id",
        "given_name",
        "family_name",
        "date_of_birth",
        "sex",
        "role_in_family",
        "ethnicity",
        "upn",
        "nhs_number",
        "given_name_key",
        "family_name_key",
    ),
)
# Parents before children: a level's parents are written (and known) before the level.
LEVELS = (OrgKind.COUNTY, OrgKind.AREA, OrgKind.DISTRICT, OrgKind.UNIT)


def load_org_units(rows: Iterable[Row], ctx: LoadContext) -> Tally:
    tally = Tally()
    everything = list(rows)  # the organisation is small: a few hundred units at most
    ctx.reload_organisation()
    for level in LEVELS:
        records = [
            {
                "code": row["code"],
                "name": row["name"],
                "kind": row["kind"],
                "parent_id": ctx.org_unit_pk(row["parent_code"]) if row["parent_code"] else None,
                "service": row["service"] or "",
            }
            for row in everything
            if row["kind"] == level
        ]
        for chunk in chunked(records):
            tally.add(upsert(ORG_UNITS, chunk, ctx.stamp))
        ctx.reload_organisation()
    return tally


def load_workers(rows: Iterable[Row], ctx: LoadContext) -> Tally:
    tally = Tally()
    for chunk in chunked(rows):
        records = [
            {
                "code": row["code"],
                "name": row["name"],
                "unit_id": ctx.org_unit_pk(row["unit_code"]),
                "role": row["role"],
                "fte": row["fte"],
            }
            for row in chunk
        ]
        tally.add(upsert(WORKERS, records, ctx.stamp))
    ctx.reload_organisation()
    return tally


def load_families(rows: Iterable[Row], ctx: LoadContext) -> Tally:
    tally = Tally()
    for chunk in chunked(rows):
        records = [
            {
                "family_ref": row["family_id"],
                "district_id": ctx.org_unit_pk(row["district_code"]),
                "postcode": row["postcode"] or "",
                "lsoa_code": row["lsoa_code"] or "",
            }
            for row in chunk
        ]
        tally.add(upsert(FAMILIES, records, ctx.stamp))
    return tally


def load_people(rows: Iterable[Row], ctx: LoadContext) -> Tally:
    tally = Tally()
    for chunk in chunked(rows):
        families = pks(Family, "family_ref", (row["family_id"] for row in chunk))
        records = [_person(row, families[row["family_id"]]) for row in chunk]
        tally.add(upsert(PEOPLE, records, ctx.stamp))
    return tally


def _person(row: Row, family_pk: int) -> Record:
    return {
        "person_ref": row["person_id"],
        "family_id": family_pk,
        "given_name": row["given_name"],
        "family_name": row["family_name"],
        "date_of_birth": row["date_of_birth"],
        "sex": row["sex"],
        "role_in_family": row["role_in_family"],
        "ethnicity": row["ethnicity"] or "",
        "upn": row["upn"] or "",
        "nhs_number": row["nhs_number"] or "",
        "given_name_key": phonetic_key(row["given_name"]),
        "family_name_key": phonetic_key(row["family_name"]),
    }
