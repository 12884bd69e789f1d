"""Journey 4: one indicator's page, the records behind a number, and the methodology."""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils.html import escape

from earlyhelp.audit.models import AccessLog
from earlyhelp.domain.indicators import definitions
from earlyhelp.domain.indicators.definitions import COMPUTED_CODES, INDICATORS
from earlyhelp.organisation.models import OrgUnit, User
from earlyhelp.performance import selectors
from earlyhelp.performance.models import IndicatorValue, Target
from earlyhelp.performance.tests.conftest import example  # noqa: F401
from earlyhelp.testing import factories as f
from earlyhelp.web.tests.test_performance import MARCH, make_accounts, page, snapshot

pytestmark = pytest.mark.django_db


@pytest.fixture
def accounts(example: Path) -> dict[str, User]:  # noqa: F811
    return make_accounts()


# --- one indicator ---------------------------------------------------------------------------


def test_the_indicator_page_renders_the_definition_and_targets(client, accounts):
    html = page(client, accounts["analyst"], "indicator", "EH05", **MARCH).content.decode()
    item = INDICATORS["EH05"]
    assert escape(f"EH05: {item.name}") in html
    assert escape(item.definition) in html
    assert "Higher is better" in html
    targets = html.split("Targets of EH05 by financial year")[1].split("</table>")[0]
    assert re.search(r"2015-16</th>\s*<td[^>]*>78</td>\s*<td[^>]*>70</td>", targets)  # override
    assert "Set by an administrator" in targets
    assert re.search(r"2016-17</th>\s*<td[^>]*>83</td>", targets)
    assert "EHPS Strategy and Three Year Plan 2015-18, Appendix 1" in targets
    assert "62.1%" in html
    assert "(218 / 351)" in html
    assert "78% (floor 70%)" in html


def test_the_chart_has_a_text_alternative_and_a_table_view(client, accounts):
    html = page(client, accounts["analyst"], "indicator", "EH05", **MARCH).content.decode()
    svg = html.split("<svg", 1)[1].split("</svg>")[0]
    assert 'role="img"' in svg
    assert 'aria-describedby="chart-summary"' in svg
    assert '<title id="chart-title">EH05 for Test County' in svg
    summary = re.search(r'<p class="govuk-body" id="chart-summary">(.*?)</p>', html, re.S)
    assert summary is not None
    assert "first " in summary.group(1)
    assert "highest " in summary.group(1)
    assert "last 62.1% in March 2016" not in summary.group(1)  # the series runs to June 2016
    assert "Show the figures as a table" in html
    table = html.split("Show the figures as a table")[1].split("</table>")[0]
    months = re.findall(r'<th scope="row" class="govuk-table__header">(\w+ \d{4})</th>', table)
    rows = IndicatorValue.objects.filter(indicator_code="EH05", org_code="KC", window_months=12)
    assert len(months) == rows.count() == 27
    assert re.search(r"March 2016</th>\s*<td[^>]*>62.1%</td>\s*<td[^>]*>218 / 351</td>", table)


def test_the_breakdown_lists_the_places_below(client, accounts):
    analyst = accounts["analyst"]
    html = page(client, analyst, "indicator", "EH05", org="DN1", **MARCH).content.decode()
    below = html.split("Below District DN1")[1]
    assert re.search(r"Unit EHU-N1a</a></th>\s*<td[^>]*>63.5%</td>\s*<td[^>]*>33 / 52", below)
    html = page(client, analyst, "indicator", "EH05", org="EHU-N1a", **MARCH).content.decode()
    assert re.search(r"Worker 1</a></th>\s*<td[^>]*>75.0%</td>", html)
    html = page(client, analyst, "indicator", "EH05", worker="W001", **MARCH).content.decode()
    assert "Below " not in html
    html = page(client, analyst, "indicator", "EH07", **MARCH).content.decode()
    below = html.split("Below Test County")[1]
    assert "North Area" in below
    assert "County Triage" not in below


