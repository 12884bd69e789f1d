"""The partner portal's pages: signing in with an emailed code, the notification's pages
with their checks, check your answers and sending once, drafts, and keeping what was
typed when the session expired."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.urls import reverse

from earlyhelp.domain.codes import UserRole
from earlyhelp.frontdoor.models import Notification, PartnerSubmission, SubmissionDraft
from earlyhelp.organisation.models import User
from earlyhelp.testing import factories as f
from earlyhelp.web.forms_portal import STEPS

pytestmark = pytest.mark.django_db

PAGES = {
    "about-you": {
        "referrer_name": "Sam Teacher",
        "referrer_role": "Designated safeguarding lead",
        "referrer_organisation": "Oakfield Primary School",
        "source": "SCHOOL",
        "referrer_email": "sam.teacher@example.org",
        "referrer_phone": "01632 960 001",
    },
    "child": {
        "child_given_name": "Amelia",
        "child_family_name": "Testington",
        "child_date_of_birth_0": "17",
        "child_date_of_birth_1": "2",
        "child_date_of_birth_2": "2009",
        "child_sex": "F",
        "child_upn": "",
    },
    "family": {
        "parent_carer_name": "Jo Testington",
        "address_line_1": "1 Example Street",
        "town": "Maidstone",
        "postcode": "ME14 1XQ",
    },
    "concerns": {"category": "STANDARD", "concerns": "Attendance has fallen to 80% this term."},
    "tried": {"what_has_been_tried": "Meetings with mum."},
    "consent": {"family_consent": "yes", "share_outcome_consent": "yes"},
    "urgency": {"urgent": "no"},
}


@pytest.fixture
def partner(settings) -> User:
    settings.EARLYHELP_TODAY = "2018-03-20"
    f.FamilyFactory(district=f.district())  # places ME14 1XQ in district DN1
    return f.partner(username="sam", email="sam.teacher@example.org")


def _url(name: str, draft: SubmissionDraft | int, **kw: object) -> str:
    return reverse(name, kwargs={"draft_id": getattr(draft, "pk", draft), **kw})


def _new_draft(client) -> SubmissionDraft:
    response = client.post(reverse("portal-new"))
    draft = SubmissionDraft.objects.latest("pk")
    assert response.url == _url("portal-about-you", draft)
    return draft


def _answer_everything(client, draft: SubmissionDraft) -> None:
    for step in STEPS:
        response = client.post(_url(step.url_name, draft), PAGES[step.slug])
        assert response.status_code == 302, (step.slug, response.context["form"].errors)


# --- signing in -------------------------------------------------------------------------------


def test_the_start_page_is_open_and_the_portal_asks_to_sign_in(client) -> None:
    start = client.get(reverse("portal-start"))
    assert start.status_code == 200
    assert b"Start now" in start.content
    home = client.get(reverse("portal-home"))
    assert home.url == f"{reverse('portal-sign-in')}?next=/portal/home/"
    page = client.get(home.url).content.decode()
    assert "/sign-in/?next=%2Fportal%2Fhome%2F" in page
    assert "/portal/sign-in/code/?next=%2Fportal%2Fhome%2F" in page


def test_an_emailed_code_signs_a_new_partner_in_and_asks_their_organisation(client, partner):
    request = reverse("portal-code-request")
    assert "Enter your email" in client.post(request, {"email": ""}).content.decode()
    response = client.post(request, {"email": "New.Person@example.org", "next": "/portal/home/"})
    assert response.url == reverse("portal-code-enter")
    page = client.get(response.url).content.decode()
    assert "new.person@example.org" in page
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    wrong = client.post(response.url, {"code": "000000" if code != "000000" else "111111"})
    assert "The code is not right" in wrong.content.decode()
    signed_in = client.post(response.url, {"code": code})
    assert signed_in.url == f"{reverse('portal-organisation')}?next=%2Fportal%2Fhome%2F"
    user = User.objects.get(email="new.person@example.org")
    assert user.role == UserRole.PARTNER
    assert not user.has_usable_password()
    refused = client.post(signed_in.url, {"partner_organisation": "", "next": "/portal/home/"})
    assert "Enter the name of your organisation" in refused.content.decode()
    saved = client.post(
        signed_in.url,
        {
            "partner_organisation": "Kent Police",
            "partner_source": "POLICE",
            "next": "/portal/home/",
        },
    )
    assert saved.url == "/portal/home/"
    assert client.get("/portal/home/").status_code == 200
    user.refresh_from_db()
    assert (user.partner_organisation, user.partner_source) == ("Kent Police", "POLICE")


def test_the_code_pages_say_the_same_whoever_the_address_is(client, partner) -> None:
    f.UserFactory(username="prac", email="prac@example.org")
    pages = []
    for email in ("prac@example.org", "nobody@example.org"):
        client.post(reverse("portal-code-request"), {"email": email})
        text = client.get(reverse("portal-code-enter")).content.decode()
        pages.append(
            re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", text.replace(email, "@"))
        )
    assert pages[0] == pages[1]
    assert [m.to for m in mail.outbox] == [["nobody@example.org"]]  # staff use their password


def test_a_partner_with_an_organisation_goes_straight_on(client, partner) -> None:
    client.post(reverse("portal-code-request"), {"email": "sam.teacher@example.org"})
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    response = client.post(reverse("portal-code-enter"), {"code": code})
    assert response.url == reverse("portal-home")
    home = client.get(reverse("home"))
    assert home.status_code == 200
    assert b"Send a new notification" in home.content


# --- the notification -------------------------------------------------------------------------


def test_a_whole_notification_is_checked_then_sent_once(client, partner) -> None:
    client.force_login(partner)
    draft = _new_draft(client)
    assert draft.answers["referrer_email"] == "sam.teacher@example.org"  # what we know of you
    _answer_everything(client, draft)
    check = client.get(_url("portal-check", draft))
    page = check.content.decode()
    for shown in ("Amelia", "17 February 2009", "ME14 1XQ", "A request for early help", "Yes"):
        assert shown in page
    assert f"/portal/notification/{draft.pk}/child/?return=check#id_child_given_name" in page
    sent = client.post(_url("portal-check", draft))
    notification = Notification.objects.get()
    assert sent.url == reverse("portal-sent", args=[notification.notification_ref])
    assert not SubmissionDraft.objects.exists()
    again = client.post(_url("portal-check", draft))  # a second click on "Send"
    assert again.url == sent.url
    assert Notification.objects.count() == PartnerSubmission.objects.count() == 1
    confirmation = client.get(sent.url).content.decode()
    assert notification.notification_ref in confirmation
    assert "What happens next" in confirmation
    assert "22 March 2018" in confirmation  # 2 working days after Tuesday 20 March
    assert notification.family_consent is True
    assert notification.urgent is False


def test_each_page_names_what_is_missing_and_keeps_what_was_typed(client, partner) -> None:
    client.force_login(partner)
    draft = _new_draft(client)
    typed = {
        "child_given_name": "Amelia",
        "child_date_of_birth_0": "31",
        "child_date_of_birth_1": "2",
    }
    response = client.post(_url("portal-child", draft), typed)
    errors = response.context["form"].errors
    assert errors["child_family_name"] == ["Enter the child's last name."]
    assert errors["child_sex"] == ["Choose the child's sex, or Not known."]
    assert "must include a day, month and year" in errors["child_date_of_birth"][0]
    assert "There is a problem" in response.content.decode()
    draft.refresh_from_db()
    assert draft.answers["child_given_name"] == "Amelia"
    assert draft.answers["child_date_of_birth"] == ["31", "2", ""]
    page = client.get(_url("portal-child", draft)).content.decode()
    assert 'value="Amelia"' in page
    assert 'value="31"' in page


def test_a_change_from_check_your_answers_returns_there(client, partner) -> None:
    client.force_login(partner)
    draft = _new_draft(client)
    _answer_everything(client, draft)
    url = _url("portal-family", draft) + "?return=check"
    assert 'name="return" value="check"' in client.get(url).content.decode()
    response = client.post(url, {**PAGES["family"], "postcode": "ME14 2AA", "return": "check"})
    assert response.url == _url("portal-check", draft)
    assert "ME14 2AA" in client.get(response.url).content.decode()


def test_sending_checks_every_answer_again_and_links_to_its_page(client, partner) -> None:
    client.force_login(partner)
    draft = _new_draft(client)
    client.post(_url("portal-child", draft), PAGES["child"])
    response = client.post(_url("portal-check", draft))
    assert response.status_code == 200
    assert not Notification.objects.exists()
    problems = response.context["problems"]
    messages = [p.message for p in problems]
    assert "Enter the family's postcode." in messages
    assert "Say whether the family agreed to this notification." in messages
    postcode = next(p for p in problems if p.message == "Enter the family's postcode.")
    assert postcode.url == _url("portal-family", draft) + "?return=check#id_postcode"


def test_drafts_are_saved_resumed_and_deleted(client, partner) -> None:
    client.force_login(partner)
    draft = _new_draft(client)
    saved = client.post(
        _url("portal-child", draft), {"child_given_name": "Amelia", "save": "1"}
    )  # incomplete, but kept
    assert saved.url == reverse("portal-home")
    home = client.get(saved.url).content.decode()
    assert "Amelia" in home
    assert _url("portal-child", draft) in home
    other = f.partner(username="other")
    client.force_login(other)
    assert client.get(_url("portal-child", draft)).status_code == 404
    assert client.post(_url("portal-draft-delete", draft)).status_code == 404
    client.force_login(partner)
    assert client.get(_url("portal-draft-delete", draft)).status_code == 200
    assert client.post(_url("portal-draft-delete", draft)).url == reverse("portal-home")
    assert not SubmissionDraft.objects.exists()


def test_what_was_typed_survives_an_expired_session(client, partner) -> None:
    client.force_login(partner)
    draft = _new_draft(client)
    client.logout()  # the session expired
    response = client.post(_url("portal-child", draft), PAGES["child"])
    assert response.url == f"{reverse('portal-sign-in')}?next=%2Fportal%2Frestore%2F"
    assert (
        "What you typed on the last page has been kept" in client.get(response.url).content.decode()
    )
    client.force_login(partner)  # signing in again keeps the session's data
    restored = client.get(reverse("portal-restore"))
    assert restored.url == _url("portal-child", draft)
    draft.refresh_from_db()
    assert draft.answers["child_family_name"] == "Testington"
    assert draft.answers["child_date_of_birth"] == "2009-02-17"
    page = client.get(restored.url).content.decode()
    assert "what you typed on this page was kept" in page
    assert client.get(reverse("portal-restore")).status_code == 200  # nothing left to restore


def test_answers_typed_in_someone_else_s_draft_are_not_given_to_the_next_account(
    client, partner
) -> None:
    """A shared computer: what another partner typed goes to nobody else."""
    client.force_login(f.partner(username="other"))
    theirs = _new_draft(client)
    client.logout()
    client.post(_url("portal-child", theirs), PAGES["child"])
    client.force_login(partner)
    restored = client.get(reverse("portal-restore"))
    assert restored.status_code == 200
    assert "Nothing to restore" in restored.content.decode()
    assert not SubmissionDraft.objects.filter(owner=partner).exists()
    theirs.refresh_from_db()
    assert "child_family_name" not in theirs.answers


def test_a_date_with_huge_numbers_is_a_message_not_an_error(client, partner) -> None:
    client.force_login(partner)
    draft = _new_draft(client)
    page = PAGES["child"] | {"child_date_of_birth_2": "99999999999999999999"}
    response = client.post(_url("portal-child", draft), page)
    assert response.status_code == 200
    assert "must" in response.content.decode()


def test_control_characters_are_left_out_of_the_draft(client, partner) -> None:
    client.force_login(partner)
    draft = _new_draft(client)
    page = PAGES["child"] | {"child_given_name": "Ame\x00lia"}
    client.post(_url("portal-child", draft), page)
    draft.refresh_from_db()
    assert draft.answers["child_given_name"] == "Amelia"


def test_the_status_pages_log_each_child_shown(client, partner) -> None:
    from earlyhelp.audit.models import AccessLog

    client.force_login(partner)
    draft = _new_draft(client)
    _answer_everything(client, draft)
    client.post(reverse("portal-check", kwargs={"draft_id": draft.pk}))
    sent = Notification.objects.get()
    before = AccessLog.objects.filter(actor_id=partner.pk, person_id=sent.person_id).count()
    page = client.get(
        reverse("portal-notification", kwargs={"notification_ref": sent.notification_ref})
    )
    assert page.status_code == 200
    after = AccessLog.objects.filter(actor_id=partner.pk, person_id=sent.person_id).count()
    assert after == before + 1


def test_the_portal_is_for_partners(client, partner) -> None:
    client.force_login(f.UserFactory(username="prac"))
    assert client.get(reverse("portal-home")).status_code == 403
    assert client.get(reverse("portal-notifications")).status_code == 403
    assert client.get(reverse("portal-start")).status_code == 200


def test_a_code_signs_in_without_two_factor_where_staff_need_it(client, partner, settings):
    """Production: staff must use two-factor sign-in; partners (no case records) need not."""
    settings.EARLYHELP_DEMO_SKIP_2FA = False
    client.post(reverse("portal-code-request"), {"email": "sam.teacher@example.org"})
    code = re.search(r"\b(\d{6})\b", mail.outbox[-1].body).group(1)
    assert client.post(reverse("portal-code-enter"), {"code": code}).url == reverse("portal-home")
    assert client.get(reverse("portal-home")).status_code == 200
    client.force_login(f.UserFactory(username="prac"))
    assert "two-factor" in client.get(reverse("home")).url
