"""The partner portal's status pages: a partner sees how far what they sent has got,
the outcome and unit only with the family's consent, and nobody else's."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from earlyhelp.common.clock import LONDON
from earlyhelp.domain.codes import ConsentPurpose
from earlyhelp.frontdoor.models import Notification
from earlyhelp.frontdoor.submissions import partner_submission_create
from earlyhelp.people.models import FamilyConsent
from earlyhelp.testing import factories as f

pytestmark = pytest.mark.django_db
RECEIVED = dt.datetime(2018, 3, 19, 10, 0, tzinfo=LONDON)  # a Monday: due Wednesday 21st


@pytest.fixture
def school(settings):
    settings.EARLYHELP_TODAY = "2018-03-20"
    f.FamilyFactory(district=f.district())
    return f.partner()


def _send(user, **answers) -> Notification:
    sent = partner_submission_create(user=user, answers=f.answers(**answers), received_at=RECEIVED)
    return sent.notification


def _decide(notification: Notification, on: dt.datetime) -> None:
    Notification.objects.filter(pk=notification.pk).update(
        triaged_at=on, triage_decision="ASSESS_EHU", threshold_level=3
    )


def test_the_list_shows_the_partner_s_own_notifications_with_their_stage(client, school):
    mine = _send(school)
    screened = _send(school, child_given_name="Bella")
    Notification.objects.filter(pk=screened.pk).update(screening_started_at=RECEIVED)
    theirs = _send(f.partner("Other School", username="other"), child_given_name="Zed")
    client.force_login(school)
    response = client.get(reverse("portal-notifications"))
    rows = response.context["rows"]
    assert [(r.notification_ref, r.stage_label) for r in rows] == [
        (screened.notification_ref, "Being screened"),
        (mine.notification_ref, "Received"),
    ]
    page = response.content.decode()
    assert "Amelia Testington" in page
    assert "21 Mar 2018" in page
    assert theirs.notification_ref not in page
    assert "Zed" not in page
    other = client.get(reverse("portal-notification", args=[theirs.notification_ref]))
    assert other.status_code == 404


def test_the_list_keeps_a_constant_number_of_queries(client, school, django_assert_max_num_queries):
    for _ in range(3):
        _send(school)
    client.force_login(school)
    with django_assert_max_num_queries(12):
        client.get(reverse("portal-notifications"))
    for _ in range(5):
        _send(school)
    with django_assert_max_num_queries(12):
        client.get(reverse("portal-notifications"))


def test_the_decision_is_told_and_its_outcome_only_with_consent(client, school):
    notification = _send(school, share_outcome_consent=False)
    client.force_login(school)
    url = reverse("portal-notification", args=[notification.notification_ref])
    page = client.get(url).content.decode()
    assert "Not decided yet." in page
    assert "overdue" not in page
    _decide(notification, dt.datetime(2018, 3, 20, 15, 0, tzinfo=LONDON))
    page = client.get(url).content.decode()
    assert "Decided on 20 March 2018, within the timescale." in page
    assert "has not agreed to the outcome being shared" in page
    assert "Early Help Unit casework" not in page
    assert "Not shared" in page
    FamilyConsent.objects.create(
        family=notification.family,
        purpose=ConsentPurpose.SHARE_WITH_REFERRER,
        given_on=dt.date(2018, 3, 19),
        partner_name="Oakfield Primary School",
    )
    assert "Early Help Unit casework" in client.get(url).content.decode()


def test_a_late_decision_and_an_overdue_one_are_said_so(client, school, settings):
    late = _send(school)
    _decide(late, dt.datetime(2018, 3, 23, 9, 0, tzinfo=LONDON))
    waiting = _send(school)
    settings.EARLYHELP_TODAY = "2018-03-26"
    client.force_login(school)
    page = client.get(reverse("portal-notification", args=[late.notification_ref])).content
    assert b"after the date it was due" in page
    page = client.get(reverse("portal-notification", args=[waiting.notification_ref])).content
    assert b"Not decided yet, and overdue" in page


def test_the_old_partner_page_leads_to_the_portal(client, school):
    client.force_login(school)
    response = client.get(reverse("partner-notifications"))
    assert response.url == reverse("portal-notifications")


def test_the_demo_partner_has_notifications_in_each_stage(settings) -> None:
    settings.EARLYHELP_TODAY = "2018-03-29"
    from earlyhelp.casework.selectors_partner import partner_views
    from earlyhelp.demo.users import create_partner_submissions
    from earlyhelp.domain.codes import UserRole

    f.unit("EHU-THA-1", "THA", "EAST")
    partner = f.partner("Margate Academy", username="partner")
    f.UserFactory(username="triage", role=UserRole.TRIAGE_OFFICER, org_unit=f.county())
    sent = create_partner_submissions()
    fresh = Notification.objects.filter(pk__in=[n.pk for n in sent]).order_by("pk")
    views = partner_views(user=partner, notifications=list(fresh))
    assert [v.stage_label for v in views] == [
        "Received",
        "Being screened",
        "Decision made",
        "Allocated to an Early Help Unit",
    ]
    assert views[-1].unit_name
    assert create_partner_submissions() == []  # once only
