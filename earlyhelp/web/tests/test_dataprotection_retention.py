"""Retention leaves the indicators alone: recomputed after anonymisation, they are the same.

(Here, above both the data protection and the performance apps.)
"""

from __future__ import annotations

import pytest

from earlyhelp.audit.services import SYSTEM
from earlyhelp.dataprotection.retention import retention_apply
from earlyhelp.dataprotection.tests.fixtures import example  # noqa: F401 - the fixture
from earlyhelp.people.models import Person
from earlyhelp.performance.models import IndicatorValue
from earlyhelp.performance.services import indicator_values_recompute

pytestmark = pytest.mark.django_db


def _values() -> dict[tuple, tuple]:
    return {
        (v.indicator_code, v.level, v.org_code, v.period, v.window_months): (
            v.numerator,
            v.denominator,
            v.value,
            v.rag,
        )
        for v in IndicatorValue.objects.all()
    }


def test_indicators_recomputed_after_anonymisation_are_the_same(example, settings) -> None:  # noqa: F811
    settings.EARLYHELP_RETENTION_YEARS_AFTER_CLOSURE = "1"
    settings.EARLYHELP_RETENTION_AGE_OF_YOUNGEST = ""
    before = _values()
    assert before
    done = [r for _d, r in retention_apply(actor=SYSTEM) if r is not None]
    assert done, "the example has families whose last case closed over a year ago"
    assert _values() == before  # the snapshots are not touched
    indicator_values_recompute()
    assert _values() == before  # and computing them again from the data gives the same
    assert Person.objects.filter(given_name="Anonymised").exists()
