"""Journey 4: the monthly scorecard, its downloads and the outcome tracker.

Read from the snapshots of the worked example (spec/example, clock at 30 June 2016), whose
expected scorecard rows are known to the last digit.
"""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from earlyhelp.domain.codes import UserRole
from earlyhelp.domain.indicators.arithmetic import Polarity
from earlyhelp.domain.indicators.definitions import INDICATORS, Level
from earlyhelp.organisation.models import OrgUnit, User, Worker
from earlyhelp.performance.models import FillState, IndicatorValue
from earlyhelp.performance.selectors import Travel, travel
from earlyhelp.performance.tests.conftest import example, parse  # noqa: F401
from earlyhelp.testing import factories as f
from earlyhelp.web.views.performance_charts import line_chart, nice_ticks, sparkline

pytestmark = pytest.mark.django_db

MARCH = {"month": "2016-03", "window": "12"}


def make_accounts() -> dict[str, User]:
    """One account of each role, placed in the example's organisation."""
    org = {o.code: o for o in OrgUnit.objects.filter(code__in=["KC", "DN1", "EHU-N1a"])}
    workers = {w.code: w for w in Worker.objects.filter(code__in=["W001", "W003"])}

    def account(name: str, role: str, place: str | None, worker: str | None = None) -> User:
        return f.UserFactory(
            username=name,
            role=role,
            org_unit=org[place] if place else None,
            worker=workers[worker] if worker else None,
        )

    return {
        "analyst": account("analyst", UserRole.ANALYST, "KC"),
        "admin": account("admin", UserRole.ADMINISTRATOR, "KC"),
        "manager": account("manager", UserRole.MANAGER, "DN1"),
        "leader": account("leader", UserRole.UNIT_LEADER, "EHU-N1a", "W001"),
        "practitioner": account("practitioner", UserRole.PRACTITIONER, "EHU-N1a", "W003"),
        "triage": account("triage", UserRole.TRIAGE_OFFICER, "KC"),
        "auditor": account("auditor", UserRole.QA_AUDITOR, "KC"),
        "partner": account("partner", UserRole.PARTNER, None),
    }


@pytest.fixture
def accounts(example: Path) -> dict[str, User]:  # noqa: F811
    return make_accounts()


def page(client, user: User, name: str, *args: str, **query: str):
    client.force_login(user)
    return client.get(reverse(name, args=args), query)


def row_of(html: str, code: str) -> str:
    """The table row of one indicator (its header links `CODE name`)."""
    for row in re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", html, flags=re.S):
        if re.search(rf">{code} <span", row):
            return row
    raise AssertionError(f"no row for {code}")


def snapshot(code: str, org: str, period: str, window: int | None = 12) -> IndicatorValue:
    return IndicatorValue.objects.get(
        indicator_code=code, org_code=org, period=period, window_months=window
    )


# --- the scorecard ---------------------------------------------------------------------------


def test_scorecard_shows_each_county_figure_from_the_snapshots(client, accounts):
    response = page(client, accounts["analyst"], "scorecard", **MARCH)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Test County, March 2016" in html
    for item in INDICATORS.values():  # every indicator has values at COUNTY level
        assert f">{item.code} <span" in html
    eh05 = row_of(html, "EH05")
    assert "62.1%" in eh05
    assert "218 / 351" in eh05
    assert "78%" in eh05
    assert '<strong class="govuk-tag govuk-tag--red">Red</strong>' in eh05
    assert "69%" in eh05  # the 2015 baseline
    assert "Green</strong>" in row_of(html, "EH03")  # 68.2, lower is better, target 75
    assert '<strong class="govuk-tag govuk-tag--yellow">Amber</strong>' in row_of(html, "YJ01")
    assert "22.57" in row_of(html, "EH10")
    assert "422 / 18.7" in row_of(html, "EH10")


def test_scorecard_shows_the_direction_of_travel_by_polarity(client, accounts):
    html = page(client, accounts["analyst"], "scorecard", **MARCH).content.decode()
    for code in ("EH01", "EH05", "EH09", "EH11"):
        now = snapshot(code, "KC", "2016-03").value
        before = snapshot(code, "KC", "2016-02").value
        expected = travel(INDICATORS[code].polarity, now, before)
        assert expected is not None
        row = row_of(html, code)
        assert f"</span> {expected.value}<span" in row
        assert 'class="govuk-visually-hidden"> from ' in row
        assert "in February 2016" in row


