"""The same seed gives the same county; another seed gives another."""

from __future__ import annotations

import pytest
from django.db import transaction

from earlyhelp.demo.digest import county_digest
from earlyhelp.demo.loader import load_demo
from earlyhelp.people.models import Family

pytestmark = pytest.mark.django_db

FAMILIES = 300


def digest_of(seed: int) -> dict[str, str]:
    """Load a small county, fingerprint it, and roll it back."""
    with transaction.atomic():
        load_demo(families=FAMILIES, seed=seed)
        assert Family.objects.count() == FAMILIES
        digest = county_digest()
        transaction.set_rollback(True)
    return digest


def test_same_seed_same_county_and_another_seed_another() -> None:
    first, again, other = digest_of(7), digest_of(7), digest_of(8)
    assert first == again
    changed = {table for table in first if first[table] != other[table]}
    assert {"people.Person", "frontdoor.Notification", "casework.Case"} <= changed
