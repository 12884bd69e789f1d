"""The worked example of spec/example, imported once per test module and rolled back after."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

EXAMPLE = Path(__file__).resolve().parents[4] / "shared" / "spec" / "example"
TODAY = "2016-06-30"  # the last day of the example's data

Key = tuple[str, str, str, str, str]


@pytest.fixture(scope="module")
def example(django_db_setup: None, django_db_blocker: Any) -> Iterator[Path]:
    """`earlyhelp import` of the example dataset, with the clock at the end of its data,
    and its snapshots computed (`earlyhelp scorecard --recompute`)."""
    if not EXAMPLE.is_dir():
        pytest.skip("spec/example is not available")
    with (
        override_settings(EARLYHELP_TODAY=TODAY),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        call_command("import", str(EXAMPLE / "dataset"), stdout=io.StringIO(),
                     stderr=io.StringIO())  # fmt: skip
        call_command("scorecard", "--recompute", stdout=io.StringIO())
        yield EXAMPLE
        transaction.set_rollback(True)


def scorecard(*args: str) -> str:
    out = io.StringIO()
    call_command("scorecard", *args, stdout=out, stderr=io.StringIO())
    return out.getvalue()


def parse(text: str) -> dict[Key, tuple[object, ...]]:
    """Scorecard CSV rows keyed by indicator, level, org unit, period and window."""

    def number(cell: str) -> Decimal | None:
        return Decimal(cell) if cell else None

    return {
        (r["indicator_code"], r["level"], r["org_unit_code"], r["period"], r["window_months"]): (
            number(r["numerator"]), number(r["denominator"]), number(r["value"]),
            number(r["target"]), r["rag"],
        )
        for r in csv.DictReader(io.StringIO(text))
    }  # fmt: skip
