"""Journey 5: the weekly unit meeting (filters, sorting, print) and the district overview."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import pytest
from django.urls import reverse

from earlyhelp.domain.codes import UserRole, WorkerRole
from earlyhelp.organisation.models import OrgUnit, Worker
from earlyhelp.testing import factories as f

pytestmark = pytest.mark.django_db


@dataclass
class Unit:
    unit: OrgUnit
    ann: Worker
    bob: Worker
    leader: object
    fresh: object
    drifting: object
    long_open: object


def unit_with_cases() -> Unit:
    """Three open cases at 30 June 2016: one new, one drifting, one long open unallocated."""
    the_unit = f.unit()
    ann = f.WorkerFactory(unit=the_unit, name="Ann Able")
    bob = f.WorkerFactory(unit=the_unit, name="Bob Baker")
    lead = f.WorkerFactory(unit=the_unit, name="Lee Leader", role=WorkerRole.UNIT_LEADER)
    leader = f.UserFactory(
        username="leader", role=UserRole.UNIT_LEADER, org_unit=the_unit, worker=lead
    )
    fresh = f.CaseFactory(unit=the_unit, worker=ann, opened_on=dt.date(2016, 6, 20))
    drifting = f.CaseFactory(unit=the_unit, worker=bob, opened_on=dt.date(2016, 1, 5))
    long_open = f.CaseFactory(
        unit=the_unit,
        worker=None,
        opened_on=dt.date(2015, 11, 2),
        assessment_started_on=dt.date(2015, 11, 3),
        assessment_completed_on=dt.date(2015, 11, 10),
        plan_agreed_on=dt.date(2015, 11, 20),
        last_review_on=dt.date(2016, 1, 1),
        last_contact_on=dt.date(2016, 6, 25),
    )
    return Unit(the_unit, ann, bob, leader, fresh, drifting, long_open)


@pytest.fixture
def team(settings) -> Unit:
    settings.EARLYHELP_TODAY = "2016-06-30"
    return unit_with_cases()


def refs_in_order(page: str) -> list[str]:
    return re.findall(r"\bC\d{7}\b", page.split("<tbody", 1)[1].split("</tbody>", 1)[0])


def meeting(client, team: Unit, **query: object):
    client.force_login(team.leader)
    return client.get(reverse("unit-meeting", args=[team.unit.pk]), query)


def test_meeting_lists_every_open_case_with_drift_and_caseload(client, team):
    f.CaseFactory(
        unit=team.unit,
        worker=team.ann,
        closed_on=dt.date(2016, 3, 1),
        closure_reason="OUTCOMES_ACHIEVED",
    )
    response = meeting(client, team)
    assert response.status_code == 200
    page = response.content.decode()
    refs = refs_in_order(page)
    assert set(refs) == {team.fresh.case_ref, team.drifting.case_ref, team.long_open.case_ref}
    assert "No plan by the 4-week deadline" in page
    assert "Review overdue" in page
    assert "Open more than 6 months" in page
    assert "No contact recorded for 4 weeks" in page
    assert "Not allocated" in page
    assert "Plan in place, reviewing" in page
    caseload = page.split("Caseload per worker", 1)[1]
    assert re.search(r"Ann Able</td><td[^>]*>1<", caseload)
    assert re.search(r"Not allocated</td><td[^>]*>1<", caseload)
    assert 'class="moj-filter-layout"' in page
    assert 'aria-sort="none"' in page
    assert "?print=1" in page


def test_filter_by_worker_shows_removable_tags(client, team):
    page = meeting(client, team, worker=[str(team.ann.pk)]).content.decode()
    assert refs_in_order(page) == [team.fresh.case_ref]
    assert "1 of 3 open cases match the filters" in page
    assert "Selected filters" in page
    assert re.search(r'class="moj-filter__tag" href="\?">.*Ann Able', page, re.S)
    assert "Clear filters" in page


def test_filter_unallocated_and_by_stage_and_drift(client, team):
    page = meeting(client, team, worker="none").content.decode()
    assert refs_in_order(page) == [team.long_open.case_ref]
    page = meeting(client, team, stage="ALLOCATION").content.decode()
    assert set(refs_in_order(page)) == {team.fresh.case_ref, team.drifting.case_ref}
    page = meeting(client, team, drift=["REVIEW_OVERDUE", "NO_PLAN_BY_DEADLINE"]).content.decode()
    assert set(refs_in_order(page)) == {team.drifting.case_ref, team.long_open.case_ref}
    page = meeting(client, team, stage="ALLOCATION", drift="REVIEW_OVERDUE").content.decode()
    assert refs_in_order(page) == []
    assert "No open cases match." in page


def test_removing_one_tag_keeps_the_other_filters(client, team):
    page = meeting(client, team, stage="ALLOCATION", drift="NO_RECENT_CONTACT").content.decode()
    tags = re.findall(r'class="moj-filter__tag" href="\?([^"]*)"', page)
    assert "drift=NO_RECENT_CONTACT" in tags[0]
    assert "stage" not in tags[0]
    assert "stage=ALLOCATION" in tags[1]
    assert "drift" not in tags[1]


def test_unknown_filter_values_are_ignored(client, team):
    page = meeting(client, team, worker="999999", stage="NOPE").content.decode()
    assert len(refs_in_order(page)) == 3


def test_sorting_by_days_open_both_ways_with_aria_sort(client, team):
    ascending = meeting(client, team, sort="days_open", dir="asc").content.decode()
    assert refs_in_order(ascending) == [
        team.fresh.case_ref,
        team.drifting.case_ref,
        team.long_open.case_ref,
    ]
    assert re.search(
        r'aria-sort="ascending"><a[^>]*href="\?sort=days_open&amp;dir=desc"', ascending
    )
    descending = meeting(client, team, sort="days_open", dir="desc").content.decode()
    assert refs_in_order(descending) == refs_in_order(ascending)[::-1]
    assert 'aria-sort="descending"' in descending


def test_sorting_by_worker_keeps_the_filters(client, team):
    page = meeting(client, team, sort="worker", stage="ALLOCATION").content.decode()
    assert refs_in_order(page) == [team.fresh.case_ref, team.drifting.case_ref]
    stage_header = re.search(r'href="\?([^"]*sort=stage[^"]*)"', page).group(1)
    assert "stage=ALLOCATION" in stage_header
    assert "dir=asc" in stage_header
    assert '<input type="hidden" name="sort" value="worker">' in page


def test_print_layout_has_every_row_and_no_filters_or_navigation(client, team):
    for _ in range(55):
        f.CaseFactory(unit=team.unit, worker=team.bob)
    response = meeting(client, team, print="1", drift="NO_RECENT_CONTACT", page="2")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Apply filters" not in page
    assert "moj-primary-navigation" not in page
    assert "govuk-pagination" not in page
    assert len(refs_in_order(page)) == 56
    assert "data-app-print" in page
    assert "Back to the unit meeting" in page
    assert "Filtered by drift: No contact recorded for 4 weeks." in page


def test_meeting_is_paginated_over_50_rows(client, team):
    for _ in range(50):
        f.CaseFactory(unit=team.unit, worker=team.bob)
    first = meeting(client, team).content.decode()
    assert len(refs_in_order(first)) == 50
    assert 'rel="next"' in first
    second = meeting(client, team, page=2).content.decode()
    assert len(refs_in_order(second)) == 3


def test_meeting_queries_do_not_grow_with_cases(client, team, django_assert_max_num_queries):
    client.force_login(team.leader)
    url = reverse("unit-meeting", args=[team.unit.pk])
    with django_assert_max_num_queries(30) as captured:
        client.get(url, {"sort": "worker"})
    baseline = len(captured.captured_queries)
    for _ in range(20):
        f.CaseFactory(unit=team.unit, worker=f.WorkerFactory(unit=team.unit))
    with django_assert_max_num_queries(baseline):
        client.get(url, {"sort": "worker"})
    with django_assert_max_num_queries(baseline):
        client.get(url, {"print": "1"})


def test_unit_out_of_scope_is_not_found(client, team):
    other = f.unit("EHU-S1", "DS1", "AS")
    outsider = f.UserFactory(role=UserRole.UNIT_LEADER, org_unit=other)
    client.force_login(outsider)
    assert client.get(reverse("unit-meeting", args=[team.unit.pk])).status_code == 404
    district = OrgUnit.objects.get(code="DN1")
    assert client.get(reverse("unit-meeting", args=[district.pk])).status_code == 404


def test_my_unit_redirects_by_role(client, team):
    client.force_login(team.leader)
    response = client.get(reverse("my-unit"))
    assert response["Location"] == reverse("unit-meeting", args=[team.unit.pk])
    district = OrgUnit.objects.get(code="DN1")
    manager = f.UserFactory(role=UserRole.MANAGER, org_unit=district)
    client.force_login(manager)
    assert client.get(reverse("my-unit"))["Location"] == reverse("district", args=[district.pk])
    client.force_login(f.UserFactory(role=UserRole.ANALYST, org_unit=None))
    assert client.get(reverse("my-unit")).status_code == 404


def test_navigation_offers_the_meeting_and_the_panel(client, team):
    client.force_login(team.leader)
    page = client.get(reverse("unit-meeting", args=[team.unit.pk])).content.decode()
    assert f'href="{reverse("my-unit")}">Unit meeting' in page
    assert f'href="{reverse("step-down-panel")}">Step-down panel' in page


# --- the district overview ------------------------------------------------------------------


def test_district_overview_counts_open_cases_and_drift_per_unit(client, team):
    f.unit("EHU-N2", "DN1", "AN")
    district = OrgUnit.objects.get(code="DN1")
    client.force_login(f.UserFactory(role=UserRole.MANAGER, org_unit=district))
    response = client.get(reverse("district", args=[district.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "3 open cases in 2 units" in page
    row = page.split("Unit EHU-N1", 1)[1].split("</tr>", 1)[0]
    assert re.findall(r">(\d+)</td>", row) == ["3", "1", "2", "1", "1", "1", "1"]
    assert reverse("unit-meeting", args=[team.unit.pk]) in page
    assert "Unit EHU-N2" in page
    assert reverse("step-down-panel") in page


def test_area_manager_sees_districts_below(client, team):
    area = OrgUnit.objects.get(code="AN")
    client.force_login(f.UserFactory(role=UserRole.MANAGER, org_unit=area))
    assert client.get(reverse("district", args=[area.pk])).status_code == 200
    district = OrgUnit.objects.get(code="DN1")
    assert client.get(reverse("district", args=[district.pk])).status_code == 200


def test_district_out_of_scope_is_not_found(client, team):
    district = OrgUnit.objects.get(code="DN1")
    client.force_login(team.leader)  # a unit leader's scope is the unit
    assert client.get(reverse("district", args=[district.pk])).status_code == 404
    other = f.district("DS1", "AS")
    client.force_login(f.UserFactory(role=UserRole.MANAGER, org_unit=other))
    assert client.get(reverse("district", args=[district.pk])).status_code == 404


def test_district_queries_do_not_grow(client, team, django_assert_max_num_queries):
    district = OrgUnit.objects.get(code="DN1")
    client.force_login(f.UserFactory(role=UserRole.MANAGER, org_unit=district))
    url = reverse("district", args=[district.pk])
    with django_assert_max_num_queries(20) as captured:
        client.get(url)
    baseline = len(captured.captured_queries)
    second = f.unit("EHU-N2", "DN1", "AN")
    for _ in range(10):
        f.CaseFactory(unit=second)
    with django_assert_max_num_queries(baseline):
        client.get(url)
