"""Cases (episodes of early help) and their assessment, plan, reviews, notes and closure."""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q

from earlyhelp.common.models import Tracked
from earlyhelp.domain.codes import ActionStatus, ClosureReason, NoteKind, choices
from earlyhelp.frontdoor.models import Notification
from earlyhelp.organisation.models import OrgUnit, Worker
from earlyhelp.people.models import Family


class Case(Tracked):
    """An episode of early help casework with a family, held by a unit and a lead worker.

    The key dates live on the case itself (they are what the indicators and the
    interchange format speak of); the assessment, plan and reviews hold the content.
    """

    case_ref = models.CharField(max_length=64, unique=True)
    notification = models.ForeignKey(
        Notification, null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="cases")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="cases")
    worker = models.ForeignKey(
        Worker, null=True, blank=True, on_delete=models.PROTECT, related_name="cases"
    )
    opened_on = models.DateField(db_index=True)
    assessment_started_on = models.DateField(null=True, blank=True)
    assessment_completed_on = models.DateField(null=True, blank=True)
    plan_agreed_on = models.DateField(null=True, blank=True)
    last_review_on = models.DateField(null=True, blank=True)
    last_contact_on = models.DateField(null=True, blank=True)
    closed_on = models.DateField(null=True, blank=True, db_index=True)
    closure_reason = models.CharField(max_length=40, choices=choices(ClosureReason), blank=True)
    closure_summary = models.TextField(blank=True)
    closure_authorised_by_id = models.BigIntegerField(null=True, blank=True)
    reopened_from = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-opened_on", "case_ref"]
        indexes = [
            models.Index(fields=["unit", "closed_on"]),
            models.Index(fields=["worker", "closed_on"]),
            models.Index(fields=["family", "closed_on"]),
        ]
        constraints = [
            models.CheckConstraint(
                name="case_closure_reason_iff_closed",
                condition=Q(closed_on__isnull=True, closure_reason="")
                | Q(
                    closed_on__isnull=False,
                    closure_reason__in=[r.value for r in ClosureReason],
                ),
            ),
            models.CheckConstraint(
                name="case_closed_not_before_opened",
                condition=Q(closed_on__isnull=True) | Q(closed_on__gte=F("opened_on")),
            ),
            models.CheckConstraint(
                name="case_assessment_started_not_before_opened",
                condition=Q(assessment_started_on__isnull=True)
                | Q(assessment_started_on__gte=F("opened_on")),
            ),
            models.CheckConstraint(
                name="case_assessment_completed_after_started",
                condition=Q(assessment_completed_on__isnull=True)
                | Q(
                    assessment_started_on__isnull=False,
                    assessment_completed_on__gte=F("assessment_started_on"),
                ),
            ),
            models.CheckConstraint(
                name="case_plan_not_before_opened",
                condition=Q(plan_agreed_on__isnull=True) | Q(plan_agreed_on__gte=F("opened_on")),
            ),
        ]

    def __str__(self) -> str:
        return self.case_ref

    @property
    def is_open(self) -> bool:
        return self.closed_on is None


