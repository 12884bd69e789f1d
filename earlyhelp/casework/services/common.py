"""Pieces shared by the casework services."""

from __future__ import annotations

from collections.abc import Mapping

from earlyhelp.audit.models import Action
from earlyhelp.audit.services import Actor, Refs, case_event_record, change_record
from earlyhelp.casework.models import Case
from earlyhelp.casework.policies import can_write_case
from earlyhelp.common.errors import InvalidInput, NotFound, PermissionRefused
from earlyhelp.common.locking import lock_current
from earlyhelp.domain.casestate import CaseSnapshot
from earlyhelp.domain.errors import DomainError
from earlyhelp.organisation.models import User
from earlyhelp.organisation.selectors import scope_org_unit_ids


def refs_of(case: Case) -> Refs:
    return Refs(family_id=case.family_id, case_id=case.pk, notification_id=case.notification_id)


def case_snapshot(case: Case) -> CaseSnapshot:
    return CaseSnapshot(
        opened_on=case.opened_on,
        assessment_started_on=case.assessment_started_on,
        assessment_completed_on=case.assessment_completed_on,
        plan_agreed_on=case.plan_agreed_on,
        closed_on=case.closed_on,
        closure_reason=case.closure_reason or None,
    )


def locked_case_for_writing(*, user: User, case: Case, version: int) -> Case:
    """The case locked at `version`, after checking the user may see and write to it."""
    if case.unit_id not in scope_org_unit_ids(user):
        raise NotFound("case")
    if not can_write_case(user, unit_id=case.unit_id, worker_id=case.worker_id):
        raise PermissionRefused(
            "Only the lead practitioner or the unit leader can change this case."
        )
    return lock_current(Case, pk=case.pk, version=version, what="case", seen=case)


def rule(check: object, *args: object, **kwargs: object) -> None:
    """Run a domain check, turning its refusal into InvalidInput naming the field."""
    try:
        check(*args, **kwargs)  # type: ignore[operator]
    except DomainError as error:
        raise InvalidInput({error.field or "__all__": [error.message]}) from error


def record(
    *,
    user: User,
    case: Case,
    instance: object,
    action: Action,
    changes: Mapping[str, list[object]] | None,
    event: str,
    occurred_on: object,
    data: Mapping[str, object] | None = None,
) -> None:
    actor = Actor.of(user)
    change_record(
        actor=actor, instance=instance, action=action, changes=changes, refs=refs_of(case)
    )
    case_event_record(
        actor=actor, kind=event, occurred_on=occurred_on, refs=refs_of(case), data=data
    )
