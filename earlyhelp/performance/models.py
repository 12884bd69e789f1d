"""Figures the system does not compute itself, and the targets indicators are judged by."""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from earlyhelp.common.models import Tracked
from earlyhelp.domain.codes import ContextMeasure, choices
from earlyhelp.organisation.models import OrgUnit


class ContextFigure(Tracked):
    """A count held elsewhere, e.g. cases closed by Specialist Children's Services."""

    measure = models.CharField(max_length=30, choices=choices(ContextMeasure))
    period = models.CharField(max_length=7, help_text="YYYY-MM")
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    value = models.PositiveIntegerField()

    class Meta:
        ordering = ["measure", "period", "org_unit__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["measure", "period", "org_unit"], name="context_figure_unique"
            ),
            models.CheckConstraint(
                name="context_figure_period_format",
                condition=Q(period__regex=r"^[0-9]{4}-(0[1-9]|1[0-2])$"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.measure} {self.period} {self.org_unit_id}={self.value}"


class ImportedIndicatorValue(Tracked):
    """An indicator measured elsewhere (NEET, children's centres, youth justice …)."""

    indicator_code = models.CharField(max_length=10)
    period = models.CharField(max_length=7)
    org_unit = models.ForeignKey(OrgUnit, on_delete=models.PROTECT, related_name="+")
    value = models.DecimalField(max_digits=14, decimal_places=4)
    numerator = models.BigIntegerField(null=True, blank=True)
    denominator = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["indicator_code", "period", "org_unit__code"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator_code", "period", "org_unit"], name="imported_value_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_code} {self.period}={self.value}"


class Target(Tracked):
    """The target (and floor) of one indicator for one financial year (ending 31 March)."""

    indicator_code = models.CharField(max_length=10)
    year = models.PositiveSmallIntegerField()
    target = models.DecimalField(max_digits=14, decimal_places=4)
    floor = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)

    class Meta:
        ordering = ["indicator_code", "year"]
        constraints = [
            models.UniqueConstraint(fields=["indicator_code", "year"], name="target_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_code} {self.year}: {self.target}"