@pytest.mark.parametrize(
    ("role", "query", "status"),
    [
        ("analyst", {"org": "EHU-N1a"}, 200),
        ("analyst", {"org": "NOWHERE"}, 404),
        ("manager", {}, 200),
        ("manager", {"org": "KC"}, 404),
        ("leader", {"worker": "W004"}, 200),
        ("practitioner", {}, 200),
        ("practitioner", {"worker": "W004"}, 404),
        ("practitioner", {"org": "EHU-N1a"}, 404),
        ("triage", {}, 403),
        ("partner", {}, 403),
        ("auditor", {}, 403),
    ],
)
def test_who_sees_an_indicator(client, accounts, role, query, status):
    assert page(client, accounts[role], "indicator", "EH05", **query).status_code == status


def test_an_indicator_without_values_at_the_level_or_unknown_is_not_found(client, accounts):
    analyst = accounts["analyst"]
    assert page(client, analyst, "indicator", "EH07", org="EHU-N1a").status_code == 404
    assert page(client, analyst, "indicator", "EH99").status_code == 404


# --- the records behind a number -------------------------------------------------------------


@pytest.mark.parametrize("code", COMPUTED_CODES)
@pytest.mark.parametrize("window", [12, 1])
def test_the_records_listed_add_up_to_the_snapshot(accounts, code, window):
    """Judged record by record with the domain's rules, they give the engine's figures."""
    manager = accounts["manager"]
    view = selectors.performance_place(user=manager, level="district", code="DN1")
    for period in ("2016-03", "2015-12"):
        members = selectors.indicator_members(
            user=manager, view=view, code=code, period=period, window=window
        )
        assert members.rule is not None
        row = snapshot(code, "DN1", period, window if INDICATORS[code].uses_window else None)
        side = row.denominator if members.rule.side == "denominator" else row.numerator
        assert len(members.members) == side, (code, period)
        assert members.not_listed == 0
        if members.rule.split:
            assert members.counted == row.numerator, (code, period)


def test_a_practitioner_lists_their_own_cases(accounts):
    practitioner = accounts["practitioner"]
    view = selectors.performance_home(user=practitioner)
    members = selectors.indicator_members(
        user=practitioner, view=view, code="EH05", period="2016-03", window=12
    )
    assert (members.counted, len(members.members)) == (10, 15)
    assert {m.record.worker.code for m in members.members} == {"W003"}


def test_the_cases_page_lists_and_pages_the_records(client, accounts):
    manager = accounts["manager"]
    response = page(client, manager, "indicator-cases", "EH05", **MARCH)
    assert response.status_code == 200
    html = response.content.decode()
    assert "The figure is <strong>60.6%</strong> (numerator 60, denominator 99)" in html
    assert "The 99 records listed here make its denominator; 60 of them are in the numerator" in (
        html
    )
    assert "page 1 of 2" in html
    assert len(re.findall(r'href="/case/\d+/">C\d+', html)) == 50
    html = page(client, manager, "indicator-cases", "EH05", show="counted", page="2", **MARCH)
    assert len(re.findall(r'href="/case/\d+/">C\d+', html.content.decode())) == 10


def test_the_cases_of_a_notification_indicator_are_notifications(client, accounts):
    html = page(client, accounts["manager"], "indicator-cases", "EH07", **MARCH).content.decode()
    assert "The 220 records listed here make its denominator; 168 of them" in html
    assert re.search(r'href="/notification/\d+/">N\d+', html)


def test_records_out_of_scope_are_counted_but_not_listed(client, accounts):
    manager = accounts["manager"]
    view = selectors.performance_place(user=manager, level="district", code="DN1")
    family = (
        selectors.indicator_members(user=manager, view=view, code="EH05", period="2016-03",
                                    window=12).members[0].record.family
    )  # fmt: skip
    family.restricted = True
    family.save(update_fields=["restricted"])
    html = page(client, manager, "indicator-cases", "EH05", **MARCH).content.decode()
    assert "counted in the figure" in html
    assert "not listed" in html


@pytest.mark.parametrize("role", ["analyst", "admin"])
def test_analysts_and_administrators_get_a_message_not_cases(client, accounts, role):
    response = page(client, accounts[role], "indicator-cases", "EH05", **MARCH)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Your role sees the figures, not the cases behind them" in html
    assert "/case/" not in html


