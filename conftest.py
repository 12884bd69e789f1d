"""Test settings shared by the whole suite."""

from __future__ import annotations

import os

os.environ.setdefault("EARLYHELP_ENV", "test")

import pytest  # noqa: E402


@pytest.fixture(autouse=True)
def _fresh_clock():
    """Each test starts with no cached clock date."""
    from earlyhelp.common import clock

    clock.clock_reset_cache()
    yield
    clock.clock_reset_cache()
