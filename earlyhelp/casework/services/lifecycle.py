"""Opening, allocating, closing, re-opening and stepping up cases."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from earlyhelp.audit.models import Action
from earlyhelp.audit.services import Actor, case_event_record, diff, snapshot
from earlyhelp.casework.models import Allocation, Case, ScsReferral
from earlyhelp.casework.policies import can_allocate, can_authorise_closure
from earlyhelp.casework.services.common import (
    case_snapshot,
    locked_case_for_writing,
    record,
    refs_of,
    rule,
)
from earlyhelp.common import clock
from earlyhelp.common.errors import InvalidInput, NotFound, PermissionRefused
from earlyhelp.common.locking import bump, lock_current
from earlyhelp.common.references import next_reference
from earlyhelp.common.validation import full_clean_or_raise
from earlyhelp.domain import casestate
from earlyhelp.domain.codes import ClosureReason, OrgKind
from earlyhelp.domain.events import EventKind
from earlyhelp.frontdoor.models import Notification
from earlyhelp.organisation.models import OrgUnit, User, Worker
from earlyhelp.organisation.selectors import scope_org_unit_ids
from earlyhelp.people.models import Family


def _check_holder(unit: OrgUnit, worker: Worker | None) -> None:
    if unit.kind != OrgKind.UNIT:
        raise InvalidInput({"unit": ["Choose a unit (a team), not a district or area."]})
    if worker is not None and worker.unit_id != unit.pk:
        raise InvalidInput({"worker": [f"{worker.name} does not work in {unit.name}."]})
    if worker is not None and not worker.active:
        raise InvalidInput({"worker": [f"{worker.name} is no longer active."]})


def open_case(
    *,
    user: User,
    family: Family,
    unit: OrgUnit,
    worker: Worker | None,
    opened_on: date,
    notification: Notification | None = None,
) -> Case:
    """Open and allocate a case. Callers check the policy (see `case_open`)."""
    _check_holder(unit, worker)
    if opened_on > clock.today():
        raise InvalidInput({"opened_on": ["A case cannot be opened in the future."]})
    case = Case(
        case_ref=next_reference(Case, field="case_ref", prefix="C"),
        notification=notification,
        family=family,
        unit=unit,
        worker=worker,
        opened_on=opened_on,
        created_by_id=user.pk,
        updated_by_id=user.pk,
    )
    full_clean_or_raise(case)
    case.save()
    Allocation.objects.create(
        case=case,
        unit=unit,
        worker=worker,
        started_on=opened_on,
        reason="Case opened",
        allocated_by_id=user.pk,
        allocated_by_name=user.get_username(),
    )
    data = {"unit": unit.name, "worker": worker.name if worker else "", "ref": case.case_ref}
    record(
        user=user,
        case=case,
        instance=case,
        action=Action.CREATE,
        changes=None,
        event=EventKind.CASE_OPENED,
        occurred_on=opened_on,
        data=data,
    )
    return case


@transaction.atomic
def case_open(
    *, user: User, family: Family, unit: OrgUnit, worker: Worker | None, opened_on: date
) -> Case:
    """Open a case without a notification (for example a re-referral kept in the unit)."""
    if not can_allocate(user, unit_id=unit.pk):
        raise PermissionRefused("Only a unit leader or manager can open a case for this unit.")
    return open_case(user=user, family=family, unit=unit, worker=worker, opened_on=opened_on)


@transaction.atomic
def case_allocate(
    *,
    user: User,
    case: Case,
    version: int,
    unit: OrgUnit,
    worker: Worker | None,
    on: date,
    reason: str,
) -> Case:
    if case.unit_id not in scope_org_unit_ids(user):
        raise NotFound("case")
    if not can_allocate(user, unit_id=case.unit_id):
        raise PermissionRefused("Only a unit leader or manager can re-allocate a case.")
    current = lock_current(Case, pk=case.pk, version=version, what="case", seen=case)
    if not current.is_open:
        raise InvalidInput({"unit": ["A closed case cannot be re-allocated."]})
    _check_holder(unit, worker)
    allocation = current.allocations.get(ended_on__isnull=True)
    if on < allocation.started_on or on > clock.today():
        raise InvalidInput(
            {"on": [f"Choose a date from {allocation.started_on:%d/%m/%Y} up to today."]}
        )
    before = snapshot(current)
    allocation.ended_on = on
    allocation.save(update_fields=["ended_on"])
    Allocation.objects.create(
        case=current,
        unit=unit,
        worker=worker,
        started_on=on,
        reason=reason.strip(),
        allocated_by_id=user.pk,
        allocated_by_name=user.get_username(),
    )
    current.unit, current.worker = unit, worker
    bump(current, user_id=user.pk)
    current.save()
    record(
        user=user,
        case=current,
        instance=current,
        action=Action.UPDATE,
        changes=diff(before, snapshot(current)),
        event=EventKind.CASE_ALLOCATED,
        occurred_on=on,
        data={"unit": unit.name, "worker": worker.name if worker else "", "reason": reason},
    )
    return current


@transaction.atomic
def case_close(
    *,
    user: User,
    case: Case,
    version: int,
    closed_on: date,
    reason: str,
    summary: str,
    authorised_by: User | None = None,
) -> Case:
    current = locked_case_for_writing(user=user, case=case, version=version)
    authorised = authorised_by is not None and can_authorise_closure(
        authorised_by, unit_id=current.unit_id
    )
    rule(
        casestate.check_close,
        case_snapshot(current),
        on=closed_on,
        reason=reason,
        summary=summary,
        authorised_by_unit_leader=authorised,
    )
    if closed_on > clock.today():
        raise InvalidInput({"closed_on": ["A case cannot be closed in the future."]})
    return _close(
        user=user,
        case=current,
        closed_on=closed_on,
        reason=reason,
        summary=summary,
        authorised_by=authorised_by if authorised else None,
    )


def _close(
    *,
    user: User,
    case: Case,
    closed_on: date,
    reason: str,
    summary: str,
    authorised_by: User | None,
) -> Case:
    before = snapshot(case)
    case.closed_on = closed_on
    case.closure_reason = reason
    case.closure_summary = summary.strip()
    case.closure_authorised_by_id = authorised_by.pk if authorised_by else None
    bump(case, user_id=user.pk)
    full_clean_or_raise(case)
    case.save()
    case.allocations.filter(ended_on__isnull=True).update(ended_on=closed_on)
    record(
        user=user,
        case=case,
        instance=case,
        action=Action.UPDATE,
        changes=diff(before, snapshot(case)),
        event=EventKind.CASE_CLOSED,
        occurred_on=closed_on,
        data={"reason": reason, "summary": case.closure_summary},
    )
    return case


@transaction.atomic
def case_step_up(*, user: User, case: Case, version: int, on: date, reason: str) -> Case:
    """Refer the family to Specialist Children's Services and close the case as a step-up."""
    current = locked_case_for_writing(user=user, case=case, version=version)
    if not reason.strip():
        raise InvalidInput({"reason": ["Say why the family needs social care."]})
    rule(
        casestate.check_close,
        case_snapshot(current),
        on=on,
        reason=ClosureReason.STEP_UP_SCS,
        summary=reason,
        authorised_by_unit_leader=False,
    )
    if on > clock.today():
        raise InvalidInput({"on": ["A step-up cannot be dated in the future."]})
    ScsReferral.objects.create(
        family_id=current.family_id,
        case=current,
        referred_on=on,
        reason=reason.strip(),
        referred_by_id=user.pk,
        referred_by_name=user.get_username(),
    )
    closed = _close(
        user=user,
        case=current,
        closed_on=on,
        reason=ClosureReason.STEP_UP_SCS,
        summary=reason,
        authorised_by=None,
    )
    case_event_record(
        actor=Actor.of(user),
        kind=EventKind.STEPPED_UP,
        occurred_on=on,
        refs=refs_of(closed),
        data={"reason": reason.strip()},
    )
    return closed


