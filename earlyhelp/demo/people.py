"""Synthetic households: addresses in the district, parents and children, identifiers.

Names come from Faker's en_GB word lists, drawn with the family's own seeded generator
(much faster than a Faker call per name, and as deterministic). Postcodes use the
district's real outward codes with made-up inward codes; LSOA codes are from a range no
real LSOA uses. UPNs carry a valid check letter; NHS numbers are in the 999 range, which
the NHS never issues to patients, with a valid modulus-11 check digit.
"""

from __future__ import annotations

import bisect
import itertools
import random
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache

from faker.providers.person.en_GB import Provider as NameProvider

from earlyhelp.demo.geography import STREET_ENDINGS, lsoa_code
from earlyhelp.demo.organisation import District
from earlyhelp.demo.rates import HISTORY_END
from earlyhelp.demo.writer import BulkWriter
from earlyhelp.domain.codes import Ethnicity, RelationshipKind, RoleInFamily, Sex
from earlyhelp.domain.identifiers import nhs_check_digit, upn_check_letter
from earlyhelp.domain.matching import phonetic_key
from earlyhelp.people.models import Family, Person, Relationship

_INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
_LAST_NAMES = tuple(NameProvider.last_names)
_LAST_CUMULATIVE = tuple(itertools.accumulate(NameProvider.last_names.values()))
_FEMALE = NameProvider.first_names_female
_MALE = NameProvider.first_names_male
_ETHNICITIES = (
    (Ethnicity.WBRI, 80.0), (Ethnicity.WOTH, 4.0), (Ethnicity.WIRI, 0.5), (Ethnicity.WIRT, 0.4),
    (Ethnicity.WROM, 0.8), (Ethnicity.MWBC, 2.0), (Ethnicity.MWBA, 0.8), (Ethnicity.MWAS, 0.8),
    (Ethnicity.MOTH, 1.0), (Ethnicity.AIND, 1.5), (Ethnicity.APKN, 0.4), (Ethnicity.ABAN, 0.4),
    (Ethnicity.AOTH, 1.0), (Ethnicity.BAFR, 1.5), (Ethnicity.BCRB, 0.3), (Ethnicity.BOTH, 0.3),
    (Ethnicity.CHNE, 0.3), (Ethnicity.OOTH, 1.0), (Ethnicity.REFU, 1.0), (Ethnicity.NOBT, 1.7),
)  # fmt: skip
_ETH_CODES = tuple(str(code) for code, _ in _ETHNICITIES)
_ETH_CUMULATIVE = tuple(itertools.accumulate(w for _, w in _ETHNICITIES))
# Age of the child the first notification is about: weights for 0..17.
_INDEX_AGE_WEIGHTS = (6, 5, 5, 5, 6, 7, 7, 7, 7, 7, 8, 9, 10, 10, 10, 9, 6, 4)
_CHILDREN_WEIGHTS = ((1, 35), (2, 33), (3, 18), (4, 9), (5, 5))
NHS_PREFIX = 999_000_000


@dataclass(slots=True)
class Member:
    id: int
    given_name: str
    dob: date | None
    sex: str
    family_name: str = ""

    def age_on(self, day: date) -> int:
        if self.dob is None:
            return -1
        return day.year - self.dob.year - ((day.month, day.day) < (self.dob.month, self.dob.day))


@dataclass(slots=True)
class Household:
    id: int
    ref: str
    district: District
    surname: str
    postcode: str = ""
    children: list[Member] = field(default_factory=list)
    adults: list[Member] = field(default_factory=list)

    def children_aged_under_18(self, day: date) -> list[Member]:
        return [c for c in self.children if c.dob is not None and 0 <= c.age_on(day) < 18]

    @property
    def parent_name(self) -> str:
        return self.adults[0].given_name if self.adults else "the family"


@lru_cache(maxsize=4096)
def _key(name: str) -> str:
    return phonetic_key(name)


def _years_before(day: date, years: int, rng: random.Random) -> date:
    return day - timedelta(days=365 * years + rng.randrange(365))