def test_an_imported_indicator_has_no_records_here(client, accounts):
    html = page(client, accounts["manager"], "indicator-cases", "NEET01", **MARCH)
    assert "measured elsewhere and imported" in html.content.decode()


def test_the_cases_page_is_logged_and_needs_a_role_with_figures(client, accounts):
    before = AccessLog.objects.count()
    page(client, accounts["leader"], "indicator-cases", "EH05", **MARCH)
    assert AccessLog.objects.count() == before + 1
    assert page(client, accounts["triage"], "indicator-cases", "EH05").status_code == 403
    assert page(client, accounts["leader"], "indicator-cases", "EH05", org="DN1").status_code == (
        404
    )


def test_the_cases_page_reads_in_a_few_queries(client, accounts, django_assert_max_num_queries):
    client.force_login(accounts["manager"])
    url = reverse("indicator-cases", args=["EH06"])
    for org in ("DN1", "EHU-N1a"):
        with django_assert_max_num_queries(16):
            assert client.get(url, {**MARCH, "org": org}).status_code == 200


def test_the_indicator_page_reads_in_a_few_queries(client, accounts, django_assert_max_num_queries):
    client.force_login(accounts["analyst"])
    unit = OrgUnit.objects.get(code="EHU-N1a")
    for extra in (0, 30):
        f.WorkerFactory.create_batch(extra, unit=unit)
        for org in ("KC", "EHU-N1a"):
            with django_assert_max_num_queries(12):
                url = reverse("indicator", args=["EH05"])
                assert client.get(url, {**MARCH, "org": org}).status_code == 200


# --- methodology -----------------------------------------------------------------------------


def test_the_methodology_sets_out_every_indicator(client, accounts):
    html = page(client, accounts["analyst"], "methodology").content.decode()
    for item in INDICATORS.values():
        assert f'id="{item.code}"' in html
        assert escape(item.definition) in html
    assert "Lower is better" in html
    assert "Neither (context only)" in html
    eh07 = html.split('id="EH07"')[1].split('<h2 class="govuk-heading-m"')[0]
    assert "Service standard of the Kent Family Support Framework" in eh07
    assert re.search(r"2015-16</th>\s*<td[^>]*>97</td>\s*<td[^>]*>87.3 <span", eh07)


def test_the_methodology_follows_the_definitions(client, accounts, monkeypatch):
    changed = dataclasses.replace(INDICATORS["EH05"], definition="A definition, reworded.")
    monkeypatch.setitem(definitions.INDICATORS, "EH05", changed)
    html = page(client, accounts["analyst"], "methodology").content.decode()
    assert "A definition, reworded." in html
    html = page(client, accounts["analyst"], "indicator", "EH05").content.decode()
    assert "A definition, reworded." in html


def test_the_methodology_follows_the_targets(client, accounts):
    Target.objects.create(indicator_code="EH01", year=2017, target="4.5", floor="5")
    html = page(client, accounts["analyst"], "methodology").content.decode()
    eh01 = html.split('id="EH01"')[1].split('<h2 class="govuk-heading-m"')[0]
    assert re.search(r"2016-17</th>\s*<td[^>]*>4.5</td>\s*<td[^>]*>5</td>", eh01)


def test_the_methodology_downloads_as_a_document(client, accounts):
    response = page(client, accounts["practitioner"], "methodology-download")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Content-Disposition"] == (
        'attachment; filename="early-help-indicators-methodology-v1.html"'
    )
    html = response.content.decode()
    assert html.startswith("<!DOCTYPE html>")
    for item in INDICATORS.values():
        assert f'id="{item.code}"' in html
        assert escape(item.definition) in html


@pytest.mark.parametrize("role", ["triage", "auditor", "partner"])
def test_the_methodology_is_for_roles_with_figures(client, accounts, role):
    user: User = accounts[role]
    assert page(client, user, "methodology").status_code == 403
    assert page(client, user, "methodology-download").status_code == 403
