"""Base fields shared by every record, the import marker and the application's settings."""

from __future__ import annotations

from django.db import models


class ImportBatch(models.Model):
    """One run of `earlyhelp import`: every record it wrote points here."""

    started_at = models.DateTimeField()
    finished_at = models.DateTimeField(null=True, blank=True)
    source = models.CharField(max_length=500)
    checksum = models.CharField(max_length=64, help_text="SHA-256 of the dataset's files")
    counts = models.JSONField(default=dict)
    warnings = models.JSONField(default=list)

    class Meta:
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"Import {self.pk} of {self.source}"


class Tracked(models.Model):
    """Who created and last changed a record and when; a version for optimistic locking."""

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    created_by_id = models.BigIntegerField(null=True, blank=True)
    updated_by_id = models.BigIntegerField(null=True, blank=True)
    version = models.PositiveIntegerField(default=1)
    import_batch = models.ForeignKey(
        ImportBatch, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        abstract = True


class Setting(models.Model):
    """Application-wide settings kept in the database (the demo's clock date)."""

    key = models.CharField(max_length=100, unique=True)
    value = models.CharField(max_length=1000)

    def __str__(self) -> str:
        return f"{self.key}={self.value}"
