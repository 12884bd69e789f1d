"""Checks of people.csv.

An NHS number or a UPN belongs to one person: the database holds it unique among people
not merged into another record, so a second holder is an error, not a warning.
"""

from __future__ import annotations

from collections import defaultdict

from earlyhelp.common import clock
from earlyhelp.domain import identifiers
from earlyhelp.domain.errors import InvalidIdentifier
from earlyhelp.interchange.checks import FileCheck, chunked, sentence
from earlyhelp.interchange.issues import FileIssues
from earlyhelp.interchange.known import Known, PersonInfo
from earlyhelp.interchange.reader import Row
from earlyhelp.interchange.spec import PEOPLE
from earlyhelp.people.models import Person

UNIQUE_IDENTIFIERS = {"nhs_number": "NHS number", "upn": "unique pupil number"}
Holders = dict[str, list[tuple[str, int]]]


class PeopleCheck(FileCheck):
    spec = PEOPLE

    def __init__(self, known: Known, issues: FileIssues) -> None:
        super().__init__(known, issues)
        self.today = clock.today()
        self.holders: dict[str, Holders] = {name: defaultdict(list) for name in UNIQUE_IDENTIFIERS}

    def prefetch(self, rows: list[Row]) -> None:
        self.known.families.prefetch(row["family_id"] for row in rows)

    def check(self, row: Row) -> None:
        self.resolve(row, "family_id", self.known.families, "families.csv")
        born = row["date_of_birth"]
        if born is not None and born > self.today:
            self.error(row, "date_of_birth", f"{born} is in the future")
        if row["upn"] is not None:
            self._check_upn_format(row)
        for column, holders in self.holders.items():
            if row[column] is not None:
                holders[row[column]].append((row["person_id"], row.line))
        self.known.people.add(
            row["person_id"], PersonInfo(row["family_id"] or "", row["role_in_family"] or "")
        )

    def _check_upn_format(self, row: Row) -> None:
        """The live workflow checks a UPN's letters and check letter; the format does not."""
        try:
            identifiers.normalise_upn(row["upn"])
        except InvalidIdentifier as error:
            self.warning(row, f"upn {row['upn']}: {sentence(error.message)}")

    def finish(self) -> None:
        for column, holders in self.holders.items():
            merged = _merged_people({ref for found in holders.values() for ref, _ in found})
            self._check_within_dataset(column, holders, merged)
            self._check_against_database(column, holders, merged)

    def _check_within_dataset(self, column: str, holders: Holders, merged: set[str]) -> None:
        label = UNIQUE_IDENTIFIERS[column]
        for value, found in holders.items():
            active = [(ref, line) for ref, line in found if ref not in merged]
            for _, line in active[1:]:
                first, first_line = active[0]
                self.issues.error(
                    line, column, f"{value} is also the {label} of {first} (line {first_line})"
                )

    def _check_against_database(self, column: str, holders: Holders, merged: set[str]) -> None:
        label = UNIQUE_IDENTIFIERS[column]
        for values in chunked(holders):
            others = (
                Person.objects.filter(**{f"{column}__in": values}, merged_into__isnull=True)
                .exclude(person_ref__in=[ref for v in values for ref, _ in holders[v]])
                .values_list(column, "person_ref")
            )
            for value, other in others:
                if other in self.known.people.dataset:
                    continue  # the dataset gives that person another value
                active = [line for ref, line in holders[value] if ref not in merged]
                if active:
                    self.issues.error(
                        active[0], column, f"{value} is the {label} of {other} in the database"
                    )


def _merged_people(refs: set[str]) -> set[str]:
    """Those of `refs` merged into another record in the database (the import keeps that)."""
    merged: set[str] = set()
    for chunk in chunked(refs):
        merged.update(
            Person.objects.filter(person_ref__in=chunk, merged_into__isnull=False).values_list(
                "person_ref", flat=True
            )
        )
    return merged
