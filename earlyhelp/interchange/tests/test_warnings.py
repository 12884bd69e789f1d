"""Imported history that breaks a rule of the live workflow only: kept, with a warning."""

from __future__ import annotations

import pytest

from earlyhelp.casework.models import Case, Review
from earlyhelp.common.models import ImportBatch
from earlyhelp.interchange.tests.helpers import import_dir, with_rows, write_dataset

pytestmark = pytest.mark.django_db


def test_a_plan_agreed_before_the_assessment_started_is_kept_with_a_warning(tmp_path):
    dataset = write_dataset(
        tmp_path,
        cases=with_rows("cases", "C2,,F1,EHU1,W1,2016-02-01,2016-02-10,,2016-02-05,,"),
    )

    result = import_dir(dataset)

    assert result.warnings == [
        "cases.csv:3: warning: plan_agreed_on 2016-02-05: a family plan cannot be agreed "
        "before the assessment has started",
        "cases.csv:3: warning: family F1 has two cases open at once: C2 and C1 (opened 2016-01-05)",
    ]
    case = Case.objects.get(case_ref="C2")
    assert (case.plan_agreed_on.isoformat(), case.import_batch_id) == (
        "2016-02-05",
        result.batch_id,
    )
    assert ImportBatch.objects.get().warnings == result.warnings


def test_other_live_rules_give_warnings(tmp_path):
    dataset = write_dataset(
        tmp_path,
        org_units=with_rows("org_units", "EHU2,Unit Two,UNIT,DN1,EARLY_HELP_UNIT"),
        people=with_rows("people", "P3,F1,Cat,Smith,,U,CHILD,,A8012000010ZZ,"),
        cases=with_rows(
            "cases",
            "C2,,F1,EHU2,W1,2016-07-01,,,,2016-07-02,CONSENT_WITHDRAWN",
            "C3,,F1,EHU1,,2016-07-03,2016-07-04,,,2016-07-03,MOVED_AWAY",
        ),
        reviews=with_rows("reviews", "C3,2016-07-03"),
    )

    result = import_dir(dataset)

    assert result.warnings == [
        "people.csv:4: warning: upn A8012000010ZZ: a unique pupil number is a letter, "
        "11 digits and a digit or letter",
        "cases.csv:3: warning: closed_on 2016-07-02: closing because consent was withdrawn "
        "needs a unit leader's authorisation",
        "cases.csv:3: warning: worker_code W1 works in EHU1, not in EHU2",
        "cases.csv:4: warning: assessment_started_on 2016-07-04: the case is closed: "
        "re-open it before you start an assessment",
        "reviews.csv:3: warning: review_date 2016-07-03: a review cannot be recorded before a "
        "family plan has been agreed",
    ]
    assert Case.objects.count() == 3
    assert Review.objects.filter(case__case_ref="C3").count() == 1


def test_notifications_and_cases_that_do_not_fit_together(tmp_path, settings):
    settings.EARLYHELP_TODAY = "2016-07-01"
    dataset = write_dataset(
        tmp_path,
        families=with_rows("families", "F2,DN1,,"),
        notifications=with_rows(
            "notifications",
            "N2,P2,2016-01-04T09:00,POLICE,STANDARD,,,",
            "N3,P1,2016-07-02T09:00,POLICE,STANDARD,,,",
        ),
        cases=with_rows("cases", "C2,N1,F2,EHU1,,2016-01-03,,,,,"),
    )

    result = import_dir(dataset)

    assert result.warnings == [
        "notifications.csv:3: warning: person_id P2 is a PARENT_CARER, not a CHILD",
        "notifications.csv:4: warning: received_at 2016-07-02T09:00 is in the future",
        "cases.csv:3: warning: notification N1 is about family F1, not this one",
        "cases.csv:3: warning: opened_on 2016-01-03 is before notification N1 was received "
        "(2016-01-04)",
    ]
