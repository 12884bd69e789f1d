"""People and the households (families) they live in."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from earlyhelp.common.models import Tracked
from earlyhelp.domain.codes import Ethnicity, RelationshipKind, RoleInFamily, Sex, choices
from earlyhelp.organisation.models import OrgUnit


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
