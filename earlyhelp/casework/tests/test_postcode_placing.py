"""Placing a postcode in a district: the exact postcode first, else its outward code."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from earlyhelp.people.selectors import (
    district_for_postcode,
    forget_postcode_districts,
    postcode_placeable,
)
from earlyhelp.testing import factories as f


@pytest.fixture(autouse=True)
def fresh_map():
    forget_postcode_districts()
    yield
    forget_postcode_districts()


def test_a_known_outward_code_places_a_new_postcode_without_a_query_once_the_map_is_kept(db):
    district = f.district("DN1")
    f.FamilyFactory(district=district, postcode="ME14 2AB")
    assert district_for_postcode("ME14 9ZZ") == district.pk  # loads the kept map
    with CaptureQueriesContext(connection) as queries:
        assert postcode_placeable("ME14 9ZZ")
    assert len(queries) == 0


def test_a_family_added_since_the_map_was_kept_is_found_by_its_exact_postcode(db):
    district = f.district("DN1")
    f.FamilyFactory(district=district, postcode="ME14 2AB")
    assert not postcode_placeable("TN1 1AA")  # the map is kept now, without TN1
    f.FamilyFactory(district=district, postcode="TN1 1AA")
    assert postcode_placeable("TN1 1AA")
    assert district_for_postcode("TN1 1AA") == district.pk


def test_an_outward_code_no_family_has_is_not_placeable(db):
    f.FamilyFactory(district=f.district("DN1"), postcode="ME14 2AB")
    assert not postcode_placeable("CT9 1AA")
    assert district_for_postcode("CT9 1AA") is None