class FamilyMaker:
    """Writes households and their members; keeps the identifier counters."""

    def __init__(self, writer: BulkWriter, lsoa_weights: dict[int, list[float]]) -> None:
        self.writer = writer
        self.lsoa_weights = lsoa_weights
        self.nhs_serial = 0

    def make(self, rng: random.Random, district: District, first: datetime) -> Household:
        family_id = self.writer.next_id(Family)
        ref = f"F{family_id:07d}"
        surname = self.last_name(rng)
        row = self._family_row(rng, family_id, ref, district, surname, first)
        self.writer.add(Family, row)
        household = Household(family_id, ref, district, surname, str(row["postcode"]))
        ethnicity = self.ethnicity(rng)
        self._add_children(rng, household, first.date(), ethnicity, first)
        self._add_adults(rng, household, ethnicity, first)
        self._add_relationships(rng, household, first)
        return household

    def _family_row(
        self,
        rng: random.Random,
        family_id: int,
        ref: str,
        district: District,
        surname: str,
        first: datetime,
    ) -> dict[str, object]:
        spec = district.spec
        street = f"{self.last_name(rng)} {rng.choice(STREET_ENDINGS)}"
        inward = f"{rng.randrange(10)}{rng.choice(_INWARD_LETTERS)}{rng.choice(_INWARD_LETTERS)}"
        cumulative = self.lsoa_weights[district.index]
        lsoa = bisect.bisect_right(cumulative, rng.random() * cumulative[-1])
        return {
            "id": family_id,
            "family_ref": ref,
            "district_id": district.id,
            "address_line_1": f"{rng.randrange(1, 160)} {street}",
            "town": rng.choice(spec.towns),
            "postcode": f"{rng.choice(spec.outward_codes)} {inward}",
            "lsoa_code": lsoa_code(district.index, lsoa),
            "created_at": first,
        }

    def _add_children(
        self,
        rng: random.Random,
        household: Household,
        on: date,
        ethnicity: str,
        first: datetime,
    ) -> None:
        count = rng.choices(*zip(*_CHILDREN_WEIGHTS, strict=True))[0]
        index_age = rng.choices(range(18), _INDEX_AGE_WEIGHTS)[0]
        ages = [index_age] + [
            min(17, max(-2, index_age + rng.choice((-1, 1)) * rng.randint(1, 6)))
            for _ in range(count - 1)
        ]
        for age in sorted(ages, reverse=True):
            dob = _years_before(on, age, rng) if age >= 0 else on + timedelta(rng.randrange(700))
            if dob > HISTORY_END:
                continue
            sex = rng.choices((Sex.F, Sex.M, Sex.U), (49, 49, 2))[0]
            household.children.append(
                self._person(rng, household, RoleInFamily.CHILD, sex, dob, ethnicity, first)
            )

    def _add_adults(
        self, rng: random.Random, household: Household, ethnicity: str, first: datetime
    ) -> None:
        eldest = min((c.dob for c in household.children if c.dob), default=first.date())
        mother_dob = _years_before(eldest, rng.randint(17, 38), rng)
        household.adults.append(
            self._person(
                rng, household, RoleInFamily.PARENT_CARER, Sex.F, mother_dob, ethnicity, first
            )
        )
        if rng.random() < 0.55:
            dob = _years_before(mother_dob, rng.randint(0, 6), rng)
            household.adults.append(
                self._person(
                    rng, household, RoleInFamily.PARENT_CARER, Sex.M, dob, ethnicity, first
                )
            )
        if rng.random() < 0.06:
            dob = _years_before(mother_dob, rng.randint(19, 28), rng)
            household.adults.append(
                self._person(rng, household, RoleInFamily.OTHER_ADULT, Sex.F, dob, ethnicity, first)
            )

    def _person(
        self,
        rng: random.Random,
        household: Household,
        role: str,
        sex: str,
        dob: date,
        ethnicity: str,
        first: datetime,
    ) -> Member:
        given = rng.choice(
            _FEMALE if sex == Sex.F else _MALE if sex == Sex.M else rng.choice((_FEMALE, _MALE))
        )
        surname = household.surname if rng.random() < 0.85 else self.last_name(rng)
        person_id = self.writer.next_id(Person)
        row: dict[str, object] = {
            "id": person_id,
            "person_ref": f"P{person_id:07d}",
            "family_id": household.id,
            "given_name": given,
            "family_name": surname,
            "date_of_birth": dob,
            "sex": sex,
            "role_in_family": role,
            "ethnicity": ethnicity if rng.random() < 0.9 else self.ethnicity(rng),
            "given_name_key": _key(given),
            "family_name_key": _key(surname),
            "created_at": first,
        }
        if role == RoleInFamily.CHILD:
            row.update(self._identifiers(rng, person_id, dob))
        self.writer.add(Person, row)
        return Member(person_id, given, dob, sex, surname)

    def _identifiers(self, rng: random.Random, person_id: int, dob: date) -> dict[str, str]:
        found: dict[str, str] = {}
        if dob <= HISTORY_END - timedelta(days=365 * 4) and rng.random() < 0.7:
            digits = f"886{person_id:09d}"
            found["upn"] = upn_check_letter(digits) + digits
        if rng.random() < 0.55:
            found.update(self._nhs_number())
        return found

    def _nhs_number(self) -> dict[str, str]:
        while self.nhs_serial < 1_000_000:
            first_nine = str(NHS_PREFIX + self.nhs_serial)
            self.nhs_serial += 1
            check = nhs_check_digit(first_nine)
            if check is not None:
                return {"nhs_number": f"{first_nine}{check}"}
        return {}

    def _add_relationships(self, rng: random.Random, household: Household, first: datetime) -> None:
        for adult in household.adults[:2]:
            for child in household.children:
                kind = (
                    RelationshipKind.PARENT_OF
                    if rng.random() < 0.9
                    else (RelationshipKind.STEP_PARENT_OF)
                )
                self._relate(adult.id, child.id, kind, first)
        if len(household.adults) >= 2:
            self._relate(
                household.adults[0].id, household.adults[1].id, RelationshipKind.PARTNER_OF, first
            )
        for grandparent in household.adults[2:]:
            for child in household.children:
                self._relate(grandparent.id, child.id, RelationshipKind.GRANDPARENT_OF, first)

    def _relate(self, person: int, other: int, kind: str, first: datetime) -> None:
        row = {"person_id": person, "other_id": other, "kind": kind, "created_at": first}
        self.writer.add(Relationship, row)

    @staticmethod
    def last_name(rng: random.Random) -> str:
        point = rng.random() * _LAST_CUMULATIVE[-1]
        return _LAST_NAMES[bisect.bisect_right(_LAST_CUMULATIVE, point)]

    @staticmethod
    def ethnicity(rng: random.Random) -> str:
        point = rng.random() * _ETH_CUMULATIVE[-1]
        return _ETH_CODES[bisect.bisect_right(_ETH_CUMULATIVE, point)]


def lsoa_weights(rng: random.Random, districts: list[District]) -> dict[int, list[float]]:
    """Cumulative weights of each district's LSOA pool: a few areas carry most demand."""
    weights: dict[int, list[float]] = {}
    for district in districts:
        raw = [1.0 / (1 + n) ** 0.8 for n in range(district.spec.lsoas)]
        rng.shuffle(raw)
        weights[district.index] = list(itertools.accumulate(raw))
    return weights
