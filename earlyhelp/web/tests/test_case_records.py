"""Journey 4, the case: reviews of the plan and case notes."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from earlyhelp.casework import services
from earlyhelp.casework.models import CaseNote, Review
from earlyhelp.domain.codes import NoteKind, UserRole
from earlyhelp.testing import factories as f
from earlyhelp.web.tests.test_case import date_parts, signed_in, versioned, with_plan, world

pytestmark = pytest.mark.django_db

D = dt.date


# --- reviews --------------------------------------------------------------------------------


def test_a_review_is_recorded(client, settings):
    w = world(settings)
    with_plan(w)
    url = reverse("case-reviews", args=[w.case.pk])
    signed_in(client, w.practitioner)
    shown = client.get(url)
    assert "No reviews yet." in shown.content.decode()
    data = versioned(shown) | {"summary": "Attendance up to 90%.", "scale": "7"}
    response = client.post(url, data | date_parts("review_date", D(2016, 6, 24)), follow=True)
    page = response.content.decode()
    assert "The review is recorded." in page
    assert "Attendance up to 90%." in page
    assert "1 review, the latest first" in page
    assert w.fresh().last_review_on == D(2016, 6, 24)
    assert Review.objects.get(case=w.case).scale == 7


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        ({"summary": ""}, "summary", "Summarise what the review found."),
        (date_parts("review_date", None), "review_date", "Enter the date of the review."),
        ({"scale": "12"}, "scale", "Choose a number from 0 to 10."),
        (
            date_parts("review_date", D(2016, 6, 13)),
            "review_date",
            "The review cannot be before the plan was agreed (14 June 2016).",
        ),
        (
            date_parts("review_date", D(2016, 7, 1)),
            "review_date",
            "A review cannot be recorded in the future.",
        ),
    ],
)
def test_a_bad_review_is_refused_naming_the_field(client, settings, typed, field, message):
    w = world(settings)
    with_plan(w)
    url = reverse("case-reviews", args=[w.case.pk])
    signed_in(client, w.practitioner)
    data = versioned(client.get(url)) | {"summary": "Better.", "scale": "6"}
    data |= date_parts("review_date", D(2016, 6, 24)) | typed
    response = client.post(url, data)
    assert response.status_code == 200
    assert f'<a href="#id_{field}">{message}</a>' in response.content.decode()
    assert not Review.objects.filter(case=w.case).exists()


def test_a_review_waits_for_the_plan(client, settings):
    w = world(settings)
    url = reverse("case-reviews", args=[w.case.pk])
    signed_in(client, w.practitioner)
    shown = client.get(url)
    assert "Reviews can be recorded once the family plan is agreed." in shown.content.decode()
    data = versioned(shown) | {"summary": "Better."} | date_parts("review_date", D(2016, 6, 24))
    page = client.post(url, data).content.decode()
    assert "A review cannot be recorded before a family plan has been agreed." in page


def test_reviews_are_listed_latest_first_and_a_colleague_may_not_add_one(client, settings):
    w = world(settings)
    with_plan(w)
    for day, summary in ((20, "First look."), (27, "Second look.")):
        services.review_record(
            user=w.practitioner,
            case=w.fresh(),
            version=w.case.version,
            review_date=D(2016, 6, day),
            summary=summary,
        )
    url = reverse("case-reviews", args=[w.case.pk])
    signed_in(client, w.colleague)
    page = client.get(url).content.decode()
    assert page.index("Second look.") < page.index("First look.")
    assert "Record a review" not in page
    data = {"version": str(w.fresh().version), "summary": "Mine."}
    response = client.post(url, data | date_parts("review_date", D(2016, 6, 28)))
    assert response.status_code == 403
    assert Review.objects.filter(case=w.case).count() == 2


# --- notes ----------------------------------------------------------------------------------


def _note(kind: str = NoteKind.HOME_VISIT, text: str = "Visited; the routine holds.") -> dict:
    return {"kind": kind, "text": text} | date_parts("occurred_on", D(2016, 6, 29))


def test_a_note_is_added_and_counts_as_contact(client, settings):
    w = world(settings)
    url = reverse("case-notes", args=[w.case.pk])
    signed_in(client, w.practitioner)
    assert "No notes yet." in client.get(url).content.decode()
    response = client.post(url, _note(), follow=True)
    page = response.content.decode()
    assert "The note is added." in page
    assert "Home visit, 29 June 2016" in page
    assert "By Pat Lead" in page
    assert w.fresh().last_contact_on == D(2016, 6, 29)


@pytest.mark.parametrize(
    ("typed", "field", "message"),
    [
        ({"kind": ""}, "kind", "Choose the kind of note."),
        ({"kind": "DID_NOT_ENGAGE"}, "kind", "Choose the kind of note from the list."),
        ({"text": " "}, "text", "Write the note."),
        (date_parts("occurred_on", None), "occurred_on", "Enter the date of the contact or event."),
        (
            date_parts("occurred_on", D(2016, 7, 1)),
            "occurred_on",
            "A note cannot be dated in the future.",
        ),
        (
            date_parts("occurred_on", D(2016, 5, 1)),
            "occurred_on",
            "A note cannot be dated before the case opened.",
        ),
    ],
)
def test_a_bad_note_is_refused_naming_the_field(client, settings, typed, field, message):
    w = world(settings)
    url = reverse("case-notes", args=[w.case.pk])
    response = signed_in(client, w.practitioner).post(url, _note() | typed)
    assert response.status_code == 200
    assert f'<a href="#id_{field}">{message}</a>' in response.content.decode()
    assert not CaseNote.objects.filter(case=w.case).exists()


def test_notes_are_newest_first_and_paged(client, settings):
    w = world(settings)
    for i in range(27):
        services.case_note_add(
            user=w.practitioner,
            case=w.case,
            occurred_on=D(2016, 6, 2) + dt.timedelta(days=i),
            kind=NoteKind.PHONE_CALL,
            text=f"Call number {i}.",
        )
    url = reverse("case-notes", args=[w.case.pk])
    page = signed_in(client, w.practitioner).get(url).content.decode()
    assert page.index("Call number 26.") < page.index("Call number 25.")
    assert "Call number 1." not in page
    assert 'rel="next"' in page
    assert "Call number 1." in client.get(url, {"page": 2}).content.decode()


def test_a_colleague_may_not_add_a_note_but_a_manager_may(client, settings):
    w = world(settings)
    url = reverse("case-notes", args=[w.case.pk])
    signed_in(client, w.colleague)
    assert "Add a note" not in client.get(url).content.decode()
    assert client.post(url, _note()).status_code == 403
    manager = f.UserFactory(role=UserRole.MANAGER, org_unit=f.district("DN1", "AN"))
    signed_in(client, manager)
    assert client.post(url, _note(NoteKind.MANAGEMENT_OVERSIGHT, "Reviewed.")).status_code == 302
    assert CaseNote.objects.get(case=w.case).author_name == manager.username
