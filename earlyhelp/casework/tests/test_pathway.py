"""The Kent Family Support Framework from notification to closure, through the services."""

from __future__ import annotations

import datetime as dt

import pytest

from earlyhelp.audit.models import CaseEvent, ChangeRecord
from earlyhelp.casework import services
from earlyhelp.casework.models import Allocation, Case, ScsReferral
from earlyhelp.casework.services.plan import ActionInput, OutcomeInput
from earlyhelp.common.errors import InvalidInput, NotFound, PermissionRefused, StaleRecord
from earlyhelp.domain.codes import ClosureReason, NoteKind, TriageDecision
from earlyhelp.domain.events import EventKind
from earlyhelp.testing import factories as f

pytestmark = pytest.mark.django_db

D = dt.date


def _route(triage, notification, decision, unit=None, worker=None, **kw):
    return services.notification_route(
        user=triage,
        notification=notification,
        version=notification.version,
        threshold_level=3,
        decision=decision,
        decision_reason="Several needs: school attendance, parental mental health.",
        unit=unit,
        worker=worker,
        triaged_at=kw.pop("triaged_at", notification.received_at + dt.timedelta(hours=20)),
        **kw,
    )


PLAN_DAY = D(2016, 5, 20)


def _plan(case, user, on=PLAN_DAY):
    return services.plan_agree(
        user=user,
        case=case,
        version=case.version,
        agreed_on=on,
        outcomes=[
            OutcomeInput(
                "Amy is in school every day",
                [ActionInput("Walk to school together", "Mum", D(2016, 6, 1))],
            )
        ],
    )


def test_the_whole_pathway(triage, practitioner, leader, notification, unit_n1):
    routed = _route(triage, notification, TriageDecision.ASSESS_EHU, unit_n1, practitioner.worker)
    case = routed.case
    assert case is not None
    assert case.notification_id == notification.pk
    assert case.allocations.get().worker == practitioner.worker
    assessment = services.assessment_start(
        user=practitioner, case=case, version=case.version, started_on=D(2016, 5, 5)
    )
    assessment = services.assessment_update(
        user=practitioner,
        assessment=assessment,
        version=assessment.version,
        family_view="We want mornings to be calmer.",
        child_voice="I like school when I get there on time.",
        worries="Amy misses two days a week.",
        working_well="Grandmother helps after school.",
        needs_to_happen="A morning routine.",
        scale=4,
    )
    case.refresh_from_db()
    case = services.assessment_complete(
        user=practitioner, case=case, version=case.version, completed_on=D(2016, 5, 12)
    )
    plan = _plan(case, practitioner)
    assert plan.outcomes.get().actions.count() == 1
    case.refresh_from_db()
    services.review_record(
        user=practitioner,
        case=case,
        version=case.version,
        review_date=D(2016, 6, 24),
        summary="Attendance up to 90%.",
        scale=7,
    )
    services.case_note_add(
        user=practitioner,
        case=case,
        occurred_on=D(2016, 6, 25),
        kind=NoteKind.HOME_VISIT,
        text="Visited; routine holding.",
    )
    case.refresh_from_db()
    assert (case.last_review_on, case.last_contact_on) == (D(2016, 6, 24), D(2016, 6, 25))
    closed = services.case_close(
        user=practitioner,
        case=case,
        version=case.version,
        closed_on=D(2016, 6, 29),
        reason=ClosureReason.OUTCOMES_ACHIEVED,
        summary="Amy attends every day.",
    )
    assert closed.closed_on == D(2016, 6, 29)
    assert not Allocation.objects.filter(case=closed, ended_on__isnull=True).exists()
    kinds = list(CaseEvent.objects.filter(case_id=case.pk).values_list("kind", flat=True))
    for kind in (
        EventKind.CASE_OPENED,
        EventKind.ASSESSMENT_STARTED,
        EventKind.ASSESSMENT_COMPLETED,
        EventKind.PLAN_AGREED,
        EventKind.REVIEW_RECORDED,
        EventKind.NOTE_ADDED,
        EventKind.CASE_CLOSED,
    ):
        assert kind in kinds


