"""The default-seeded demo county: structure, constraints, domain rules, accounts, calibration.

One county is built for the whole module (see conftest). Calibration tolerance: three
standard errors of a binomial proportion at the figure's own denominator (at least one
point), i.e. how far sampling alone plausibly moves a rate in a county of this size. At
the test's 3,000 families that is about ±1.7 points for EH03, ±4 for EH01, ±5 for EH04
and ±6 for EH05 in 2014-15; at the default size the same rule gives ±0.5 to ±2. EH02 is
exact by construction (the SCS closures are derived from the step-downs), up to rounding.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from datetime import date

import pytest
from django.db import connection
from django.db.models import Count, F, Max, Q

from earlyhelp.audit.models import CaseEvent
from earlyhelp.casework.models import (
    Allocation,
    Assessment,
    Case,
    CaseNote,
    LinkedNotification,
    Plan,
    Review,
    ScsReferral,
)
from earlyhelp.common import clock
from earlyhelp.demo.calibration import calibration_report
from earlyhelp.demo.digest import GENERATED
from earlyhelp.demo.rates import HISTORY_END, HISTORY_START
from earlyhelp.demo.users import DEMO_PASSWORD
from earlyhelp.domain import casestate, identifiers
from earlyhelp.domain.codes import (
    ASSESSMENT_DECISIONS,
    CONTACT_NOTE_KINDS,
    Category,
    ClosureReason,
    OrgKind,
    RoleInFamily,
    Service,
    Source,
    TriageDecision,
    UserRole,
    WorkerRole,
)
from earlyhelp.domain.events import EventKind
from earlyhelp.domain.workingdays import triage_due_date
from earlyhelp.frontdoor.models import Notification, StepDownProposal
from earlyhelp.organisation.models import OrgUnit, User, Worker
from earlyhelp.people.models import Family, Person
from earlyhelp.performance.models import ContextFigure

pytestmark = pytest.mark.django_db


def test_organisation_is_kent(demo_county: int) -> None:
    units = OrgUnit.objects.filter(kind=OrgKind.UNIT)
    assert OrgUnit.objects.get(kind=OrgKind.COUNTY).code == "KENT"
    assert OrgUnit.objects.filter(kind=OrgKind.AREA).count() == 4
    assert OrgUnit.objects.filter(kind=OrgKind.DISTRICT).count() == 12
    assert units.filter(service=Service.EARLY_HELP_UNIT).count() == 44
    assert units.filter(service=Service.YOUTH_HUB).count() == 12
    per_district = Counter(
        units.filter(service=Service.EARLY_HELP_UNIT).values_list("parent__code", flat=True)
    )
    assert min(per_district.values()) >= 2
    assert per_district["THA"] > per_district["SEV"]
    for code in ("TRIAGE", "YJ"):
        assert OrgUnit.objects.get(code=code).parent.kind == OrgKind.COUNTY
    for unit in units.filter(service=Service.EARLY_HELP_UNIT):
        roles = Counter(unit.workers.values_list("role", flat=True))
        assert roles[WorkerRole.UNIT_LEADER] == 1
        assert roles[WorkerRole.SENIOR_PRACTITIONER] == 1
        assert roles[WorkerRole.PRACTITIONER] == 3
        assert unit.workers.get(role=WorkerRole.BUSINESS_SUPPORT).fte == 0.5
    assert Worker.objects.filter(fte__lt=1, role=WorkerRole.PRACTITIONER).exists()
    assert Worker.objects.filter(role=WorkerRole.MANAGER).count() == 16


def test_database_constraints_hold(demo_county: int) -> None:
    connection.check_constraints()  # foreign keys
    for model in GENERATED:
        ids = list(model._default_manager.order_by("pk").values_list("pk", flat=True))
        sample = model._default_manager.filter(pk__in=ids[:: max(1, len(ids) // 25)])
        # A case event's empty payload ({}) counts as blank to model validation.
        exclude = ["data"] if model is CaseEvent else None
        for row in sample:
            row.full_clean(exclude=exclude, validate_unique=False)  # choices, lengths, checks


def test_identifiers_are_valid(demo_county: int) -> None:
    for postcode, lsoa in Family.objects.values_list("postcode", "lsoa_code"):
        assert identifiers.normalise_postcode(postcode) == postcode
        assert identifiers.validate_lsoa(lsoa) == lsoa
    people = Person.objects.all()
    for upn in people.exclude(upn="").values_list("upn", flat=True):
        assert identifiers.normalise_upn(upn) == upn
    for nhs in people.exclude(nhs_number="").values_list("nhs_number", flat=True):
        assert identifiers.normalise_nhs_number(nhs) == nhs
    assert people.exclude(upn="").exists()
    assert people.exclude(nhs_number="").exists()
    assert not people.filter(date_of_birth__gt=HISTORY_END).exists()


def test_everything_happens_inside_the_history(demo_county: int) -> None:
    assert not Notification.objects.filter(received_at__lt=clock.start_of_day(HISTORY_START))
    assert not Notification.objects.filter(received_at__gte=clock.start_of_day(date(2018, 4, 1)))
    assert not Case.objects.filter(Q(opened_on__lt=HISTORY_START) | Q(closed_on__gt=HISTORY_END))
    assert not Review.objects.filter(review_date__gt=HISTORY_END)
    assert not CaseNote.objects.filter(occurred_on__gt=HISTORY_END)
    assert not CaseEvent.objects.filter(occurred_on__gt=HISTORY_END)


def test_every_code_is_used(demo_county: int) -> None:
    notifications = Notification.objects.all()
    assert set(notifications.values_list("source", flat=True)) == set(Source)
    assert set(notifications.values_list("category", flat=True)) == set(Category)
    decisions = set(
        notifications.exclude(triage_decision="").values_list("triage_decision", flat=True)
    )
    assert decisions == set(TriageDecision)
    reasons = set(Case.objects.exclude(closure_reason="").values_list("closure_reason", flat=True))
    assert reasons == set(ClosureReason)
    assert set(CaseEvent.objects.values_list("kind", flat=True)) <= set(EventKind)


def test_notifications_follow_the_front_door_rules(demo_county: int) -> None:
    rows = Notification.objects.select_related("person").values_list(
        "received_at", "category", "source", "due_on", "triaged_at", "triage_decision",
        "threshold_level", "person__role_in_family", "person__family_id", "family_id",
        "person__date_of_birth",
    )  # fmt: skip
    levels = {
        TriageDecision.STEP_UP_SCS: {4},
        TriageDecision.ASSESS_EHU: {2, 3},
        TriageDecision.ASSESS_OPEN_ACCESS: {2, 3},
        TriageDecision.NFA: {1, 2},
        TriageDecision.OPEN_ACCESS: {1, 2},
        TriageDecision.COMMISSIONED: {2},
        TriageDecision.ALREADY_OPEN: {2, 3},
    }
    pending = 0
    for received, category, source, due, triaged, decision, level, role, fam, family, dob in rows:
        received_on = clock.local_date(received)
        assert due == triage_due_date(received_on, category)
        assert role == RoleInFamily.CHILD
        assert fam == family
        assert dob <= received_on
        if category in (Category.MISSING_CHILD, Category.E_YOT):
            assert source == Source.POLICE
        if category == Category.SCS_STEP_DOWN:
            assert source == Source.SCS
        if triaged is None:
            pending += 1
            assert received_on >= date(2018, 3, 20)
            continue
        assert triaged >= received
        assert level in levels[decision]
    assert pending > 0


def test_assessment_decisions_open_cases_and_siblings_are_linked(demo_county: int) -> None:
    assessed = Notification.objects.filter(triage_decision__in=list(ASSESSMENT_DECISIONS))
    assert assessed.count() == Case.objects.count()
    assert not assessed.annotate(n=Count("cases")).exclude(n=1).exists()
    already_open = Notification.objects.filter(triage_decision=TriageDecision.ALREADY_OPEN)
    assert already_open.count() == LinkedNotification.objects.count()
    for link in LinkedNotification.objects.select_related("case", "notification"):
        case, notification = link.case, link.notification
        assert case.family_id == notification.family_id
        assert link.linked_on == clock.local_date(notification.triaged_at)
        assert case.opened_on <= link.linked_on
        assert case.closed_on is None or link.linked_on <= case.closed_on


def test_casework_follows_the_live_workflow(demo_county: int) -> None:
    cases = Case.objects.all()
    assert not cases.filter(plan_agreed_on__isnull=False, assessment_started_on__isnull=True)
    assert not cases.filter(plan_agreed_on__lt=F("assessment_started_on"))
    assert not cases.filter(assessment_completed_on__lt=F("assessment_started_on"))
    reviews = Review.objects.all()
    assert not reviews.filter(case__plan_agreed_on__isnull=True)
    assert not reviews.filter(review_date__lt=F("case__plan_agreed_on"))
    assert not reviews.filter(review_date__gt=F("case__closed_on"))
    for case in cases.exclude(closure_reason=""):
        casestate.refuse_non_engagement(case.closure_reason)
    leaders = dict(User.objects.filter(role=UserRole.UNIT_LEADER).values_list("pk", "org_unit_id"))
    for case in cases.filter(closure_reason=ClosureReason.CONSENT_WITHDRAWN):
        assert leaders[case.closure_authorised_by_id] == case.unit_id
    assert not cases.filter(closure_authorised_by_id__isnull=False).exclude(
        closure_reason=ClosureReason.CONSENT_WITHDRAWN
    )


def test_case_records_agree_with_the_case(demo_county: int) -> None:
    assessments = Assessment.objects.all()
    assert assessments.count() == Case.objects.filter(assessment_started_on__isnull=False).count()
    assert not assessments.exclude(started_on=F("case__assessment_started_on"))
    assert Plan.objects.count() == Case.objects.filter(plan_agreed_on__isnull=False).count()
    assert not Plan.objects.exclude(agreed_on=F("case__plan_agreed_on"))
    last_review = dict(
        Review.objects.values("case").annotate(m=Max("review_date")).values_list("case", "m")
    )
    contacts = CaseNote.objects.filter(kind__in=list(CONTACT_NOTE_KINDS))
    last_contact = dict(
        contacts.values("case").annotate(m=Max("occurred_on")).values_list("case", "m")
    )
    for pk, reviewed, contacted in Case.objects.values_list(
        "pk", "last_review_on", "last_contact_on"
    ):
        assert reviewed == last_review.get(pk)
        assert contacted == last_contact.get(pk)
    step_ups = Case.objects.filter(closure_reason=ClosureReason.STEP_UP_SCS)
    assert ScsReferral.objects.filter(case__isnull=False).count() == step_ups.count()
    triage_step_ups = Notification.objects.filter(triage_decision=TriageDecision.STEP_UP_SCS)
    assert ScsReferral.objects.filter(notification__isnull=False).count() <= triage_step_ups.count()


def test_every_open_case_has_a_current_allocation(demo_county: int) -> None:
    current = {a.case_id: a for a in Allocation.objects.filter(ended_on__isnull=True)}
    for case in Case.objects.all():
        if case.closed_on is None:
            allocation = current[case.pk]
            assert (allocation.unit_id, allocation.worker_id) == (case.unit_id, case.worker_id)
        else:
            assert case.pk not in current
    assert Allocation.objects.count() > Case.objects.count()  # some re-allocations
    assert Case.objects.filter(closed_on__isnull=True).count() > 100


def test_open_cases_at_the_end_include_drifting_ones(demo_county: int) -> None:
    open_cases = Case.objects.filter(closed_on__isnull=True)
    quiet = open_cases.filter(Q(last_contact_on__lt=date(2018, 2, 28)) | Q(last_contact_on=None))
    assert 0 < quiet.count() < open_cases.count() / 2
    assert open_cases.filter(plan_agreed_on__isnull=True).exists()
    assert open_cases.filter(opened_on__lt=date(2017, 9, 30)).exists()


def test_events_tell_each_story(demo_county: int) -> None:
    events = CaseEvent.objects.all()
    opened = Counter(events.filter(kind=EventKind.CASE_OPENED).values_list("case_id", flat=True))
    assert set(opened) == set(Case.objects.values_list("pk", flat=True))
    assert set(opened.values()) == {1}
    received = events.filter(
        kind__in=[EventKind.NOTIFICATION_RECEIVED, EventKind.STEP_DOWN_RECEIVED]
    )
    assert received.count() == Notification.objects.count()
    closed = events.filter(kind=EventKind.CASE_CLOSED).count()
    assert closed == Case.objects.filter(closed_on__isnull=False).count()
    assert not events.filter(family_id__isnull=True).exists()
    assert not events.filter(case_id__isnull=False, notification_id__isnull=True).exists()


def test_step_downs_come_from_the_district_panels(demo_county: int) -> None:
    step_downs = Notification.objects.filter(category=Category.SCS_STEP_DOWN)
    accepted = StepDownProposal.objects.filter(status=StepDownProposal.Status.ACCEPTED)
    assert accepted.count() == step_downs.count()
    assert not accepted.exclude(person_id=F("notification__person_id"))
    assert not accepted.exclude(district_id=F("notification__family__district_id"))
    assert StepDownProposal.objects.filter(status=StepDownProposal.Status.DECLINED).exists()


def test_scs_closures_cover_every_district_and_month(demo_county: int) -> None:
    figures = ContextFigure.objects.filter(measure="SCS_CLOSURES")
    assert figures.count() == 12 * 48
    assert set(figures.values_list("org_unit__kind", flat=True)) == {OrgKind.DISTRICT}


def test_re_referrals_happen(demo_county: int) -> None:
    by_family: dict[int, list[date]] = defaultdict(list)
    for family, received in Notification.objects.values_list("family_id", "received_at"):
        by_family[family].append(clock.local_date(received))
    assert sum(len(set(days)) > 1 for days in by_family.values()) > 100


def test_demo_accounts_cover_every_role(demo_county: int) -> None:
    users = User.objects.all()
    assert {u.role for u in users} == set(UserRole)
    for user in users:
        assert user.check_password(DEMO_PASSWORD)
    admin = users.get(role=UserRole.ADMINISTRATOR)
    assert admin.is_staff
    assert admin.is_superuser
    practitioner = users.get(role=UserRole.PRACTITIONER)
    assert practitioner.worker.role == WorkerRole.PRACTITIONER
    assert practitioner.worker.unit_id == practitioner.org_unit_id
    assert Case.objects.filter(worker=practitioner.worker, closed_on__isnull=True).exists()
    triage = users.get(role=UserRole.TRIAGE_OFFICER)
    assert triage.org_unit.service == Service.TRIAGE
    assert Notification.objects.filter(triaged_by_id=triage.pk).exists()
    assert users.get(role=UserRole.PARTNER).partner_organisation


def test_the_clock_is_set_to_the_end_of_the_history(demo_county: int) -> None:
    clock.clock_reset_cache()
    assert clock.today() == date(2018, 3, 31)


def tolerance(aimed_at: float, denominator: int) -> float:
    p = aimed_at / 100
    return max(1.0, 300 * math.sqrt(p * (1 - p) / denominator))


@pytest.mark.parametrize("year", [2015, 2018])
def test_figures_are_within_tolerance(demo_county: int, year: int) -> None:
    report = calibration_report(year)
    for code in ("EH01", "EH02", "EH03", "EH04", "EH05"):
        figure = report[code]
        assert figure["denominator"] > 100, code
        allowed = tolerance(figure["aimed_at"], figure["denominator"])
        assert abs(figure["value"] - figure["aimed_at"]) <= allowed, (code, figure, allowed)


def test_2014_15_is_the_baseline_and_2017_18_the_target(demo_county: int) -> None:
    first, last = calibration_report(2015), calibration_report(2018)
    assert first["EH03"]["aimed_at"] == 97.0
    assert last["EH03"]["aimed_at"] == 65.0
    assert first["EH05"]["aimed_at"] == 69.0
    assert last["EH05"]["aimed_at"] == 86.0
    assert first["EH03"]["value"] > last["EH03"]["value"]
    assert first["EH01"]["value"] > last["EH01"]["value"]
    assert first["EH06"]["value"] is None  # no closures before April 2014
    assert last["EH06"]["denominator"] > 100
