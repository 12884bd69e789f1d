"""Writes to the organisation: org units, workers and accounts."""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction

from earlyhelp.audit.models import Action
from earlyhelp.audit.services import Actor, Refs, change_record, diff, snapshot
from earlyhelp.common.validation import full_clean_or_raise
from earlyhelp.organisation.models import OrgUnit, User, Worker


@transaction.atomic
def org_unit_create(
    *,
    actor: Actor,
    code: str,
    name: str,
    kind: str,
    parent: OrgUnit | None,
    service: str = "",
) -> OrgUnit:
    unit = OrgUnit(code=code, name=name, kind=kind, parent=parent, service=service)
    unit.created_by_id = actor.id
    full_clean_or_raise(unit)
    unit.save()
    change_record(actor=actor, instance=unit, action=Action.CREATE, refs=Refs())
    return unit


@transaction.atomic
def worker_create(
    *, actor: Actor, code: str, name: str, unit: OrgUnit, role: str, fte: Decimal
) -> Worker:
    worker = Worker(code=code, name=name, unit=unit, role=role, fte=fte)
    worker.created_by_id = actor.id
    full_clean_or_raise(worker)
    worker.save()
    change_record(actor=actor, instance=worker, action=Action.CREATE, refs=Refs())
    return worker


@transaction.atomic
def worker_update(
    *, actor: Actor, worker: Worker, unit: OrgUnit, role: str, fte: Decimal, active: bool
) -> Worker:
    before = snapshot(worker)
    worker.unit, worker.role, worker.fte, worker.active = unit, role, fte, active
    worker.updated_by_id = actor.id
    worker.version += 1
    full_clean_or_raise(worker)
    worker.save()
    change_record(
        actor=actor,
        instance=worker,
        action=Action.UPDATE,
        changes=diff(before, snapshot(worker)),
        refs=Refs(),
    )
    return worker


@transaction.atomic
def user_create(
    *,
    actor: Actor,
    username: str,
    password: str,
    role: str,
    org_unit: OrgUnit | None,
    worker: Worker | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
    is_staff: bool = False,
    is_superuser: bool = False,
    partner_organisation: str = "",
) -> User:
    user = User(
        username=username,
        role=role,
        org_unit=org_unit,
        worker=worker,
        first_name=first_name,
        last_name=last_name,
        email=email,
        is_staff=is_staff,
        is_superuser=is_superuser,
        partner_organisation=partner_organisation,
    )
    user.set_password(password)
    full_clean_or_raise(user, exclude=["password"])
    user.save()
    change_record(
        actor=actor,
        instance=user,
        action=Action.CREATE,
        changes={"username": [None, username], "role": [None, role]},
        refs=Refs(),
    )
    return user