def test_plan_refused_before_assessment_starts(triage, practitioner, notification, unit_n1):
    case = _route(triage, notification, "ASSESS_EHU", unit_n1, practitioner.worker).case
    with pytest.raises(InvalidInput, match="before the assessment has started") as err:
        _plan(case, practitioner)
    assert err.value.field == "agreed_on"
    case.refresh_from_db()
    assert case.plan_agreed_on is None
    assert not hasattr(case, "plan") or case.plan is None


def test_review_refused_before_a_plan(triage, practitioner, notification, unit_n1):
    case = _route(triage, notification, "ASSESS_EHU", unit_n1, practitioner.worker).case
    with pytest.raises(InvalidInput, match="before a family plan"):
        services.review_record(
            user=practitioner,
            case=case,
            version=case.version,
            review_date=D(2016, 6, 1),
            summary="x",
        )


def test_consent_withdrawn_needs_the_unit_leader(
    triage, practitioner, leader, notification, unit_n1
):
    case = _route(triage, notification, "ASSESS_EHU", unit_n1, practitioner.worker).case
    close = dict(
        closed_on=D(2016, 6, 1), reason=ClosureReason.CONSENT_WITHDRAWN, summary="Family declined."
    )
    with pytest.raises(InvalidInput, match="unit leader's authorisation"):
        services.case_close(user=practitioner, case=case, version=case.version, **close)
    with pytest.raises(InvalidInput, match="unit leader's authorisation"):
        services.case_close(
            user=practitioner, case=case, version=case.version, authorised_by=practitioner, **close
        )
    closed = services.case_close(
        user=practitioner, case=case, version=case.version, authorised_by=leader, **close
    )
    assert closed.closure_authorised_by_id == leader.pk


def test_non_engagement_closure_is_refused(triage, practitioner, notification, unit_n1):
    case = _route(triage, notification, "ASSESS_EHU", unit_n1, practitioner.worker).case
    with pytest.raises(InvalidInput, match="non-engagement"):
        services.case_close(
            user=practitioner,
            case=case,
            version=case.version,
            closed_on=D(2016, 6, 1),
            reason="NON_ENGAGEMENT",
            summary="Did not answer.",
        )
    case.refresh_from_db()
    assert case.is_open


def test_already_open_links_to_the_open_case(triage, practitioner, notification, unit_n1):
    case = _route(triage, notification, "ASSESS_EHU", unit_n1, practitioner.worker).case
    sibling = f.PersonFactory(family=notification.family)
    second = f.NotificationFactory(person=sibling, received_at=notification.received_at)
    routed = _route(triage, second, TriageDecision.ALREADY_OPEN)
    assert routed.linked_case == case
    assert Case.objects.count() == 1
    assert case.linked_notifications.get().notification == second


def test_already_open_refused_without_an_open_case(triage, notification):
    with pytest.raises(InvalidInput, match="no open case") as err:
        _route(triage, notification, TriageDecision.ALREADY_OPEN)
    assert err.value.field == "decision"
    notification.refresh_from_db()
    assert notification.is_pending  # nothing half-written


def test_step_up_from_triage_records_the_referral(triage, notification):
    routed = _route(triage, notification, TriageDecision.STEP_UP_SCS)
    assert routed.scs_referral is not None
    assert ScsReferral.objects.get().notification == notification


def test_step_up_from_a_case_closes_it(triage, practitioner, notification, unit_n1):
    case = _route(triage, notification, "ASSESS_EHU", unit_n1, practitioner.worker).case
    closed = services.case_step_up(
        user=practitioner,
        case=case,
        version=case.version,
        on=D(2016, 6, 2),
        reason="Disclosure of harm.",
    )
    assert closed.closure_reason == ClosureReason.STEP_UP_SCS
    assert ScsReferral.objects.get().case == closed


