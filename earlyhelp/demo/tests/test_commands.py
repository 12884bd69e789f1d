"""`earlyhelp demo` and `earlyhelp demo_users`."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from earlyhelp.demo.users import DEMO_PASSWORD
from earlyhelp.domain.codes import UserRole
from earlyhelp.people.models import Family

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = StringIO()
    call_command(*args, stdout=out, verbosity=0)
    return out.getvalue()


def test_demo_loads_prints_calibration_and_keeps_an_existing_county() -> None:
    output = run("demo", "--families", "40", "--seed", "3")
    assert "Loaded 40 families (seed 3)" in output
    assert "Calibration, 2014-15" in output
    assert "EH03" in output
    assert "The demo partner sent 4 notifications through the portal" in output
    assert "already has data" in run("demo", "--families", "40", "--if-empty")
    assert Family.objects.count() == 40 + 4  # the county, and the portal's four
    with pytest.raises(CommandError, match="--if-empty"):
        run("demo", "--families", "40")


def test_demo_users_prints_every_account() -> None:
    assert "No demo accounts" in run("demo_users")
    run("demo", "--families", "5")
    table = run("demo_users")
    for role in UserRole:
        assert role.value in table
    assert DEMO_PASSWORD in table
    assert "admin" in table


def test_families_must_be_positive() -> None:
    with pytest.raises(CommandError, match="at least 1"):
        run("demo", "--families", "0")
