"""The bench's scale-up copies a county N times and leaves the tables as it found them:
every index and unique constraint back, the id sequences past the copies, the counts and
the indicators' counts multiplied."""

from __future__ import annotations

import pytest
from django.db import connection, transaction

from earlyhelp.casework.models import Case, Review
from earlyhelp.demo.loader import load_demo
from earlyhelp.demo.scale import COPIED, scale_county
from earlyhelp.frontdoor.models import Notification
from earlyhelp.people.models import Family, Person
from earlyhelp.performance.columnar import count_records_columnar

pytestmark = pytest.mark.django_db

FAMILIES = 120
TIMES = 3


def _constraints() -> dict[str, dict[str, object]]:
    """Each copied table's indexes and constraints, as the database describes them."""
    with connection.cursor() as cursor:
        return {
            model._meta.db_table: connection.introspection.get_constraints(
                cursor, model._meta.db_table
            )
            for model in COPIED
        }


def test_a_county_copied_three_times_is_three_times_the_county() -> None:
    with transaction.atomic():
        load_demo(families=FAMILIES, seed=3)
        before = {model: model.objects.count() for model in COPIED}
        constraints = _constraints()
        counted = count_records_columnar()
        scale_county(TIMES)
        assert {model: model.objects.count() for model in COPIED} == {
            model: n * TIMES for model, n in before.items()
        }
        assert _constraints() == constraints
        scaled = count_records_columnar()
        for code, (num, den) in counted.tallies.items():
            assert scaled.tallies[code][0] == {k: v * TIMES for k, v in num.items()}, code
            assert scaled.tallies[code][1] == {k: v * TIMES for k, v in den.items()}, code
        # The copies' references are their own; new rows get ids past the copies.
        assert Family.objects.filter(family_ref__endswith=f"-x{TIMES - 1}").count() == FAMILIES
        assert Notification.objects.filter(notification_ref__endswith="-x1").exists()
        if connection.vendor == "postgresql":
            for model in (Family, Person, Case, Review):
                table = model._meta.db_table
                highest = max(model.objects.values_list("pk", flat=True))
                with connection.cursor() as cursor:
                    cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id'))", [table])
                    assert cursor.fetchone()[0] > highest
        transaction.set_rollback(True)