def test_reopen_and_reallocate_keep_history(triage, practitioner, leader, notification, unit_n1):
    case = _route(triage, notification, "ASSESS_EHU", unit_n1, practitioner.worker).case
    new_worker = f.WorkerFactory(unit=unit_n1)
    case = services.case_allocate(
        user=leader,
        case=case,
        version=case.version,
        unit=unit_n1,
        worker=new_worker,
        on=D(2016, 5, 10),
        reason="Caseload balance",
    )
    assert list(case.allocations.values_list("worker_id", "ended_on")) == [
        (practitioner.worker_id, D(2016, 5, 10)),
        (new_worker.pk, None),
    ]
    case = services.case_close(
        user=leader,
        case=case,
        version=case.version,
        closed_on=D(2016, 6, 1),
        reason=ClosureReason.CLOSED_IN_ERROR,
        summary="Wrong family.",
    )
    case = services.case_reopen(
        user=leader,
        case=case,
        version=case.version,
        reopened_on=D(2016, 6, 2),
        reason="Closed in error",
    )
    assert case.is_open
    assert case.closure_reason == ""
    event = CaseEvent.objects.get(case_id=case.pk, kind=EventKind.CASE_REOPENED)
    assert event.data["previous_closure"]["reason"] == "CLOSED_IN_ERROR"


def test_practitioner_cannot_write_a_colleagues_case(triage, practitioner, notification, unit_n1):
    colleague = f.WorkerFactory(unit=unit_n1)
    case = _route(triage, notification, "ASSESS_EHU", unit_n1, colleague).case
    with pytest.raises(PermissionRefused):
        services.assessment_start(
            user=practitioner, case=case, version=case.version, started_on=D(2016, 5, 5)
        )


def test_other_units_cases_are_not_found(triage, other_practitioner, notification, unit_n1):
    case = _route(triage, notification, "ASSESS_EHU", unit_n1).case
    with pytest.raises(NotFound):
        services.case_note_add(
            user=other_practitioner,
            case=case,
            occurred_on=D(2016, 6, 1),
            kind=NoteKind.PHONE_CALL,
            text="x",
        )


def test_second_save_on_a_stale_version_is_refused(triage, practitioner, notification, unit_n1):
    case = _route(triage, notification, "ASSESS_EHU", unit_n1, practitioner.worker).case
    assessment = services.assessment_start(
        user=practitioner, case=case, version=case.version, started_on=D(2016, 5, 5)
    )
    first_copy = assessment
    second_copy = type(assessment).objects.get(pk=assessment.pk)
    services.assessment_update(
        user=practitioner, assessment=first_copy, version=first_copy.version, worries="A"
    )
    with pytest.raises(StaleRecord) as err:
        services.assessment_update(
            user=practitioner, assessment=second_copy, version=second_copy.version, worries="B"
        )
    assert "worries" in err.value.changes
    second_copy.refresh_from_db()
    assert second_copy.worries == "A"


def test_every_change_is_kept_in_the_history(triage, practitioner, notification, unit_n1):
    case = _route(triage, notification, "ASSESS_EHU", unit_n1, practitioner.worker).case
    services.assessment_start(
        user=practitioner, case=case, version=case.version, started_on=D(2016, 5, 5)
    )
    rows = ChangeRecord.objects.filter(entity="casework.case", entity_id=case.pk)
    assert [r.action for r in rows] == ["CREATE", "UPDATE"]
    update = rows.last()
    assert update.actor_name == "prac"
    assert update.changes["assessment_started_on"] == [None, "2016-05-05"]
    notification_rows = ChangeRecord.objects.filter(
        entity="frontdoor.notification", entity_id=notification.pk
    )
    assert notification_rows.get().changes["triage_decision"] == ["", "ASSESS_EHU"]


def test_triage_refused_twice_and_bad_level_named(triage, notification, unit_n1):
    with pytest.raises(InvalidInput) as err:
        services.notification_route(
            user=triage,
            notification=notification,
            version=notification.version,
            threshold_level=7,
            decision="NFA",
            decision_reason="",
        )
    assert err.value.field == "threshold_level"
    _route(triage, notification, "NFA")
    notification.refresh_from_db()
    with pytest.raises(InvalidInput, match="already been triaged"):
        _route(triage, notification, "NFA")
