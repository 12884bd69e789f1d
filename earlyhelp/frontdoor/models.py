"""Notifications (requests for early help) and their triage at the front door."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from earlyhelp.common.models import Tracked
from earlyhelp.domain.codes import Category, Sex, Source, TriageDecision, choices
from earlyhelp.organisation.models import OrgUnit, User
from earlyhelp.people.models import Family, FamilyConsent, Person


class Notification(Tracked):
    """A request for early help about one child. Several children: several notifications."""

    notification_ref = models.CharField(max_length=64, unique=True)
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="notifications")
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="notifications")
    received_at = models.DateTimeField(db_index=True)
    source = models.CharField(max_length=20, choices=choices(Source))
    category = models.CharField(max_length=20, choices=choices(Category))
    reason = models.TextField(blank=True)
    what_has_been_tried = models.TextField(blank=True)
    family_consent = models.BooleanField(null=True, blank=True)
    referrer_name = models.CharField(max_length=200, blank=True)
    referrer_organisation = models.CharField(max_length=200, blank=True)
    referrer_email = models.EmailField(blank=True)
    referrer_phone = models.CharField(max_length=30, blank=True)
    submitted_by_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    # Triage
    due_on = models.DateField(db_index=True)
    triaged_at = models.DateTimeField(null=True, blank=True, db_index=True)
    triage_decision = models.CharField(max_length=20, choices=choices(TriageDecision), blank=True)
    threshold_level = models.PositiveSmallIntegerField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    triaged_by_id = models.BigIntegerField(null=True, blank=True)
    triaged_by_name = models.CharField(max_length=150, blank=True)
    referrer_informed_at = models.DateTimeField(null=True, blank=True)
    referrer_informed_how = models.CharField(max_length=200, blank=True)
    urgent = models.BooleanField(
        default=False, help_text="The referrer asked for it to be screened the same day"
    )
    screening_started_at = models.DateTimeField(null=True, blank=True)
    screening_started_by_name = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["received_at"]
        indexes = [models.Index(fields=["family", "received_at"])]
        constraints = [
            models.CheckConstraint(
                name="notification_triage_complete_or_pending",
                condition=(
                    Q(triaged_at__isnull=True, triage_decision="", threshold_level__isnull=True)
                    | Q(
                        triaged_at__isnull=False,
                        threshold_level__gte=1,
                        threshold_level__lte=4,
                        triage_decision__in=[d.value for d in TriageDecision],
                    )
                ),
            ),
            models.CheckConstraint(
                name="notification_triaged_after_received",
                condition=Q(triaged_at__isnull=True) | Q(triaged_at__gte=models.F("received_at")),
            ),
        ]

    def __str__(self) -> str:
        return self.notification_ref

    @property
    def is_pending(self) -> bool:
        return self.triaged_at is None


class StepDownProposal(Tracked):
    """A child proposed by Specialist Children's Services (SCS) for step-down to early help.

    The district's step-down panel decides: accepted proposals become notifications (source
    SCS, category SCS_STEP_DOWN) about a known or newly recorded child; declined ones end
    there; deferred ones come back to a later panel.
    """

    class Status(models.TextChoices):
        PENDING = "PENDING", "Waiting for the panel"
        ACCEPTED = "ACCEPTED", "Accepted"
        DECLINED = "DECLINED", "Declined"
        DEFERRED = "DEFERRED", "Deferred to a later panel"

    proposal_ref = models.CharField(max_length=64, unique=True)
    district = models.ForeignKey(
        OrgUnit, on_delete=models.PROTECT, related_name="step_down_proposals"
    )
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=1, choices=choices(Sex))
    postcode = models.CharField(max_length=8)
    scs_worker = models.CharField("SCS worker", max_length=200)
    summary = models.TextField("reason and summary of SCS involvement")
    proposed_on = models.DateField("proposed step-down date")
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    decided_on = models.DateField(null=True, blank=True)
    decision_reason = models.TextField(blank=True)
    decided_by_id = models.BigIntegerField(null=True, blank=True)
    decided_by_name = models.CharField(max_length=150, blank=True)
    person = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notification = models.OneToOneField(
        Notification,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="step_down_proposal",
    )

    class Meta:
        ordering = ["proposed_on", "proposal_ref"]
        constraints = [
            models.CheckConstraint(
                name="step_down_decided_iff_not_pending",
                condition=Q(status="PENDING", decided_on__isnull=True)
                | (~Q(status="PENDING") & Q(decided_on__isnull=False)),
            ),
            models.CheckConstraint(
                name="step_down_accepted_iff_notification",
                condition=Q(status="ACCEPTED", notification__isnull=False, person__isnull=False)
                | (~Q(status="ACCEPTED") & Q(notification__isnull=True)),
            ),
        ]

    def __str__(self) -> str:
        return self.proposal_ref

    @property
    def child_name(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def is_open(self) -> bool:
        """Still to be decided: waiting for the panel, or deferred to a later one."""
        return self.status in {self.Status.PENDING, self.Status.DEFERRED}


class PartnerSubmission(models.Model):
    """A notification as a partner sent it (portal, API or police feed), kept as typed.

    Recorded at once, the row is written last in the transaction that records the
    notification, and claims `(account, Idempotency-Key)`: a retried request with the same
    key waits for, then finds, the first one instead of creating a second notification.
    Received into the queue (the API with `EARLYHELP_SUBMISSIONS=queued`), the row is
    written alone, with the notification's reference, and `notification` is set when
    `partner_submissions_record` records it.
    """

    class Channel(models.TextChoices):
        PORTAL = "PORTAL", "Partner portal"
        API = "API", "API"
        POLICE_FEED = "POLICE_FEED", "Police bulk feed"

    submitted_by = models.ForeignKey(User, on_delete=models.PROTECT, related_name="submissions")
    channel = models.CharField(max_length=12, choices=Channel.choices)
    idempotency_key = models.CharField(max_length=255, blank=True)
    fingerprint = models.CharField(max_length=64)
    answers = models.JSONField()
    received_at = models.DateTimeField(db_index=True)
    notification = models.OneToOneField(
        Notification,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="partner_submission",
    )
    consent = models.ForeignKey(
        FamilyConsent,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text="The consent to tell the referrer the outcome, given with the submission",
    )
    reference = models.CharField(
        max_length=64,
        blank=True,
        help_text="The notification's reference, given when the submission was received "
        "and recorded later (queued intake: decision 0017); blank when recorded at once",
    )
    recording_error = models.TextField(
        blank=True,
        help_text="Why a queued submission could not be recorded (it is then left for an "
        "administrator: decision 0017)",
    )

    class Meta:
        ordering = ["received_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["submitted_by", "idempotency_key"],
                condition=~Q(idempotency_key=""),
                name="partner_submission_idempotency_key_unique",
            ),
            models.UniqueConstraint(
                fields=["reference"],
                condition=~Q(reference=""),
                name="partner_submission_reference_unique",
            ),
        ]
        indexes = [
            models.Index(
                fields=["id"],
                condition=Q(notification__isnull=True, recording_error=""),
                name="partner_submission_queued",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_channel_display()} submission {self.pk}"


class SubmissionDraft(models.Model):
    """A partner's notification not sent yet: every answer saved as it is typed."""

    owner = models.ForeignKey(User, on_delete=models.CASCADE, related_name="submission_drafts")
    answers = models.JSONField(default=dict)
    step = models.CharField(max_length=40, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        ordering = ["-updated_at"]

    def __str__(self) -> str:
        return f"Draft {self.pk}"
