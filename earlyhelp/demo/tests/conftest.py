"""A demo county built once for the module that asks for it, and wiped afterwards."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from django.core.management.color import no_style
from django.db import connection, transaction

from earlyhelp.audit.models import ChangeRecord
from earlyhelp.common import clock
from earlyhelp.common.models import Setting
from earlyhelp.demo.digest import GENERATED
from earlyhelp.demo.loader import DEFAULT_SEED, load_demo
from earlyhelp.organisation.models import User

# Large enough for honest calibration checks on 2014-15 (hundreds of closures), small
# enough to build in a few seconds.
CALIBRATION_FAMILIES = 3000


def wipe_demo() -> None:
    """Empty the tables the demo writes (the test database is shared by later modules)."""
    models = [*GENERATED, User, ChangeRecord, Setting]
    tables = [m._meta.db_table for m in models]
    statements = connection.ops.sql_flush(
        no_style(), tables, reset_sequences=True, allow_cascade=True
    )
    with transaction.atomic(), connection.cursor() as cursor:  # foreign keys checked at the end
        for sql in statements:
            cursor.execute(sql)
    clock.clock_reset_cache()


@pytest.fixture(scope="module")
def demo_county(django_db_setup: None, django_db_blocker: pytest.FixtureRequest) -> Iterator[int]:
    """The default-seeded county of CALIBRATION_FAMILIES families (committed for the module)."""
    with django_db_blocker.unblock():  # type: ignore[attr-defined]
        wipe_demo()
        load_demo(families=CALIBRATION_FAMILIES, seed=DEFAULT_SEED)
        try:
            yield CALIBRATION_FAMILIES
        finally:
            wipe_demo()
