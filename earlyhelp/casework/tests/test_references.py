"""New references: prefix and number, never one already taken, also on PostgreSQL's path."""

from __future__ import annotations

import re
import threading

import pytest
from django.db import connection

from earlyhelp.common.references import next_reference
from earlyhelp.frontdoor.models import Notification
from earlyhelp.testing import factories as f
from earlyhelp.testing.concurrency import at_once


@pytest.mark.django_db
def test_a_reference_is_the_prefix_and_seven_digits():
    assert re.fullmatch(
        r"N\d{7}", next_reference(Notification, field="notification_ref", prefix="N")
    )


@pytest.mark.django_db
def test_references_written_without_it_are_skipped():
    """The demo and imports write references directly: a new one goes past them."""
    for number in range(1, 4):
        f.NotificationFactory(notification_ref=f"N{number:07d}")
    f.NotificationFactory(notification_ref="N0009000")
    made = next_reference(Notification, field="notification_ref", prefix="N")
    assert not Notification.objects.filter(notification_ref=made).exists()
    assert int(made[1:]) > 3


@pytest.mark.django_db
def test_imported_references_without_a_number_do_not_stop_it():
    f.NotificationFactory(notification_ref="NORTH-17/A")
    made = next_reference(Notification, field="notification_ref", prefix="N")
    assert re.fullmatch(r"N\d{7}", made)


@pytest.mark.django_db(transaction=True)
def test_concurrent_transactions_get_different_references():
    if connection.vendor != "postgresql":
        pytest.skip("one writer at a time on SQLite")
    f.NotificationFactory(notification_ref="N0000500")
    made: list[str] = []
    start = threading.Barrier(6)

    def take() -> None:
        from django.db import transaction

        with transaction.atomic():
            start.wait()
            made.append(next_reference(Notification, field="notification_ref", prefix="N"))

    at_once(take, 6)
    assert len(made) == 6
    assert len(set(made)) == 6
    assert "N0000500" not in made
