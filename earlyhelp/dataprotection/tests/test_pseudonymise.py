"""The analysts' extract: stable keyed pseudonyms, age bands, no names or addresses."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pytest
from django.core.management import call_command
from hypothesis import given
from hypothesis import strategies as st

from earlyhelp.audit.models import AccessAction, AccessLog
from earlyhelp.dataprotection.pseudonymise import age_band, age_in_years, pseudonym

pytestmark = pytest.mark.django_db

EXPECTED_BANDS = [(0, "0-4"), (5, "5-10"), (11, "11-15"), (16, "16-17"), (18, "18-24"), (25, "25+")]


@given(
    born=st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2030, 1, 1)),
    on=st.dates(min_value=dt.date(1930, 1, 1), max_value=dt.date(2030, 1, 1)),
)
def test_ages_fall_in_their_band(born, on) -> None:
    band = age_band(born, on)
    if born > on:
        assert band == "unknown"
        return
    years = age_in_years(born, on)
    assert band == [name for low, name in EXPECTED_BANDS if years >= low][-1]


def test_age_band_edges() -> None:
    born = dt.date(2010, 5, 13)
    assert age_band(born, dt.date(2015, 5, 12)) == "0-4"
    assert age_band(born, dt.date(2015, 5, 13)) == "5-10"
    assert age_band(born, dt.date(2028, 5, 13)) == "18-24"
    assert age_band(None, dt.date(2015, 5, 13)) == "unknown"


@given(pk=st.integers(1, 10**12))
def test_pseudonyms_are_stable_keyed_and_distinct_by_kind(pk) -> None:
    assert pseudonym("person", pk, b"k") == pseudonym("person", pk, b"k")
    assert pseudonym("person", pk, b"k") != pseudonym("person", pk, b"other key")
    assert pseudonym("person", pk, b"k") != pseudonym("family", pk, b"k")


def test_the_extract_has_no_names_addresses_or_identifiers(household, tmp_path, settings) -> None:
    settings.PSEUDONYM_KEY = "test key"
    out = io.StringIO()
    call_command("export-pseudonymised", str(tmp_path), stdout=out)
    files = {p.stem: p.read_text() for p in tmp_path.glob("*.csv")}
    assert set(files) == {"families", "people", "notifications", "cases", "reviews"}
    everything = "".join(files.values())
    for text in ("Amy", "Jane", "Smith", "High Street", "Maidstone", "ME14", "9434765919",
                 "H801200001001", "teacher", household.child.person_ref, "2008-05-13"):  # fmt: skip
        assert text not in everything
    people = list(csv.DictReader(io.StringIO(files["people"])))
    child = pseudonym("person", household.child.pk, b"test key")
    assert {r["person"]: r["age_band"] for r in people}[child] == "5-10"
    notification = next(csv.DictReader(io.StringIO(files["notifications"])))
    assert notification["person"] == child
    assert notification["age_band_when_received"] == "5-10"
    assert next(csv.DictReader(io.StringIO(files["families"])))["lsoa_code"] == "E01024444"
    case = next(csv.DictReader(io.StringIO(files["cases"])))
    assert (case["opened_on"], case["closed_on"], case["reviews"]) == (
        "2016-01-05",
        "2016-05-01",
        "1",
    )
    assert AccessLog.objects.filter(action=AccessAction.EXPORT).count() == 1
    again = tmp_path / "again"
    call_command("export-pseudonymised", str(again), stdout=io.StringIO())
    assert (again / "people.csv").read_text() == files["people"]
