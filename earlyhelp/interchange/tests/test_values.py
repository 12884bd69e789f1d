"""Cell parsers and the export's formatting (no database)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from earlyhelp.interchange import values as v
from earlyhelp.interchange.exporter import cell


@pytest.mark.parametrize(
    ("text", "utc"),
    [
        ("2016-01-04T09:00", datetime(2016, 1, 4, 9, 0, tzinfo=UTC)),
        ("2016-07-04T09:00:30", datetime(2016, 7, 4, 8, 0, 30, tzinfo=UTC)),
        # The clocks go back at 02:00 BST: 01:30 happens twice; the first is meant.
        ("2014-10-26T01:30", datetime(2014, 10, 26, 0, 30, tzinfo=UTC)),
    ],
)
def test_date_times_are_uk_local_time(text, utc):
    assert v.local_datetime(text) == utc


@pytest.mark.parametrize(
    "text", ["2016-01-04", "2016-01-04T9:00", "2016-01-04T09:00Z", "2016-02-30T09:00", ""]
)
def test_what_is_not_a_date_time(text):
    with pytest.raises(v.CellError, match="is not a date-time"):
        v.local_datetime(text)


@pytest.mark.parametrize("text", ["20160104", "2016-1-4", "2016-02-30", "04/01/2016"])
def test_what_is_not_a_date(text):
    with pytest.raises(v.CellError, match="is not a date"):
        v.iso_date(text)


def test_decimals_fit_their_column():
    parse = v.decimal(max_digits=4, places=2)
    assert parse("0.50") == Decimal("0.5")
    assert parse("10.00") == Decimal("10")
    for text, message in [("1e3", "is not a number"), ("100", "is too large"), (".5", "is not")]:
        with pytest.raises(v.CellError, match=message):
            parse(text)


def test_postcodes_are_stored_in_one_form():
    assert v.postcode("me141xq") == "ME14 1XQ"


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, ""),
        (Decimal("0.50"), "0.5"),
        (Decimal("1.00"), "1"),
        (Decimal("560.0000"), "560"),
        (Decimal("1350.0000"), "1350"),
        (Decimal("0.0000"), "0"),
        (date(2016, 3, 1), "2016-03-01"),
        (datetime(2016, 7, 4, 8, 0, tzinfo=UTC), "2016-07-04T09:00"),
        (datetime(2016, 7, 4, 8, 0, 30, tzinfo=UTC), "2016-07-04T09:00:30"),
        (3, "3"),
    ],
)
def test_export_cells(value, text):
    assert cell(value) == text