class Allocation(models.Model):
    """Who held the case and when: one row per allocation, the current one has no end."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="allocations")
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    worker = models.ForeignKey(
        Worker, null=True, blank=True, on_delete=models.PROTECT, related_name="allocations"
    )
    started_on = models.DateField()
    ended_on = models.DateField(null=True, blank=True)
    reason = models.CharField(max_length=300, blank=True)
    allocated_by_id = models.BigIntegerField(null=True, blank=True)
    allocated_by_name = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["started_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["case"], condition=Q(ended_on__isnull=True), name="one_current_allocation"
            ),
            models.CheckConstraint(
                name="allocation_ends_after_start",
                condition=Q(ended_on__isnull=True) | Q(ended_on__gte=F("started_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.case} → {self.unit} from {self.started_on}"


class Assessment(Tracked):
    """The whole-family assessment, with Signs of Safety mapping and its 0–10 scale."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="assessment")
    started_on = models.DateField()
    completed_on = models.DateField(null=True, blank=True)
    child_development = models.TextField("child's developmental needs", blank=True)
    parenting_capacity = models.TextField(blank=True)
    family_environment = models.TextField("family and environmental factors", blank=True)
    family_view = models.TextField("the family's own view", blank=True)
    child_voice = models.TextField("the voice of the child", blank=True)
    worries = models.TextField("what are we worried about?", blank=True)
    working_well = models.TextField("what's working well?", blank=True)
    needs_to_happen = models.TextField("what needs to happen?", blank=True)
    scale = models.PositiveSmallIntegerField("Signs of Safety scale (0–10)", null=True, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="assessment_scale_0_to_10",
                condition=Q(scale__isnull=True) | Q(scale__gte=0, scale__lte=10),
            ),
            models.CheckConstraint(
                name="assessment_completed_after_started",
                condition=Q(completed_on__isnull=True) | Q(completed_on__gte=F("started_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"Assessment of {self.case}"


class Plan(Tracked):
    """The family plan: outcomes the family wants, each with actions."""

    case = models.OneToOneField(Case, on_delete=models.CASCADE, related_name="plan")
    agreed_on = models.DateField()

    def __str__(self) -> str:
        return f"Plan of {self.case}"


class PlanOutcome(Tracked):
    plan = models.ForeignKey(Plan, on_delete=models.CASCADE, related_name="outcomes")
    position = models.PositiveSmallIntegerField(default=1)
    description = models.TextField()
    achieved_on = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.description[:60]


class PlanAction(Tracked):
    outcome = models.ForeignKey(PlanOutcome, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField()
    owner = models.CharField(max_length=200, help_text="Who will do it: family member or agency")
    due_on = models.DateField()
    status = models.CharField(
        max_length=20, choices=choices(ActionStatus), default=ActionStatus.NOT_STARTED
    )
    progress = models.TextField(blank=True)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return self.description[:60]


class Review(Tracked):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="reviews")
    review_date = models.DateField()
    summary = models.TextField(blank=True)
    scale = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["review_date", "id"]
        indexes = [models.Index(fields=["case", "review_date"])]
        constraints = [
            models.UniqueConstraint(fields=["case", "review_date"], name="one_review_a_day"),
            models.CheckConstraint(
                name="review_scale_0_to_10",
                condition=Q(scale__isnull=True) | Q(scale__gte=0, scale__lte=10),
            ),
        ]

    def __str__(self) -> str:
        return f"Review of {self.case} on {self.review_date}"


class CaseNote(Tracked):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    occurred_on = models.DateField()
    kind = models.CharField(max_length=30, choices=choices(NoteKind))
    text = models.TextField()
    author_id = models.BigIntegerField(null=True, blank=True)
    author_name = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["-occurred_on", "-id"]
        indexes = [models.Index(fields=["case", "occurred_on"])]

    def __str__(self) -> str:
        return f"{self.kind} on {self.occurred_on}"


class LinkedNotification(models.Model):
    """A notification triaged `ALREADY_OPEN`, linked to the case already open."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="linked_notifications")
    notification = models.OneToOneField(
        Notification, on_delete=models.CASCADE, related_name="linked_case"
    )
    linked_on = models.DateField()

    def __str__(self) -> str:
        return f"{self.notification} → {self.case}"


class ScsReferral(models.Model):
    """A step-up: a referral to Specialist Children's Services, from triage or from a case."""

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="scs_referrals")
    notification = models.ForeignKey(
        Notification, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    case = models.ForeignKey(
        Case, null=True, blank=True, on_delete=models.PROTECT, related_name="scs_referrals"
    )
    referred_on = models.DateField()
    reason = models.TextField()
    referred_by_id = models.BigIntegerField(null=True, blank=True)
    referred_by_name = models.CharField(max_length=150, blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="scs_referral_from_notification_or_case",
                condition=Q(notification__isnull=False) | Q(case__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"Step-up of {self.family} on {self.referred_on}"
