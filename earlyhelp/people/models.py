"""People and the households (families) they live in."""

from __future__ import annotations

from datetime import date

from django.db import models
from django.db.models import Q

from earlyhelp.common.models import Tracked
from earlyhelp.domain.codes import (
    ConsentPurpose,
    Ethnicity,
    RelationshipKind,
    RoleInFamily,
    Sex,
    choices,
)
from earlyhelp.organisation.models import OrgUnit, User


class Family(Tracked):
    """A household: the unit of whole-family early help."""

    family_ref = models.CharField(max_length=64, unique=True)
    district = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="families")
    address_line_1 = models.CharField(max_length=200, blank=True)
    address_line_2 = models.CharField(max_length=200, blank=True)
    town = models.CharField(max_length=100, blank=True)
    postcode = models.CharField(max_length=8, blank=True, db_index=True)
    lsoa_code = models.CharField(max_length=9, blank=True)
    restricted = models.BooleanField(
        default=False, help_text="Visible only to the named staff (for example a staff family)"
    )
    anonymised_on = models.DateField(
        null=True, blank=True, help_text="When the retention job anonymised the family's records"
    )

    class Meta:
        ordering = ["family_ref"]
        verbose_name_plural = "families"
        constraints = [
            models.CheckConstraint(
                name="family_lsoa_format",
                condition=Q(lsoa_code="") | Q(lsoa_code__regex=r"^E01[0-9]{6}$"),
            ),
        ]

    def __str__(self) -> str:
        return f"Family {self.family_ref}"


class Person(Tracked):
    person_ref = models.CharField(max_length=64, unique=True)
    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="members")
    given_name = models.CharField(max_length=100)
    family_name = models.CharField(max_length=100)
    date_of_birth = models.DateField(null=True, blank=True)
    sex = models.CharField(max_length=1, choices=choices(Sex))
    role_in_family = models.CharField(max_length=20, choices=choices(RoleInFamily))
    ethnicity = models.CharField(max_length=4, choices=choices(Ethnicity), blank=True)
    upn = models.CharField("unique pupil number", max_length=13, blank=True)
    nhs_number = models.CharField("NHS number", max_length=10, blank=True)
    # Phonetic keys of the names, kept by the services, for matching at the front door.
    given_name_key = models.CharField(max_length=20, blank=True, db_index=True)
    family_name_key = models.CharField(max_length=20, blank=True, db_index=True)
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged_from"
    )

    class Meta:
        ordering = ["family_name", "given_name"]
        verbose_name_plural = "people"
        indexes = [models.Index(fields=["date_of_birth"])]
        constraints = [
            models.UniqueConstraint(
                fields=["upn"],
                condition=~Q(upn="") & Q(merged_into__isnull=True),
                name="person_upn_unique",
            ),
            models.UniqueConstraint(
                fields=["nhs_number"],
                condition=~Q(nhs_number="") & Q(merged_into__isnull=True),
                name="person_nhs_number_unique",
            ),
            models.CheckConstraint(
                name="person_nhs_number_10_digits",
                condition=Q(nhs_number="") | Q(nhs_number__regex=r"^[0-9]{10}$"),
            ),
            models.CheckConstraint(
                name="person_not_merged_into_self", condition=~Q(merged_into=models.F("id"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.given_name} {self.family_name}"

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}"


class Relationship(Tracked):
    """`person` is `kind` of `other` (for example: person PARENT_OF other)."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="relationships")
    other = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=choices(RelationshipKind))

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "other", "kind"], name="relationship_unique"),
            models.CheckConstraint(
                name="relationship_not_to_self", condition=~Q(person=models.F("other"))
            ),
        ]

    def __str__(self) -> str:
        return f"{self.person} {self.kind} {self.other}"


# --- data protection: who may see a family beyond the organisation's rules, and consent ----


class FamilyAccess(Tracked):
    """A member of staff named on a restricted family's access list.

    A restricted family (for example one known to staff) is visible only to the staff
    named here, and to them only within their usual scope (`policies.family_scope`).
    """

    family = models.ForeignKey(Family, on_delete=models.CASCADE, related_name="access_list")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name_plural = "family access list entries"
        constraints = [
            models.UniqueConstraint(fields=["family", "user"], name="family_access_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} may see family {self.family_id}"


class BreakGlassGrant(models.Model):
    """Time-limited access to a family outside the user's scope, given for a typed reason.

    Written once, never changed: it ends at `expires_at`. The access log holds the same
    request (action BREAK_GLASS, with the reason), and the family's unit leader sees it.
    """

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(User, on_delete=models.PROTECT, related_name="+")
    reason = models.TextField()
    requested_ref = models.CharField(max_length=64, help_text="The reference the user typed")
    granted_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-granted_at"]
        indexes = [models.Index(fields=["user", "expires_at"])]
        constraints = [
            models.CheckConstraint(
                name="break_glass_expires_after_granted",
                condition=Q(expires_at__gt=models.F("granted_at")),
            ),
            models.CheckConstraint(name="break_glass_reason_given", condition=~Q(reason="")),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} → family {self.family_id} until {self.expires_at:%Y-%m-%d %H:%M}"


class FamilyConsent(Tracked):
    """A family's consent to one purpose (for example sharing with a named partner).

    Consent is given on a date by a member of the family and recorded by a member of
    staff; withdrawal ends it from its date (the row stays, for the record).
    """

    family = models.ForeignKey(Family, on_delete=models.PROTECT, related_name="consents")
    purpose = models.CharField(max_length=30, choices=choices(ConsentPurpose))
    partner_name = models.CharField(
        max_length=200, blank=True, help_text="The named partner, if consent is only for one"
    )
    given_on = models.DateField()
    given_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    notes = models.TextField(blank=True)
    withdrawn_on = models.DateField(null=True, blank=True)
    withdrawn_reason = models.TextField(blank=True)
    recorded_by_name = models.CharField(max_length=150, blank=True)

    class Meta:
        ordering = ["family", "purpose", "-given_on", "pk"]
        indexes = [models.Index(fields=["family", "purpose"])]
        constraints = [
            models.CheckConstraint(
                name="consent_withdrawn_after_given",
                condition=Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gte=models.F("given_on")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.purpose} for family {self.family_id} from {self.given_on}"

    def in_force_on(self, day: date) -> bool:
        return self.given_on <= day and (self.withdrawn_on is None or self.withdrawn_on > day)
