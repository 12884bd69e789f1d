"""Figures the system does not compute itself, and the targets indicators are judged by."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q

from earlyhelp.common.models import Tracked
from earlyhelp.domain.codes import ContextMeasure, choices
from earlyhelp.domain.indicators.arithmetic import Rag
from earlyhelp.domain.indicators.definitions import Level
from earlyhelp.organisation.models import OrgUnit, Worker


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


class IndicatorValue(models.Model):
    """A monthly snapshot: one indicator's value for one org unit or worker, month and window.

    Materialised by `services.indicator_values_recompute` from the data and the definitions
    of `earlyhelp.domain.indicators`; pages and the scorecard read these rows.
    """

    indicator_code = models.CharField(max_length=10)
    level = models.CharField(max_length=10, choices=choices(Level))
    # No index of their own: snapshots are read by month (the unique indexes below), and a
    # full recompute writes ~400,000 rows, where every index costs (decision 0008).
    # No database foreign keys either (decision 0015): the rows are derived and rewritten
    # whole by every recompute, and a checked key costs a parent lookup for each row written
    # and, on SQLite, for each row deleted. Django still cascades a deleted unit or worker.
    org_unit = models.ForeignKey(
        OrgUnit,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    worker = models.ForeignKey(
        Worker,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
        db_index=False,
        db_constraint=False,
    )
    org_code = models.CharField(max_length=64, help_text="The org unit's code, or the worker's")
    period = models.CharField(max_length=7, help_text="YYYY-MM")
    window_months = models.PositiveSmallIntegerField(
        null=True, blank=True, help_text="Empty for EH08, EH10 and imported indicators"
    )
    numerator = models.BigIntegerField(null=True, blank=True)
    denominator = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    value = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    target = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    floor = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    rag = models.CharField(max_length=5, choices=choices(Rag), blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["period", "indicator_code", "level", "org_code"]
        constraints = [
            models.UniqueConstraint(
                fields=["period", "window_months", "level", "indicator_code", "org_code"],
                condition=Q(window_months__isnull=False),
                name="indicator_value_unique_windowed",
            ),
            models.UniqueConstraint(
                fields=["period", "level", "indicator_code", "org_code"],
                condition=Q(window_months__isnull=True),
                name="indicator_value_unique_as_of",
            ),
            models.CheckConstraint(
                name="indicator_value_org_unit_or_worker",
                condition=Q(level=Level.WORKER.value, org_unit__isnull=True, worker__isnull=False)
                | (~Q(level=Level.WORKER.value) & Q(org_unit__isnull=False, worker__isnull=True)),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_code} {self.org_code} {self.period} w{self.window_months}"


class FillState(models.Model):
    """How far the snapshots are filled, and from which data (Zulip analytics' FillState).

    A recompute marks STARTED before it writes and DONE with the months and windows it
    filled and a signature of the data it read; a later run that finds the same signature
    only fills the months after `last_period`, and a changed signature refills everything.
    """

    class State(models.TextChoices):
        STARTED = "STARTED"
        DONE = "DONE"

    name = models.CharField(max_length=40, unique=True)
    state = models.CharField(max_length=10, choices=State.choices)
    first_period = models.CharField(max_length=7, blank=True)
    last_period = models.CharField(max_length=7, blank=True)
    windows = models.JSONField(default=list)
    signature = models.CharField(max_length=64, blank=True)
    rows = models.PositiveIntegerField(default=0)
    seconds = models.FloatField(default=0)
    last_modified = models.DateTimeField()

    def __str__(self) -> str:
        return f"{self.name}: {self.state} {self.first_period}…{self.last_period}"


class MonthSignOff(models.Model):
    """A month whose figures are signed off: its snapshots are frozen, and versioned.

    Version 1 is the sign-off; each recompute asked explicitly of a signed-off month
    (`earlyhelp scorecard --recompute --include-signed-off`) adds the next version. Every
    version's values are kept in `SignedOffValue`; the snapshots hold the latest.
    """

    period = models.CharField(max_length=7, help_text="YYYY-MM")
    version = models.PositiveIntegerField()
    signed_off_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signed_off_by_name = models.CharField(max_length=150)
    at = models.DateTimeField()
    note = models.CharField(max_length=200, blank=True)
    rows = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-period", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["period", "version"], name="month_sign_off_unique"),
            models.CheckConstraint(
                name="month_sign_off_period_format",
                condition=Q(period__regex=r"^[0-9]{4}-(0[1-9]|1[0-2])$"),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.period} v{self.version}"


class SignedOffValue(models.Model):
    """One snapshot row as it stood in one version of a signed-off month (never changed)."""

    sign_off = models.ForeignKey(MonthSignOff, on_delete=models.PROTECT, related_name="values")
    indicator_code = models.CharField(max_length=10)
    level = models.CharField(max_length=10, choices=choices(Level))
    org_unit = models.ForeignKey(
        OrgUnit, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    worker = models.ForeignKey(
        Worker, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    org_code = models.CharField(max_length=64)
    period = models.CharField(max_length=7)
    window_months = models.PositiveSmallIntegerField(null=True, blank=True)
    numerator = models.BigIntegerField(null=True, blank=True)
    denominator = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    value = models.DecimalField(max_digits=16, decimal_places=4, null=True, blank=True)
    target = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    floor = models.DecimalField(max_digits=14, decimal_places=4, null=True, blank=True)
    rag = models.CharField(max_length=5, choices=choices(Rag), blank=True)
    computed_at = models.DateTimeField()

    class Meta:
        ordering = ["sign_off", "indicator_code", "level", "org_code"]

    def __str__(self) -> str:
        return f"{self.indicator_code} {self.org_code} {self.period} w{self.window_months}"