def test_direction_of_travel_is_judged_by_polarity():
    one, two = Decimal("1"), Decimal("2")
    assert travel(Polarity.HIGHER, two, one) is Travel.IMPROVING
    assert travel(Polarity.HIGHER, one, two) is Travel.WORSENING
    assert travel(Polarity.LOWER, two, one) is Travel.WORSENING
    assert travel(Polarity.LOWER, one, two) is Travel.IMPROVING
    assert travel(Polarity.NONE, two, one) is Travel.UP
    assert travel(Polarity.NONE, one, two) is Travel.DOWN
    assert travel(Polarity.HIGHER, one, one) is Travel.SAME
    assert travel(Polarity.HIGHER, one, None) is None


def test_scorecard_has_a_sparkline_and_the_trend_as_a_table(client, accounts):
    html = page(client, accounts["analyst"], "scorecard", **MARCH).content.decode()
    eh05 = row_of(html, "EH05")
    assert 'role="img" aria-label="EH05 trend, April 2015 to March 2016: from ' in eh05
    assert "Show the last 12 months as a table" in html
    months = re.search(r"<thead.*?</thead>", html.split("Show the last 12 months")[1], re.S)
    assert months is not None
    assert "Apr 2015" in months.group(0)
    assert "Mar 2016" in months.group(0)


def test_the_default_month_is_the_last_complete_month_held(client, accounts):
    html = page(client, accounts["analyst"], "scorecard").content.decode()
    assert "Test County, May 2016" in html
    assert '<option value="2016-05" selected>May 2016</option>' in html
    assert "provisional" not in html


def test_the_month_alone(client, accounts):
    html = page(
        client, accounts["analyst"], "scorecard", month="2015-12", window="1"
    ).content.decode()
    assert "57.1%" in row_of(html, "EH05")
    assert "16 / 28" in row_of(html, "EH05")


def test_a_month_not_computed_says_how_to_compute_it(client, accounts):
    html = page(client, accounts["analyst"], "scorecard", month="2017-01").content.decode()
    assert "No figures for January 2017 have been computed" in html
    assert "earlyhelp scorecard --recompute" in html
    assert "2014-04 to 2016-06" in html
    assert "govuk-table" not in html


def test_no_snapshots_at_all_says_how_to_compute_them(client, accounts):
    IndicatorValue.objects.all().delete()
    FillState.objects.all().delete()
    html = page(client, accounts["analyst"], "scorecard").content.decode()
    assert "No figures for May 2016 have been computed" in html
    assert "earlyhelp scorecard --recompute" in html


def test_a_month_that_is_not_a_month_is_an_error_on_the_field(client, accounts):
    html = page(client, accounts["analyst"], "scorecard", month="2016-13").content.decode()
    assert "There is a problem" in html
    assert "Enter the month as a year and month, like 2018-03" in html
    html = page(client, accounts["analyst"], "scorecard", window="7").content.decode()
    assert "Choose a window of 12 months or the month alone" in html


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("analyst", 200), ("admin", 200), ("manager", 200), ("leader", 200),
        ("practitioner", 403), ("triage", 403), ("auditor", 403), ("partner", 403),
    ],
)  # fmt: skip
def test_who_sees_the_scorecard(client, accounts, role, status):
    assert page(client, accounts[role], "scorecard", **MARCH).status_code == status
    for name in ("scorecard-csv", "scorecard-xlsx"):
        assert page(client, accounts[role], name, **MARCH).status_code == status


def test_a_manager_sees_their_district_and_below(client, accounts):
    manager = accounts["manager"]
    html = page(client, manager, "scorecard", **MARCH).content.decode()
    assert "District DN1, March 2016" in html
    assert "60.6%" in row_of(html, "EH05")
    assert page(client, manager, "scorecard", org="EHU-N1a", **MARCH).status_code == 200
    assert page(client, manager, "scorecard", org="KC", **MARCH).status_code == 404
    assert page(client, manager, "scorecard", org="DS1", **MARCH).status_code == 404


def test_a_unit_shows_the_case_indicators_only(client, accounts):
    html = page(client, accounts["leader"], "scorecard", **MARCH).content.decode()
    assert "Unit EHU-N1a, March 2016" in html
    assert "63.5%" in row_of(html, "EH05")
    assert ">EH07 <span" not in html
    assert ">NEET01 <span" not in html


# --- downloads -------------------------------------------------------------------------------


def test_the_csv_is_the_scorecard_of_the_spec(client, accounts, example):  # noqa: F811
    response = page(client, accounts["analyst"], "scorecard-csv", **MARCH)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="scorecard-2016-03-w12.csv"'
    expected = parse((example / "scorecard-2016-03-w12.csv").read_text())
    assert parse(response.content.decode()) == expected


