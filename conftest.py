"""Test settings shared by the whole suite."""

from __future__ import annotations

import os

os.environ.setdefault("EARLYHELP_ENV", "test")

import pytest  # noqa: E402
from hypothesis import HealthCheck  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402

# No test times itself (speed is `make bench`'s): Hypothesis's 200 ms deadline per example
# and its too-slow health check would fail a property on a busy machine, not a broken rule.
hypothesis_settings.register_profile(
    "earlyhelp", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("earlyhelp")


@pytest.fixture(autouse=True)
def _fresh_clock():
    """Each test starts with no cached clock date."""
    from earlyhelp.common import clock

    clock.clock_reset_cache()
    yield
    clock.clock_reset_cache()
