"""The organisation tree (county → areas → districts → units), workers and user accounts."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth.models import AbstractUser
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q

from earlyhelp.common.models import Tracked
from earlyhelp.domain.codes import OrgKind, Service, Source, UserRole, WorkerRole, choices


class OrgUnit(Tracked):
    code = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=10, choices=choices(OrgKind))
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="children"
    )
    service = models.CharField(max_length=30, choices=choices(Service), blank=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                name="orgunit_service_only_on_units",
                condition=(Q(kind=OrgKind.UNIT) & ~Q(service=""))
                | (~Q(kind=OrgKind.UNIT) & Q(service="")),
            ),
            models.CheckConstraint(
                name="orgunit_only_county_has_no_parent",
                condition=Q(kind=OrgKind.COUNTY, parent__isnull=True)
                | (~Q(kind=OrgKind.COUNTY) & Q(parent__isnull=False)),
            ),
        ]

    def __str__(self) -> str:
        return self.name


class Worker(Tracked):
    """A member of staff: practitioners, unit leaders, triage officers, managers."""

    code = models.CharField(max_length=64, unique=True)
    name = models.CharField(max_length=200)
    unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="workers")
    role = models.CharField(max_length=30, choices=choices(WorkerRole))
    fte = models.DecimalField(
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01")), MaxValueValidator(Decimal("1"))],
    )
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["code"]
        constraints = [
            models.CheckConstraint(
                name="worker_fte_in_range", condition=Q(fte__gt=0) & Q(fte__lte=1)
            ),
        ]

    def __str__(self) -> str:
        return self.name


class User(AbstractUser):
    """A person who signs in. Staff accounts link to their worker record.

    `role` is what the account may do (DESIGN.md's roles); `org_unit` is where in the
    organisation its scope starts (a unit, a district, an area or the county).
    """

    role = models.CharField(max_length=30, choices=choices(UserRole), blank=True)
    org_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    worker = models.OneToOneField(
        Worker, null=True, blank=True, on_delete=models.SET_NULL, related_name="user"
    )
    partner_organisation = models.CharField(max_length=200, blank=True)
    partner_source = models.CharField(
        "kind of partner organisation",
        max_length=20,
        choices=choices(Source),
        blank=True,
        help_text="Where a partner's notifications come from (school, police, health …)",
    )

    class Meta:
        ordering = ["username"]


class ApiToken(models.Model):
    """A key another system uses for the API, acting as one account with named scopes.

    Only a hash of the key is stored; the key itself is shown once, when issued.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=200)
    prefix = models.CharField(max_length=12, db_index=True)
    key_hash = models.CharField(max_length=64, unique=True)
    scopes = models.JSONField(default=list)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by_id = models.BigIntegerField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["user", "name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class SignInCode(models.Model):
    """A single-use code emailed to an occasional referrer so they can sign in.

    Only a hash of the code is kept; it expires after a few minutes and a few wrong tries.
    """

    email = models.EmailField(db_index=True)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Sign-in code for {self.email}"