def test_a_managers_csv_holds_their_district_and_below(client, accounts):
    rows = parse(page(client, accounts["manager"], "scorecard-csv", **MARCH).content.decode())
    places = {(level, org) for _, level, org, _, _ in rows}
    assert ("DISTRICT", "DN1") in places
    assert ("UNIT", "EHU-N1a") in places
    assert ("WORKER", "W001") in places
    assert not {level for level, _ in places} & {"COUNTY", "AREA"}
    assert ("DISTRICT", "DN2") not in places
    assert ("WORKER", "W011") not in places
    assert rows[("EH05", "DISTRICT", "DN1", "2016-03", "12")][:3] == (60, 99, Decimal("60.6"))


def test_the_workbook_downloads(client, accounts):
    response = page(client, accounts["analyst"], "scorecard-xlsx", **MARCH)
    assert response.status_code == 200
    assert 'filename="scorecard-2016-03-w12.xlsx"' in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames[0] == "About"
    assert "Definitions" in book.sheetnames


def test_a_download_of_a_month_not_computed_goes_to_the_page_that_says_so(client, accounts):
    for name in ("scorecard-csv", "scorecard-xlsx"):
        response = page(client, accounts["analyst"], name, month="2017-01", window="12")
        assert response.status_code == 302
        assert response["Location"] == f"{reverse('scorecard')}?month=2017-01&window=12"


# --- the outcome tracker ---------------------------------------------------------------------


def test_the_tracker_starts_at_the_users_place(client, accounts):
    expected = {
        "analyst": "/tracker/county/KC/",
        "manager": "/tracker/district/DN1/",
        "leader": "/tracker/unit/EHU-N1a/",
        "practitioner": "/tracker/worker/W003/",
    }
    for role, url in expected.items():
        response = page(client, accounts[role], "tracker-start")
        assert response.status_code == 302
        assert response["Location"] == url
    for role in ("triage", "auditor", "partner"):
        assert page(client, accounts[role], "tracker-start").status_code == 403


def children_table(html: str) -> str:
    return html.split('id="below"', 1)[1]


def test_the_tracker_drills_down_county_area_district_unit_practitioner(client, accounts):
    analyst, steps = (
        accounts["analyst"],
        [
            ("county", "KC", "/tracker/area/AN/", "North Area"),
            ("area", "AN", "/tracker/district/DN1/", "District DN1"),
            ("district", "DN1", "/tracker/unit/EHU-N1a/", "Unit EHU-N1a"),
            ("unit", "EHU-N1a", "/tracker/worker/W003/", "Worker 3"),
        ],
    )
    for level, code, child_url, child_name in steps:
        html = page(client, analyst, "outcome-tracker", level, code, **MARCH).content.decode()
        below = children_table(html)
        assert f'href="{child_url}?month=2016-03&amp;window=12&amp;set=casework">{child_name}' in (
            below
        )
    html = page(client, analyst, "outcome-tracker", "worker", "W001", **MARCH).content.decode()
    assert "75.0%" in row_of(html, "EH05")
    assert "9 / 12" in row_of(html, "EH05")
    assert 'id="below"' not in html
    trail = html.split('class="govuk-breadcrumbs"')[1].split("</nav>")[0]
    assert [n for n in re.findall(r">([^<>]+)</a>", trail)] == [
        "Test County", "North Area", "District DN1", "Unit EHU-N1a",
    ]  # fmt: skip


def test_the_tracker_shows_the_figures_of_each_place_below(client, accounts):
    html = page(client, accounts["analyst"], "outcome-tracker", "district", "DN1", **MARCH)
    below = children_table(html.content.decode())
    unit = re.search(r"Unit EHU-N1a</a></th>(.*?)</tr>", below, re.S)
    assert unit is not None
    assert "63.5%" in unit.group(1)
    assert "Red</strong>" in unit.group(1)
    assert "9.6%" in unit.group(1)  # EH01


def test_the_tracker_offers_the_sets_that_have_values_below(client, accounts):
    analyst = accounts["analyst"]
    html = page(client, analyst, "outcome-tracker", "county", "KC", set="front-door", **MARCH)
    below = children_table(html.content.decode())
    assert 'aria-current="page">Front door</a>' in below
    head = below.split("</thead>")[0]
    assert re.findall(r">(EH\d\d)<span", head) == ["EH02", "EH03", "EH07", "EH11"]
    north = re.search(r"North Area</a></th>(.*?)</tr>", below, re.S)
    assert north is not None
    assert "Red</strong>" in north.group(1)
    triage = re.search(r"County Triage</a></th>(.*?)</tr>", below, re.S)
    assert triage is not None
    assert "does not apply" in triage.group(1)
    html = page(client, analyst, "outcome-tracker", "district", "DN1", set="front-door", **MARCH)
    below = children_table(html.content.decode())
    assert "Front door" not in below  # no values at UNIT level: the case indicators only
    assert ">EH05<span" in below


