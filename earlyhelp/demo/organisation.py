"""The synthetic county's organisation tree and staff, and the index the simulation uses.

Kent (the COUNTY) → 4 areas → 12 districts → units: 44 Early Help Units, one youth hub per
district, a few children's centres per district; the Triage unit and central Youth
Justice hang from the county. Every Early Help Unit has a unit leader, a senior
practitioner, three practitioners and a half-time business support officer. District and
area managers sit in an Early Help Unit of their district (the interchange format places
every worker in a UNIT); their accounts' scope is the district or area.
"""

from __future__ import annotations

import bisect
import itertools
import random
from dataclasses import dataclass, field
from datetime import datetime
from decimal import Decimal

from faker import Faker

from earlyhelp.demo.geography import (
    AREAS,
    COUNTY_CODE,
    COUNTY_NAME,
    DISTRICTS,
    SCHOOL_PATTERNS,
    DistrictSpec,
    children_centres_in,
)
from earlyhelp.demo.writer import BulkWriter
from earlyhelp.domain.codes import OrgKind, Service, WorkerRole
from earlyhelp.organisation.models import OrgUnit, Worker

PART_TIME = (Decimal("1.00"), Decimal("1.00"), Decimal("1.00"), Decimal("0.80"), Decimal("0.60"))
HALF = Decimal("0.50")
FULL = Decimal("1.00")


@dataclass(slots=True)
class StaffMember:
    id: int
    code: str
    name: str
    role: str
    fte: Decimal
    user_id: int | None = None
    username: str = ""

    @property
    def signature(self) -> str:
        """The name records carry: an account's username (as the services write), else the name."""
        return self.username or self.name


@dataclass(slots=True)
class Team:
    id: int
    code: str
    name: str
    service: str
    leader: StaffMember | None = None
    caseholders: list[StaffMember] = field(default_factory=list)
    staff: list[StaffMember] = field(default_factory=list)
    _cumulative: list[float] = field(default_factory=list)

    def pick_caseholder(self, rng: random.Random) -> StaffMember:
        """A caseholding worker, chosen in proportion to their hours."""
        if not self._cumulative:
            self._cumulative = list(itertools.accumulate(float(w.fte) for w in self.caseholders))
        point = rng.random() * self._cumulative[-1]
        return self.caseholders[bisect.bisect_right(self._cumulative, point)]


@dataclass(slots=True)
class District:
    index: int
    id: int
    spec: DistrictSpec
    area_id: int
    early_help_units: list[Team] = field(default_factory=list)
    youth_hub: Team | None = None
    centres: list[Team] = field(default_factory=list)
    schools: list[str] = field(default_factory=list)
    manager: StaffMember | None = None


@dataclass(slots=True)
class County:
    id: int
    area_ids: dict[str, int]
    districts: list[District]
    triage: Team
    youth_justice: Team
    area_managers: dict[str, StaffMember] = field(default_factory=dict)

    def district_by_code(self, code: str) -> District:
        return next(d for d in self.districts if d.spec.code == code)


class _Builder:
    def __init__(self, writer: BulkWriter, fake: Faker, moment: datetime) -> None:
        self.writer, self.fake, self.moment = writer, fake, moment
        self.worker_numbers = itertools.count(1)

    def org_unit(
        self, code: str, name: str, kind: str, parent: int | None, service: str = ""
    ) -> int:
        row = {"code": code, "name": name, "kind": kind, "parent_id": parent, "service": service}
        return self.writer.add(OrgUnit, {**row, "created_at": self.moment})

    def worker(self, team_id: int, role: str, fte: Decimal) -> StaffMember:
        code = f"W{next(self.worker_numbers):04d}"
        name = f"{self.fake.first_name()} {self.fake.last_name()}"
        row = {"code": code, "name": name, "unit_id": team_id, "role": role, "fte": fte}
        worker_id = self.writer.add(Worker, {**row, "active": True, "created_at": self.moment})
        return StaffMember(id=worker_id, code=code, name=name, role=role, fte=fte)

    def team(self, code: str, name: str, parent: int, service: str, roles: list[str]) -> Team:
        team = Team(
            id=self.org_unit(code, name, OrgKind.UNIT, parent, service),
            code=code,
            name=name,
            service=service,
        )
        for role in roles:
            fte = self._fte(role)
            member = self.worker(team.id, role, fte)
            team.staff.append(member)
            if role == WorkerRole.UNIT_LEADER:
                team.leader = member
            if role in (WorkerRole.PRACTITIONER, WorkerRole.SENIOR_PRACTITIONER):
                team.caseholders.append(member)
        return team

    def _fte(self, role: str) -> Decimal:
        if role == WorkerRole.BUSINESS_SUPPORT:
            return HALF
        if role in (WorkerRole.UNIT_LEADER, WorkerRole.MANAGER):
            return FULL
        return self.fake.random_element(PART_TIME)


