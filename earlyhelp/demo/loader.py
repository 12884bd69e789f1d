"""Build the whole synthetic county in one transaction: all of it, or nothing.

Families are simulated in chunks; each chunk's rows are written before the next starts,
so memory stays flat whatever `--families` is. At the end the application's clock is
set to 31 March 2018, the last day of the history.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass, field
from datetime import datetime
from datetime import time as clock_time

from django.db import transaction
from faker import Faker
from tqdm import tqdm

from earlyhelp.common.clock import LONDON, clock_set
from earlyhelp.common.sqlite_cache import sqlite_cache
from earlyhelp.demo.context import Context, Partner
from earlyhelp.demo.history import DistrictPicker, chunks, simulate_family, write_scs_closures
from earlyhelp.demo.organisation import build_county
from earlyhelp.demo.people import FamilyMaker, lsoa_weights
from earlyhelp.demo.rates import HISTORY_END, HISTORY_START
from earlyhelp.demo.timing import DaySampler
from earlyhelp.demo.users import PARTNER_SCHOOL, create_demo_users, unit_with_leader_account
from earlyhelp.demo.writer import BulkWriter
from earlyhelp.organisation.models import OrgUnit
from earlyhelp.people.models import Family

# About 20,000 notifications a year, Kent's volume (DESIGN.md): 80,000 over the history.
DEFAULT_FAMILIES = 44_000
DEFAULT_SEED = 2018
CHUNK = 500
ORGANISATION_MOMENT = datetime.combine(HISTORY_START, clock_time(8, 0), tzinfo=LONDON)
END_MOMENT = datetime.combine(HISTORY_END, clock_time(18, 0), tzinfo=LONDON)


class NotEmpty(Exception):
    """The database already holds an organisation or families."""


@dataclass(slots=True)
class DemoResult:
    families: int
    seed: int
    seconds: float
    counts: dict[str, int] = field(default_factory=dict)


def database_is_empty() -> bool:
    return not (Family.objects.exists() or OrgUnit.objects.exists())


def load_demo(
    *, families: int = DEFAULT_FAMILIES, seed: int = DEFAULT_SEED, progress: bool = False
) -> DemoResult:
    """Generate the county into an empty database."""
    if not database_is_empty():
        raise NotEmpty("The database already has an organisation or families.")
    started = time.perf_counter()
    with sqlite_cache(), transaction.atomic():
        clock_set(on=HISTORY_END)  # accounts' audit rows are dated at the end of history
        writer = BulkWriter(default_moment=END_MOMENT)
        ctx = _context(writer, seed)
        picker = DistrictPicker(ctx.county.districts)
        with tqdm(total=families, unit=" families", disable=not progress) as bar:
            for chunk in chunks(families, CHUNK):
                for number in chunk:
                    simulate_family(ctx, picker, seed, number)
                writer.flush()
                bar.update(len(chunk))
        write_scs_closures(ctx, random.Random(seed))  # nosec B311  # seeded synthetic data
        writer.finish()
        clock_set(on=HISTORY_END)
    return DemoResult(families, seed, time.perf_counter() - started, dict(writer.counts))


def _context(writer: BulkWriter, seed: int) -> Context:
    fake = Faker("en_GB")
    fake.seed_instance(seed)
    county = build_county(writer=writer, fake=fake, moment=ORGANISATION_MOMENT)
    users = create_demo_users(county, joined=END_MOMENT)
    partner = users["partner"]
    setup_rng = random.Random(seed)  # nosec B311  # seeded synthetic data
    ctx = Context(
        writer=writer,
        county=county,
        families=FamilyMaker(writer, lsoa_weights(setup_rng, county.districts)),
        days=DaySampler(),
        partner=Partner(PARTNER_SCHOOL, partner.pk, partner.username),
    )
    team = unit_with_leader_account(county)
    if team.leader is not None and team.leader.user_id is not None:
        ctx.authorisers[team.id] = team.leader
    return ctx