@pytest.mark.parametrize(
    ("role", "level", "code", "status"),
    [
        ("practitioner", "worker", "W003", 200),
        ("practitioner", "worker", "W004", 404),
        ("practitioner", "unit", "EHU-N1a", 404),
        ("leader", "unit", "EHU-N1a", 200),
        ("leader", "worker", "W004", 200),
        ("leader", "worker", "W006", 404),
        ("leader", "district", "DN1", 404),
        ("manager", "district", "DN1", 200),
        ("manager", "worker", "W006", 200),
        ("manager", "area", "AN", 404),
        ("manager", "district", "DS1", 404),
        ("analyst", "district", "KC", 404),
        ("analyst", "galaxy", "KC", 404),
        ("analyst", "worker", "W999", 404),
        ("admin", "county", "KC", 200),
        ("triage", "county", "KC", 403),
        ("auditor", "county", "KC", 403),
        ("partner", "county", "KC", 403),
    ],
)
def test_who_sees_which_place(client, accounts, role, level, code, status):
    assert page(client, accounts[role], "outcome-tracker", level, code).status_code == status


def test_a_practitioner_sees_their_own_figures(client, accounts):
    html = page(
        client, accounts["practitioner"], "outcome-tracker", "worker", "W003", **MARCH
    ).content.decode()
    assert "Worker 3, March 2016" in html
    assert "66.7%" in row_of(html, "EH05")
    assert "10 / 15" in row_of(html, "EH05")
    assert "Unit EHU-N1a" not in html  # above their scope: no breadcrumb
    assert reverse("scorecard") not in html.split("<main", 1)[1]


def test_the_navigation_offers_the_pages_by_role(client, accounts):
    for role, links in {
        "analyst": ("Scorecard", "Outcome tracker"),
        "practitioner": ("Outcome tracker",),
        "triage": (),
    }.items():
        client.force_login(accounts[role])
        nav = client.get(reverse("home")).content.decode().split("Primary navigation")[1]
        nav = nav.split("</nav>")[0]
        assert ("Scorecard</a>" in nav) == ("Scorecard" in links)
        assert ("Outcome tracker</a>" in nav) == ("Outcome tracker" in links)


# --- a constant number of queries ------------------------------------------------------------


def test_pages_read_in_a_few_queries_whatever_the_rows(
    client, accounts, django_assert_max_num_queries
):
    analyst = accounts["analyst"]
    client.force_login(analyst)
    unit = OrgUnit.objects.get(code="EHU-N1a")
    urls = [
        reverse("scorecard"),
        reverse("outcome-tracker", args=["county", "KC"]),
        reverse("outcome-tracker", args=["unit", "EHU-N1a"]),
        reverse("outcome-tracker", args=["worker", "W001"]),
    ]
    for extra in (0, 30):
        f.WorkerFactory.create_batch(extra, unit=unit)
        for url in urls:
            with django_assert_max_num_queries(10):
                assert client.get(url, MARCH).status_code == 200


def test_every_level_is_a_level_of_the_tracker():
    assert {level.value.lower() for level in Level} == {
        "county", "area", "district", "unit", "worker",
    }  # fmt: skip


# --- the charts' geometry --------------------------------------------------------------------


def test_chart_ticks_are_round_numbers_from_zero():
    assert nice_ticks(0, 83) == [0, 25, 50, 75, 100]
    assert nice_ticks(0, 9030) == [0, 2500, 5000, 7500, 10000]
    assert nice_ticks(0, 0.35) == [0, 0.1, 0.2, 0.3, 0.4]


def test_a_line_breaks_where_a_month_has_no_value():
    points = [("2016-01", Decimal(1)), ("2016-02", None), ("2016-03", Decimal(2)),
              ("2016-04", Decimal(3))]  # fmt: skip
    spark = sparkline(points)
    assert spark is not None
    assert (spark.path.count("M"), spark.path.count("L")) == (2, 1)
    assert sparkline(points[:2]) is None  # one value is no trend
    chart = line_chart(points, [Decimal(2)] * 4)
    assert chart is not None
    assert chart.value_path.count("M") == 2
    assert len(chart.dots) == 3
    assert line_chart([("2016-01", None)], [None]) is None
