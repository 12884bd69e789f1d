"""A fingerprint of the generated data, to check that the same seed gives the same county.

Every column of the generated tables, row by row in id order, normalised so that SQLite
and PostgreSQL give the same text (date-times in UTC, JSON with sorted keys). Account ids
are replaced by usernames (PostgreSQL does not roll its sequences back, so the accounts'
ids may differ between two loads); password hashes (salted) are left out.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, date, datetime
from decimal import Decimal

from django.db import models

from earlyhelp.audit.models import CaseEvent
from earlyhelp.casework.models import (
    Allocation,
    Assessment,
    Case,
    CaseNote,
    LinkedNotification,
    Plan,
    PlanAction,
    PlanOutcome,
    Review,
    ScsReferral,
)
from earlyhelp.frontdoor.models import Notification, StepDownProposal
from earlyhelp.organisation.models import OrgUnit, User, Worker
from earlyhelp.people.models import Family, Person, Relationship
from earlyhelp.performance.models import ContextFigure

GENERATED: tuple[type[models.Model], ...] = (
    OrgUnit,
    Worker,
    Family,
    Person,
    Relationship,
    Notification,
    Case,
    Allocation,
    Assessment,
    Plan,
    PlanOutcome,
    PlanAction,
    Review,
    CaseNote,
    LinkedNotification,
    ScsReferral,
    CaseEvent,
    ContextFigure,
    StepDownProposal,
)
USER_COLUMNS = frozenset(
    {
        "created_by_id",
        "updated_by_id",
        "submitted_by_id",
        "triaged_by_id",
        "author_id",
        "closure_authorised_by_id",
        "allocated_by_id",
        "referred_by_id",
        "actor_id",
    }
)


def _plain(value: object) -> object:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value.normalize())
    if isinstance(value, dict | list):
        return json.dumps(value, sort_keys=True)
    return value


def table_digest(model: type[models.Model], usernames: dict[int, str]) -> str:
    names = [f.attname for f in model._meta.concrete_fields]
    hashed = hashlib.sha256()
    rows = model._default_manager.order_by("pk").values_list(*names)
    for row in rows.iterator(chunk_size=5000):
        plain = [
            usernames.get(v, v) if n in USER_COLUMNS else _plain(v)
            for n, v in zip(names, row, strict=True)
        ]
        hashed.update(repr(plain).encode())
    return hashed.hexdigest()


def county_digest() -> dict[str, str]:
    """A digest of each generated table, and of the accounts (less their passwords)."""
    usernames = dict(User.objects.values_list("pk", "username"))
    found = {m._meta.label: table_digest(m, usernames) for m in GENERATED}
    accounts = User.objects.order_by("username").values_list(
        "username",
        "role",
        "org_unit_id",
        "worker_id",
        "is_staff",
        "is_superuser",
        "partner_organisation",
        "date_joined",
    )
    found["accounts"] = hashlib.sha256(repr([_plain_row(a) for a in accounts]).encode()).hexdigest()
    return found


def _plain_row(row: tuple[object, ...]) -> list[object]:
    return [_plain(v) for v in row]
