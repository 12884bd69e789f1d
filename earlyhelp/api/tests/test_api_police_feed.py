"""The police feed: JSON or CSV, all or nothing, every row's errors named, re-sent safely,
due the same day."""

from __future__ import annotations

from earlyhelp.api.tests.conftest import TODAY, client_for
from earlyhelp.frontdoor.models import Notification, PartnerSubmission
from earlyhelp.testing import factories as f

URL = "/api/v1/police-feed/"
CSV_HEADER = (
    "incident_reference,category,child_given_name,child_family_name,child_date_of_birth,"
    "child_sex,postcode,concerns,referrer_name,referrer_email,family_consent\n"
)


def row(ref: str, **overrides: object) -> dict[str, object]:
    values = f.answers(category="MISSING_CHILD", source="POLICE").as_json()
    values.pop("referrer_organisation")
    values.pop("source")
    return {**values, "incident_reference": ref, **overrides}


def test_a_json_feed_creates_same_day_notifications(known_district, police_client):
    response = police_client.post(URL, [row("KP-1"), row("KP-2", category="E_YOT")], format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["received"] == 2
    assert body["created"] == 2
    assert [n["incident_reference"] for n in body["notifications"]] == ["KP-1", "KP-2"]
    notifications = Notification.objects.all()
    assert {n.due_on for n in notifications} == {TODAY}
    assert {n.source for n in notifications} == {"POLICE"}
    assert {n.referrer_organisation for n in notifications} == {"Kent Police"}
    channels = set(PartnerSubmission.objects.values_list("channel", flat=True))
    assert channels == {"POLICE_FEED"}


def test_a_feed_sent_again_creates_nothing_new(known_district, police_client):
    police_client.post(URL, [row("KP-1")], format="json")
    again = police_client.post(URL, [row("KP-1")], format="json")
    assert again.status_code == 200
    assert again.json()["created"] == 0
    assert Notification.objects.count() == 1


def test_a_csv_feed(known_district, police_client):
    text = CSV_HEADER + (
        "KP-9,MISSING_CHILD,Jordan,Example,2004-03-02,M,ME14 1XQ,Missing overnight,"
        "PC Example,pc@police.example,no\n"
        "KP-10,E_YOT,Sam,Example,,U,ME14 2AB,Arrested,PC Example,pc@police.example,yes\n"
    )
    response = police_client.generic("POST", URL, text.encode(), content_type="text/csv")
    assert response.status_code == 201, response.json()
    assert Notification.objects.count() == 2


def test_all_or_nothing_with_every_row_error_named(known_district, police_client):
    rows = [row("KP-1"), row("KP-2", postcode="nonsense"), row("KP-3", category="STANDARD")]
    rows.append(row("KP-4", child_sex="Q", urgent="maybe"))
    response = police_client.post(URL, rows, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {
        "rows[1].postcode", "rows[2].category", "rows[3].child_sex", "rows[3].urgent",
    }  # fmt: skip
    assert Notification.objects.count() == 0


def test_a_csv_with_a_bad_row_writes_nothing(known_district, police_client):
    text = CSV_HEADER + (
        "KP-9,MISSING_CHILD,Jordan,Example,2004-02-30,M,ME14 1XQ,Missing,PC,pc@police.example,no\n"
    )
    response = police_client.generic("POST", URL, text.encode(), content_type="text/csv")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["rows[0].child_date_of_birth"]
    assert Notification.objects.count() == 0


def test_limits_on_rows_and_bytes(known_district, police_client, settings):
    settings.EARLYHELP_API_FEED_MAX_ROWS = 2
    response = police_client.post(URL, [row(f"KP-{i}") for i in range(3)], format="json")
    assert response.status_code == 413
    assert "rows" in response.json()["errors"]
    settings.EARLYHELP_API_FEED_MAX_BYTES = 500
    response = police_client.post(URL, [row("KP-1"), row("KP-2")], format="json")
    assert response.status_code == 413
    assert "body" in response.json()["errors"]
    assert Notification.objects.count() == 0


def test_only_a_police_account_may_send_the_feed(known_district, school):
    client = client_for(school, "notifications:write")
    response = client.post(URL, [row("KP-1")], format="json")
    assert response.status_code == 403
    assert "Authorization" in response.json()["errors"]
