"""Append-only records: the change history, case events (the timeline) and the access log.

They hold explicit `family_id`, `person_id`, `case_id` and `notification_id` columns (not
generic foreign keys) so that a subject access request or an erasure is a plain query.
The actor is kept by id and name, so that the record outlives the account.

Append-only here and, on PostgreSQL, in the database (migration 0002's triggers): no row
is ever deleted, and the only change ever allowed is the retention job's redaction of a
change record's or case event's payload — values replaced by `REDACTED`, never edited —
so that who did what to which record and when is kept for good (docs/decisions).
"""

from __future__ import annotations

from collections.abc import Mapping

from django.db import models

REDACTED = "[redacted]"


class Action(models.TextChoices):
    CREATE = "CREATE", "Created"
    UPDATE = "UPDATE", "Changed"
    DELETE = "DELETE", "Deleted"
    MERGE = "MERGE", "Merged"
    IMPORT = "IMPORT", "Imported"
    ANONYMISE = "ANONYMISE", "Anonymised"


class AccessAction(models.TextChoices):
    """What the access log records: looking at, searching for and exporting personal data."""

    VIEW = "VIEW", "Viewed"
    SEARCH = "SEARCH", "Searched"
    EXPORT = "EXPORT", "Exported"
    BREAK_GLASS = "BREAK_GLASS", "Opened outside their scope (break-glass)"


def is_redaction(value: object) -> bool:
    """A value the retention job may put in place of another: the marker, or a list of them."""
    if value == REDACTED:
        return True
    return isinstance(value, list) and all(item in (REDACTED, None) for item in value)


def only_redacts(before: Mapping[str, object], after: Mapping[str, object]) -> bool:
    """Whether `after` is `before` with some values redacted and nothing else changed."""
    return set(before) == set(after) and all(
        after[key] == before[key] or is_redaction(after[key]) for key in after
    )


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs: object) -> int:
        raise TypeError("Audit records are append-only.")

    def delete(self) -> tuple[int, dict[str, int]]:
        raise TypeError("Audit records are append-only.")

    def redact_payload(self, pk: int, payload: Mapping[str, object]) -> None:
        """Replace one row's payload by its redacted form (the retention job's one change)."""
        field = self.model.PAYLOAD
        if field is None:
            raise TypeError(f"{self.model.__name__} records are never changed.")
        before = self.filter(pk=pk).values_list(field, flat=True).get()
        if not only_redacts(before, payload):
            raise TypeError("Audit records are append-only: only a redaction is allowed.")
        models.QuerySet.update(self.filter(pk=pk), **{field: dict(payload)})


class AppendOnly(models.Model):
    # The JSON field that holds the values recorded (redactable); None: nothing is.
    PAYLOAD: str | None = None

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

    PAYLOAD = "changes"
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

    PAYLOAD = "data"
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
    """A view, search or export of personal data, or a break-glass opening (with its reason).

    Never changed, not even by the retention job: it holds ids, what was looked at and why.
    """

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
        indexes = [models.Index(fields=["action", "at"])]

    def __str__(self) -> str:
        return f"{self.actor_name} {self.action} {self.what}"