@transaction.atomic
def case_reopen(*, user: User, case: Case, version: int, reopened_on: date, reason: str) -> Case:
    """Re-open a closed case (for example one closed in error); the closure stays in history."""
    if case.unit_id not in scope_org_unit_ids(user):
        raise NotFound("case")
    if not can_allocate(user, unit_id=case.unit_id):
        raise PermissionRefused("Only a unit leader or manager can re-open a case.")
    current = lock_current(Case, pk=case.pk, version=version, what="case", seen=case)
    rule(casestate.check_reopen, case_snapshot(current), on=reopened_on, reason=reason)
    if reopened_on > clock.today():
        raise InvalidInput({"reopened_on": ["A case cannot be re-opened in the future."]})
    before = snapshot(current)
    previous = {"closed_on": current.closed_on, "reason": current.closure_reason}
    current.closed_on = None
    current.closure_reason = ""
    current.closure_summary = ""
    current.closure_authorised_by_id = None
    bump(current, user_id=user.pk)
    current.save()
    Allocation.objects.create(
        case=current,
        unit_id=current.unit_id,
        worker_id=current.worker_id,
        started_on=reopened_on,
        reason=f"Re-opened: {reason.strip()}",
        allocated_by_id=user.pk,
        allocated_by_name=user.get_username(),
    )
    record(
        user=user,
        case=current,
        instance=current,
        action=Action.UPDATE,
        changes=diff(before, snapshot(current)),
        event=EventKind.CASE_REOPENED,
        occurred_on=reopened_on,
        data={"reason": reason.strip(), "previous_closure": previous},
    )
    return current