EHU_ROLES = [
    WorkerRole.UNIT_LEADER,
    WorkerRole.SENIOR_PRACTITIONER,
    WorkerRole.PRACTITIONER,
    WorkerRole.PRACTITIONER,
    WorkerRole.PRACTITIONER,
    WorkerRole.BUSINESS_SUPPORT,
]
HUB_ROLES = [WorkerRole.UNIT_LEADER, WorkerRole.PRACTITIONER, WorkerRole.PRACTITIONER]
CENTRE_ROLES = [WorkerRole.UNIT_LEADER, WorkerRole.PRACTITIONER, WorkerRole.PRACTITIONER]
TRIAGE_ROLES = [
    WorkerRole.UNIT_LEADER,
    *[WorkerRole.TRIAGE_OFFICER] * 10,
    WorkerRole.BUSINESS_SUPPORT,
]
YOUTH_JUSTICE_ROLES = [
    WorkerRole.UNIT_LEADER,
    WorkerRole.SENIOR_PRACTITIONER,
    *[WorkerRole.PRACTITIONER] * 8,
    WorkerRole.BUSINESS_SUPPORT,
]


def build_county(*, writer: BulkWriter, fake: Faker, moment: datetime) -> County:
    """Write the organisation tree and its workers; return the index of it."""
    b = _Builder(writer, fake, moment)
    county_id = b.org_unit(COUNTY_CODE, COUNTY_NAME, OrgKind.COUNTY, None)
    area_ids = {code: b.org_unit(code, name, OrgKind.AREA, county_id) for code, name in AREAS}
    triage = b.team("TRIAGE", "Early Help Triage", county_id, Service.TRIAGE, TRIAGE_ROLES)
    youth_justice = b.team(
        "YJ", "Kent Youth Justice", county_id, Service.YOUTH_JUSTICE, YOUTH_JUSTICE_ROLES
    )
    districts = [_district(b, i, spec, area_ids[spec.area]) for i, spec in enumerate(DISTRICTS)]
    county = County(county_id, area_ids, districts, triage, youth_justice)
    for area_code, _name in AREAS:
        home = next(d for d in districts if d.spec.area == area_code).early_help_units[0]
        county.area_managers[area_code] = b.worker(home.id, WorkerRole.MANAGER, FULL)
    writer.flush()
    return county


def _district(b: _Builder, index: int, spec: DistrictSpec, area_id: int) -> District:
    district_id = b.org_unit(spec.code, spec.name, OrgKind.DISTRICT, area_id)
    district = District(index=index, id=district_id, spec=spec, area_id=area_id)
    for n in range(1, spec.units + 1):
        town = spec.towns[(n - 1) % len(spec.towns)]
        suffix = f" {(n - 1) // len(spec.towns) + 1}" if n > len(spec.towns) else ""
        district.early_help_units.append(
            b.team(
                f"EHU-{spec.code}-{n}",
                f"{town} Early Help Unit{suffix}",
                district_id,
                Service.EARLY_HELP_UNIT,
                EHU_ROLES,
            )
        )
    district.youth_hub = b.team(
        f"YH-{spec.code}", f"{spec.youth_hub} Youth Hub", district_id, Service.YOUTH_HUB, HUB_ROLES
    )
    for n in range(1, children_centres_in(spec) + 1):
        town = spec.towns[(n - 1) % len(spec.towns)]
        district.centres.append(
            b.team(
                f"CC-{spec.code}-{n}",
                f"{town} Children's Centre",
                district_id,
                Service.CHILDRENS_CENTRE,
                CENTRE_ROLES,
            )
        )
    district.manager = b.worker(district.early_help_units[0].id, WorkerRole.MANAGER, FULL)
    district.schools = [p.format(town=t) for t in spec.towns for p in SCHOOL_PATTERNS]
    return district
