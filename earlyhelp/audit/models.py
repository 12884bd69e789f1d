"""Append-only records: the change history, case events (the timeline) and the access log.

They hold explicit `family_id`, `person_id`, `case_id` and `notification_id` columns (not
generic foreign keys) so that a subject access request or an erasure is a plain query.
The actor is kept by id and name, so that the record outlives the account.
"""

from __future__ import annotations

from django.db import models


class Action(models.TextChoices):
    CREATE = "CREATE", "Created"
    UPDATE = "UPDATE", "Changed"
    DELETE = "DELETE", "Deleted"
    MERGE = "MERGE", "Merged"
    IMPORT = "IMPORT", "Imported"


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: object) -> int:
        raise TypeError("Audit records are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("Audit records are append-only.")


class AppendOnly(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args: object, **kwargs: object) -> None:
        if self.pk is not None and not self._state.adding:
            raise TypeError("Audit records are append-only.")
        super().save(*args, **kwargs)

    def delete(self, *args: object, **kwargs: object) -> tuple[int, dict[str, int]]:
        raise TypeError("Audit records are append-only.")


class ChangeRecord(AppendOnly):
    """One change to one record: who, when, and each field's old and new value."""

    at = models.DateTimeField(db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_name = models.CharField(max_length=150, blank=True)
    entity = models.CharField(max_length=50)
    entity_id = models.BigIntegerField()
    action = models.CharField(max_length=10, choices=Action.choices)
    changes = models.JSONField(default=dict)
    family_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    person_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    case_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    notification_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    import_batch_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["entity", "entity_id", "at"])]
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.action} {self.entity} {self.entity_id} at {self.at:%Y-%m-%d %H:%M}"


class CaseEvent(AppendOnly):
    """A typed event in the life of a family's casework: the source of every timeline."""

    at = models.DateTimeField(db_index=True)
    occurred_on = models.DateField(db_index=True)
    kind = models.CharField(max_length=40)
    actor_id = models.BigIntegerField(null=True, blank=True)
    actor_name = models.CharField(max_length=150, blank=True)
    family_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    person_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    case_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    notification_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    data = models.JSONField(default=dict)

    class Meta:
        ordering = ["occurred_on", "at", "id"]

    def __str__(self) -> str:
        return f"{self.kind} on {self.occurred_on}"


class AccessLog(AppendOnly):
    """A view, search or export of personal data."""

    at = models.DateTimeField(db_index=True)
    actor_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    actor_name = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=20)
    what = models.CharField(max_length=200)
    family_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    person_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    case_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"{self.actor_name} {self.action} {self.what}"
