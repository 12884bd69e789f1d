"""Subject access: everything held about one person, as JSON and HTML, logged."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils.html import escape

from earlyhelp.audit.models import AccessAction, AccessLog
from earlyhelp.common.errors import NotFound
from earlyhelp.dataprotection import selectors as dp
from earlyhelp.dataprotection.subject_access import (
    SECTION_TITLES,
    render_html,
    subject_access_document,
)
from earlyhelp.testing import factories as f

pytestmark = pytest.mark.django_db


def test_the_document_holds_everything_about_the_person(household) -> None:
    document = subject_access_document(household.child)
    assert document["person"]["given_name"] == "Amy"
    assert document["person"]["nhs_number"] == "9434765919"
    assert document["households"][0]["address_line_1"] == "1 High Street"
    assert [m["name"] for m in document["household_members"]] == ["Jane Smith"]
    assert document["notifications"][0]["reason"] == "Amy Smith is often late to school"
    case = document["cases"][0]
    assert case["closure_summary"] == "Amy is back at school every day."
    assert case["assessment"]["child_voice"] == "Amy says she likes art"
    assert case["plan"]["outcomes"][0]["actions"][0]["description"] == "Walk Amy to school"
    assert case["reviews"][0]["summary"] == "Going well"
    assert case["notes"][0]["text"] == "Met Jane at home"
    assert document["consents"][0]["purpose"] == "SHARE_WITH_SCHOOL"
    assert document["change_history"][0]["changes"]["given_name"] == ["Aimee", "Amy"]
    assert document["case_events"][0]["kind"] == "CASE_CLOSED"
    assert document["access_log"][0]["what"] == "person record"
    json.dumps(document)  # machine-readable as it stands
    html = render_html(document)
    for title in SECTION_TITLES.values():
        assert escape(title) in html
    assert "Walk Amy to school" in html
    assert "Share information with the children&#x27;s school" in html


def test_the_command_writes_both_files_and_logs_the_export(household, tmp_path) -> None:
    out = io.StringIO()
    call_command("subject-access", household.child.person_ref.lower(), str(tmp_path), stdout=out)
    ref = household.child.person_ref
    data = json.loads((tmp_path / f"subject-access-{ref}.json").read_text())
    assert data["person_ref"] == ref
    assert "<h1>Everything held about" in (tmp_path / f"subject-access-{ref}.html").read_text()
    logged = AccessLog.objects.get(action=AccessAction.EXPORT)
    assert logged.person_id == household.child.pk
    assert logged.actor_name.startswith("earlyhelp subject-access")
    with pytest.raises(CommandError):
        call_command("subject-access", "P9999999", str(tmp_path))


def test_who_may_take_one(household) -> None:
    ref = household.child.person_ref
    assert dp.person_for_subject_access(user=household.dpo, ref=ref) == household.child
    assert dp.person_for_subject_access(user=household.manager, ref=ref) == household.child
    for user in (household.prac, f.UserFactory(role="MANAGER", org_unit=f.district("DS1", "AS"))):
        with pytest.raises(NotFound):
            dp.person_for_subject_access(user=user, ref=ref)
    with pytest.raises(NotFound):
        dp.person_for_subject_access(user=household.dpo, ref=household.family.family_ref)
