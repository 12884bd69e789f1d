"""`earlyhelp scorecard`: the worked example's expected scorecards, levels, windows, formats,
files and errors (the example is imported once for the module: see conftest)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from earlyhelp.performance.models import FillState, IndicatorValue
from earlyhelp.performance.tests.conftest import parse, scorecard

pytestmark = pytest.mark.django_db


def _compare(expected_text: str, got_text: str) -> tuple[list, list, list]:
    want, got = parse(expected_text), parse(got_text)
    missing = sorted(set(want) - set(got))
    extra = sorted(set(got) - set(want))
    wrong = sorted(
        (key, want[key], got[key]) for key in set(want) & set(got) if want[key] != got[key]
    )
    return missing, extra, wrong


@pytest.mark.parametrize(
    ("name", "month", "window"),
    [("scorecard-2016-03-w12.csv", "2016-03", "12"), ("scorecard-2015-12-w1.csv", "2015-12", "1")],
)
def test_every_row_of_the_expected_scorecard_and_no_other(
    example: Path, name: str, month: str, window: str
) -> None:
    got = scorecard("--month", month, "--window", window, "--format", "csv")
    expected = (example / name).read_text(encoding="utf-8")
    assert _compare(expected, got) == ([], [], [])
    assert len(got.splitlines()) == len(expected.splitlines())  # no row twice


def test_the_csv_is_written_exactly_as_the_expected_file(example: Path) -> None:
    """Not only equal as numbers: the same text in every cell (0.0, 20.00, 18.7, 6, 560)."""
    got = scorecard("--month", "2016-03", "--window", "12")
    expected = (example / "scorecard-2016-03-w12.csv").read_text(encoding="utf-8")
    assert sorted(got.splitlines()) == sorted(expected.splitlines())


def test_a_fresh_database_fills_every_month_from_the_first_with_data(example: Path) -> None:
    IndicatorValue.objects.all().delete()
    FillState.objects.all().delete()
    got = scorecard("--month", "2016-03")
    expected = (example / "scorecard-2016-03-w12.csv").read_text(encoding="utf-8")
    assert sorted(got.splitlines()) == sorted(expected.splitlines())
    state = FillState.objects.get()
    assert (state.state, state.first_period, state.last_period) == ("DONE", "2014-04", "2016-06")
    assert IndicatorValue.objects.filter(period="2014-04").exists()
    assert not IndicatorValue.objects.filter(period="2016-07").exists()


def test_one_level_only(example: Path) -> None:
    rows = parse(scorecard("--month", "2016-03", "--level", "DISTRICT"))
    assert {key[1] for key in rows} == {"DISTRICT"}
    # 12 computed indicators × 4 districts, and the two imported district values
    assert len(rows) == 12 * 4 + 2


def test_another_window_is_computed_on_the_spot_and_not_stored(example: Path) -> None:
    rows = parse(scorecard("--month", "2016-03", "--window", "3"))
    assert {key[4] for key in rows if key[0] == "EH01"} == {"3"}
    assert {key[4] for key in rows if key[0] in {"EH08", "EH10", "NEET01"}} == {""}
    assert len(rows) == len(parse(scorecard("--month", "2016-03")))
    assert not IndicatorValue.objects.filter(window_months=3).exists()
    # a three-month window holds fewer closures than twelve months
    assert rows[("EH12", "COUNTY", "KC", "2016-03", "3")][0] < 351


def test_the_csv_can_go_to_a_file(example: Path, tmp_path: Path) -> None:
    path = tmp_path / "card.csv"
    assert scorecard("--month", "2015-12", "--window", "1", "--output", str(path)) == ""
    assert path.read_text(encoding="utf-8").startswith(
        "indicator_code,level,org_unit_code,period,window_months,numerator,denominator,value,"
        "target,rag\n"
    )


def test_the_workbook_has_a_sheet_per_level_rag_colours_and_definitions(
    example: Path, tmp_path: Path
) -> None:
    path = tmp_path / "card.xlsx"
    scorecard("--month", "2016-03", "--format", "xlsx", "--output", str(path))
    book = load_workbook(path)
    assert book.sheetnames == [
        "About",
        "County",
        "Area",
        "District",
        "Unit",
        "Worker",
        "Definitions",
    ]
    about = {row[0]: row[1] for row in book["About"].iter_rows(values_only=True)}
    assert (about["Period"], about["Data as at"], about["As-of date"]) == (
        "2016-03", "2016-06-30", "2016-03-31",
    )  # fmt: skip
    county = book["County"]
    assert county.freeze_panes == "A2"
    header = [cell.value for cell in county[1]]
    assert header[5:10] == ["Numerator", "Denominator", "Value", "Target", "RAG"]
    eh01 = next(row for row in county.iter_rows(min_row=2) if row[0].value == "EH01")
    assert [c.value for c in eh01[5:10]] == [54, 351, 15.4, 6, "RED"]
    assert eh01[9].fill.fgColor.rgb.endswith("D4351C")
    assert eh01[7].number_format == "0.0"
    codes = [row[0] for row in book["Definitions"].iter_rows(min_row=2, values_only=True)]
    assert codes[:3] == ["EH01", "EH02", "EH03"]
    assert "EX04" in codes


def test_recompute_reports_what_it_did(example: Path) -> None:
    out = io.StringIO()
    call_command("scorecard", "--recompute", stdout=out)
    assert out.getvalue().startswith("Recomputed 27 months (2014-04 … 2016-06): ")


def test_recompute_one_month_replaces_that_month_only(example: Path) -> None:
    before = IndicatorValue.objects.count()
    march = set(IndicatorValue.objects.filter(period="2016-03").values_list("id", flat=True))
    other = set(IndicatorValue.objects.filter(period="2016-02").values_list("id", flat=True))
    out = io.StringIO()
    call_command("scorecard", "--recompute", "--month", "2016-03", stdout=out)
    assert "Recomputed 1 months (2016-03 … 2016-03)" in out.getvalue()
    assert IndicatorValue.objects.count() == before
    assert not march & set(
        IndicatorValue.objects.filter(period="2016-03").values_list("id", flat=True)
    )
    assert other == set(
        IndicatorValue.objects.filter(period="2016-02").values_list("id", flat=True)
    )


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "Give --month"),
        (("--month", "2016-13"), "not a month"),
        (("--month", "2016-07"), "after the current month"),
        (("--month", "2016-03", "--window", "0"), "not a window"),
        (("--month", "2016-03", "--level", "TEAM"), "invalid choice"),
    ],
)
def test_bad_arguments_are_named(example: Path, args: tuple[str, ...], message: str) -> None:
    with pytest.raises(CommandError, match=message):
        call_command("scorecard", *args, stdout=io.StringIO())
