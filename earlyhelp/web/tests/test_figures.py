"""The figures pages: targets and their editing, the upload of imported figures, sign-off."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from earlyhelp.domain.codes import UserRole
from earlyhelp.interchange.tests.helpers import import_dir, write_dataset
from earlyhelp.organisation.models import OrgUnit
from earlyhelp.performance.models import (
    ImportedIndicatorValue,
    IndicatorValue,
    MonthSignOff,
    Target,
)
from earlyhelp.performance.services import indicator_values_recompute
from earlyhelp.performance.services_signoff import month_sign_off
from earlyhelp.testing import factories as f

pytestmark = pytest.mark.django_db

HEADER = "indicator_code,period,org_unit_code,value,numerator,denominator\n"


@pytest.fixture
def county(tmp_path: Path, settings) -> None:
    """A small county with its snapshots filled, the clock at 30 June 2016."""
    settings.EARLYHELP_TODAY = "2016-06-30"
    import_dir(write_dataset(tmp_path / "base"))
    indicator_values_recompute()


@pytest.fixture
def analyst(county, client):
    user = f.UserFactory(
        username="ann", role=UserRole.ANALYST, org_unit=OrgUnit.objects.get(code="KC")
    )
    client.force_login(user)
    return user


def summary(page: str) -> list[str]:
    """The items of the error summary, as text."""
    found = re.search(r"govuk-error-summary__list[^>]*>(.*?)</ul>", page, re.S)
    if found is None:
        return []
    return [re.sub(r"<[^>]+>", "", item).strip()
            for item in re.findall(r"<li>(.*?)</li>", found.group(1), re.S)]  # fmt: skip


def unescape(text: str) -> str:
    return text.replace("&#x27;", "'").replace("&quot;", '"').replace("&amp;", "&")


# --- targets -------------------------------------------------------------------------------


def test_the_targets_page_lists_every_indicator_with_defaults_and_overrides(client, analyst):
    response = client.get(reverse("targets"), {"year": 2016})
    assert response.status_code == 200
    page = response.content.decode()
    assert len(re.findall(r'href="/figures/targets/[A-Z]', page)) == 30
    assert "Targets for 2015-16" in page
    eh05 = page.split("EH05</span>", 1)[1].split("</tr>", 1)[0]
    assert "78" in eh05
    assert "floor 70" in eh05
    eh01 = page.split("EH01</span>", 1)[1].split("</tr>", 1)[0]
    assert ">6<" in eh01
    assert "Default" in eh01
    assert 'aria-current="page" href="?year=2016"' in page


def test_the_targets_page_is_for_analysts_and_administrators_only(county, client):
    client.force_login(
        f.UserFactory(role=UserRole.MANAGER, org_unit=OrgUnit.objects.get(code="KC"))
    )
    for name in ("targets", "figures-upload", "figures-signoff"):
        response = client.get(reverse(name))
        assert response.status_code == 403
        assert "Only an analyst or an administrator" in response.content.decode()
    client.logout()
    assert client.get(reverse("targets")).status_code == 302


def test_a_target_is_changed_and_the_rag_follows(client, analyst):
    url = reverse("target-edit", args=["EH01", 2016])
    page = client.get(url).content.decode()
    assert 'name="version" value="0"' in page
    assert "No one has changed this target" in page
    response = client.post(url, {"target": "20", "floor": "", "version": "0", "seen": ""})
    assert response.status_code == 302
    assert response["Location"] == reverse("targets") + "?year=2016"
    assert "The 2016 target of EH01 is saved." in client.get(response["Location"]).content.decode()
    assert Target.objects.get(indicator_code="EH01", year=2016).target == Decimal("20")
    row = IndicatorValue.objects.get(
        indicator_code="EH01", level="COUNTY", period="2016-03", window_months=12
    )
    assert row.target == Decimal("20")
    page = client.get(url).content.decode()
    assert 'name="version" value="1"' in page
    history = page.split('id="history"', 1)[1]
    assert "ann" in history
    assert "Set" in history
    assert "not set to 20" in history


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        ({"target": ""}, ["Enter the target."]),
        ({"target": "lots"}, ["Enter the target as a number, like 85 or 4.5."]),
        ({"target": "80", "floor": "85"},
         ["Enter a floor at or below the target: for this indicator higher is better."]),
        ({"target": "80.12345"}, ["Enter a target with at most 4 decimal places."]),
    ],
)  # fmt: skip
def test_bad_targets_are_named_in_the_error_summary(client, analyst, data, expected):
    url = reverse("target-edit", args=["EH04", 2017])
    response = client.post(url, {"floor": "", "version": "0", "seen": "", **data})
    assert response.status_code == 200
    page = unescape(response.content.decode())
    assert summary(page) == expected
    assert "govuk-form-group--error" in page
    assert not Target.objects.filter(indicator_code="EH04", year=2017).exists()


def test_a_stale_save_shows_what_changed_and_keeps_what_was_typed(client, analyst):
    url = reverse("target-edit", args=["EH05", 2016])
    page = client.get(url).content.decode()
    seen = re.search(r'name="seen" value="([^"]*)"', page).group(1)
    assert (
        client.post(url, {"target": "79", "floor": "", "version": "1", "seen": seen}).status_code
        == 302
    )
    response = client.post(url, {"target": "81", "floor": "75", "version": "1", "seen": seen})
    page = unescape(response.content.decode())
    assert "changed by someone else" in summary(page)[0]
    stale = page.split('id="stale-changes"', 1)[1].split("</table>", 1)[0]
    assert re.search(r"Target</th><td[^>]*>78</td><td[^>]*>79<", stale)
    assert re.search(r"Floor</th><td[^>]*>70</td><td[^>]*>Not set<", stale)
    assert 'value="81"' in page
    assert 'name="version" value="2"' in page
    assert Target.objects.get(indicator_code="EH05", year=2016).target == Decimal("79")


def test_going_back_to_the_default(client, analyst):
    url = reverse("target-edit", args=["EH05", 2016])
    response = client.post(url, {"action": "clear", "version": "1"})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "The 2016 target of EH05 is the default again." in page
    assert not Target.objects.filter(indicator_code="EH05", year=2016).exists()
    page = client.get(url).content.decode()
    assert "Back to the default" in page.split('id="history"', 1)[1]
    assert "78 to not set" in page


def test_an_unknown_indicator_is_not_found(client, analyst):
    assert client.get(reverse("target-edit", args=["XX01", 2016])).status_code == 404


# --- upload ---------------------------------------------------------------------------------


def csv_file(name: str, text: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def test_an_upload_imports_and_updates_the_scorecard(
    client, analyst, django_capture_on_commit_callbacks
):
    upload = csv_file("neet.csv", HEADER + "NEET01,2016-03,KC,3.2,,\nYJ01,2016-04,DN1,12,,\n")
    targets = csv_file("t.csv", "indicator_code,year,target,floor\nYJ01,2017,10,\n")
    with django_capture_on_commit_callbacks(execute=True):  # the refresh, after the commit
        response = client.post(
            reverse("figures-upload"), {"imported_indicators": upload, "targets": targets}
        )
    assert response.status_code == 302
    page = client.get(reverse("figures-upload")).content.decode()
    assert "The figures are imported (imported_indicators.csv: 1 created, 1 updated" in page
    row = IndicatorValue.objects.get(indicator_code="YJ01", period="2016-04", org_code="DN1")
    assert (row.value, row.target, row.rag) == (Decimal("12"), Decimal("10"), "RED")
    assert IndicatorValue.objects.get(
        indicator_code="NEET01", period="2016-03", org_code="KC"
    ).value == Decimal("3.2")


def test_every_error_of_an_upload_is_listed_and_nothing_imported(client, analyst):
    text = HEADER + "NEET01,2016-03,KC,abc,,\nNEET02,2016-3,KC,4,,\nNEET01,2016-03,EHU1,4,,\n"
    targets = csv_file("t.csv", "indicator_code,year,target\nEH05,2016,80\n")
    before = ImportedIndicatorValue.objects.count(), Target.objects.count()
    response = client.post(
        reverse("figures-upload"),
        {"imported_indicators": csv_file("x.csv", text), "targets": targets},
    )
    assert response.status_code == 200
    page = unescape(response.content.decode())
    items = summary(page)
    assert items[0] == "imported_indicators.csv line 2: value: 'abc' is not a number"
    assert items[1].startswith(
        "imported_indicators.csv line 3: indicator_code: 'NEET02' is not an imported indicator"
    )
    assert items[2:] == [
        "imported_indicators.csv line 3: period: '2016-3' is not a month: write YYYY-MM",
        "imported_indicators.csv line 4: org_unit_code: EHU1 is a UNIT: it must be the "
        "COUNTY, an AREA or a DISTRICT",
        "targets.csv line 1: floor: missing column",
    ]
    assert 'href="#id_imported_indicators"' in page
    assert 'href="#id_targets"' in page
    assert "The file has 4 errors: nothing was imported." in page
    assert (ImportedIndicatorValue.objects.count(), Target.objects.count()) == before


def test_an_upload_without_a_file_is_refused(client, analyst):
    page = unescape(client.post(reverse("figures-upload"), {}).content.decode())
    assert summary(page) == [
        "Choose a file to upload: imported_indicators.csv, targets.csv or both."
    ]


def test_an_upload_into_a_signed_off_month_says_it_stays_frozen(
    client, analyst, django_capture_on_commit_callbacks
):
    month_sign_off(user=analyst, period="2016-03")
    upload = csv_file("neet.csv", HEADER + "NEET01,2016-03,KC,3.2,,\n")
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("figures-upload"), {"imported_indicators": upload})
    page = client.get(reverse("figures-upload")).content.decode()
    assert "Signed off, so left as they were: March 2016." in page
    row = IndicatorValue.objects.get(indicator_code="NEET01", period="2016-03", org_code="KC")
    assert row.value == Decimal("4.1")


# --- sign-off -------------------------------------------------------------------------------


def test_a_month_is_signed_off_from_the_page(client, analyst):
    page = client.get(reverse("figures-signoff")).content.decode()
    assert '<option value="2016-05">May 2016</option>' in page
    assert '<option value="2016-06">' not in page  # not over yet
    response = client.post(reverse("figures-signoff"), {"period": "2016-05"})
    assert response.status_code == 302
    page = client.get(reverse("figures-signoff")).content.decode()
    assert "May 2016 is signed off (version 1)" in page
    assert '<option value="2016-05">' not in page
    months = page.split('id="months"', 1)[1]
    assert re.search(r"2016-05</th>\s*<td[^>]*><strong[^>]*>Signed off", months)
    assert "by ann (signed off)" in months
    assert MonthSignOff.objects.get().signed_off_by == analyst


def test_a_month_already_signed_off_cannot_be_chosen(client, analyst):
    month_sign_off(user=analyst, period="2016-05")
    page = unescape(client.post(reverse("figures-signoff"), {"period": "2016-05"}).content.decode())
    assert summary(page) == ["Choose a month that has ended and is not signed off."]
    page = unescape(client.post(reverse("figures-signoff"), {"period": ""}).content.decode())
    assert summary(page) == ["Choose the month to sign off."]


def test_posts_need_the_csrf_token(county):
    client = Client(enforce_csrf_checks=True)
    client.force_login(
        f.UserFactory(role=UserRole.ANALYST, org_unit=OrgUnit.objects.get(code="KC"))
    )
    for url in (reverse("figures-signoff"), reverse("target-edit", args=["EH01", 2016]),
                reverse("figures-upload")):  # fmt: skip
        assert client.post(url, {"period": "2016-05"}).status_code == 403
        assert "csrfmiddlewaretoken" in client.get(url).content.decode()


# --- query counts ---------------------------------------------------------------------------


def test_the_pages_read_a_constant_number_of_queries(
    client, analyst, django_assert_max_num_queries
):
    def count(url: str) -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    targets = count(reverse("targets") + "?year=2017")
    signoff = count(reverse("figures-signoff"))
    edit = count(reverse("target-edit", args=["EH01", 2016]))
    for code in ("EH01", "EH02", "EH03", "EH04", "EH05", "NEET01", "CC01", "YJ01"):
        Target.objects.create(indicator_code=code, year=2017, target=Decimal("1"))
    for period in ("2016-01", "2016-02", "2016-03", "2016-04", "2016-05"):
        month_sign_off(user=analyst, period=period)
    for version in range(3):
        client.post(
            reverse("target-edit", args=["EH01", 2016]),
            {"target": str(10 + version), "floor": "", "version": str(version), "seen": ""},
        )
    with django_assert_max_num_queries(targets):
        client.get(reverse("targets") + "?year=2017")
    with django_assert_max_num_queries(signoff):
        client.get(reverse("figures-signoff"))
    with django_assert_max_num_queries(edit):
        client.get(reverse("target-edit", args=["EH01", 2016]))
