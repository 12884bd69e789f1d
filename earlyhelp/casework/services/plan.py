"""The family plan: outcomes the family wants, and the actions, owners and dates to get there."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction

from earlyhelp.audit.models import Action
from earlyhelp.audit.services import diff, snapshot
from earlyhelp.casework.models import Case, Plan, PlanAction, PlanOutcome
from earlyhelp.casework.services.common import (
    case_snapshot,
    locked_case_for_writing,
    record,
    rule,
)
from earlyhelp.common import clock
from earlyhelp.common.errors import InvalidInput
from earlyhelp.common.locking import bump, lock_current
from earlyhelp.common.validation import full_clean_or_raise
from earlyhelp.domain import casestate
from earlyhelp.domain.codes import ActionStatus
from earlyhelp.domain.events import EventKind
from earlyhelp.organisation.models import User


@dataclass(frozen=True)
class ActionInput:
    description: str
    owner: str
    due_on: date


@dataclass(frozen=True)
class OutcomeInput:
    description: str
    actions: list[ActionInput] = field(default_factory=list)


def _validate_outcomes(outcomes: list[OutcomeInput]) -> None:
    errors: dict[str, list[str]] = {}
    if not outcomes:
        errors["outcomes"] = ["Add at least one outcome the family wants to achieve."]
    for i, outcome in enumerate(outcomes, start=1):
        if not outcome.description.strip():
            errors[f"outcomes-{i}-description"] = [f"Describe outcome {i}."]
        for j, action in enumerate(outcome.actions, start=1):
            prefix = f"outcomes-{i}-actions-{j}"
            if not action.description.strip():
                errors[f"{prefix}-description"] = [f"Describe action {j} of outcome {i}."]
            if not action.owner.strip():
                errors[f"{prefix}-owner"] = [f"Say who will do action {j} of outcome {i}."]
    if errors:
        raise InvalidInput(errors)


def _create_outcome(user: User, plan: Plan, position: int, outcome: OutcomeInput) -> PlanOutcome:
    row = PlanOutcome.objects.create(
        plan=plan,
        position=position,
        description=outcome.description.strip(),
        created_by_id=user.pk,
        updated_by_id=user.pk,
    )
    PlanAction.objects.bulk_create(
        PlanAction(
            outcome=row,
            description=a.description.strip(),
            owner=a.owner.strip(),
            due_on=a.due_on,
            created_by_id=user.pk,
            updated_by_id=user.pk,
        )
        for a in outcome.actions
    )
    return row


@transaction.atomic
def plan_agree(
    *, user: User, case: Case, version: int, agreed_on: date, outcomes: list[OutcomeInput]
) -> Plan:
    current = locked_case_for_writing(user=user, case=case, version=version)
    rule(casestate.check_agree_plan, case_snapshot(current), on=agreed_on)
    if agreed_on > clock.today():
        raise InvalidInput({"agreed_on": ["The plan cannot be agreed in the future."]})
    _validate_outcomes(outcomes)
    before = snapshot(current)
    current.plan_agreed_on = agreed_on
    bump(current, user_id=user.pk)
    current.save()
    plan = Plan.objects.create(
        case=current, agreed_on=agreed_on, created_by_id=user.pk, updated_by_id=user.pk
    )
    for position, outcome in enumerate(outcomes, start=1):
        _create_outcome(user, plan, position, outcome)
    record(
        user=user,
        case=current,
        instance=current,
        action=Action.UPDATE,
        changes=diff(before, snapshot(current)),
        event=EventKind.PLAN_AGREED,
        occurred_on=agreed_on,
        data={"outcomes": [o.description for o in outcomes]},
    )
    return plan


@transaction.atomic
def plan_outcome_add(*, user: User, plan: Plan, version: int, outcome: OutcomeInput) -> PlanOutcome:
    """Add an outcome to an agreed plan. `version` is the plan's."""
    locked_case_for_writing(user=user, case=plan.case, version=plan.case.version)
    current = lock_current(Plan, pk=plan.pk, version=version, what="family plan", seen=plan)
    _validate_outcomes([outcome])
    position = current.outcomes.count() + 1
    row = _create_outcome(user, current, position, outcome)
    bump(current, user_id=user.pk)
    current.save()
    record(
        user=user,
        case=current.case,
        instance=row,
        action=Action.CREATE,
        changes=None,
        event=EventKind.PLAN_UPDATED,
        occurred_on=clock.today(),
        data={"added_outcome": row.description},
    )
    return row


@transaction.atomic
def plan_action_add(
    *, user: User, outcome: PlanOutcome, plan_version: int, action: ActionInput
) -> PlanAction:
    plan = outcome.plan
    locked_case_for_writing(user=user, case=plan.case, version=plan.case.version)
    current_plan = lock_current(
        Plan, pk=plan.pk, version=plan_version, what="family plan", seen=plan
    )
    _validate_outcomes([OutcomeInput(outcome.description, [action])])
    row = PlanAction.objects.create(
        outcome=outcome,
        description=action.description.strip(),
        owner=action.owner.strip(),
        due_on=action.due_on,
        created_by_id=user.pk,
        updated_by_id=user.pk,
    )
    bump(current_plan, user_id=user.pk)
    current_plan.save()
    record(
        user=user,
        case=plan.case,
        instance=row,
        action=Action.CREATE,
        changes=None,
        event=EventKind.PLAN_UPDATED,
        occurred_on=clock.today(),
        data={"added_action": row.description},
    )
    return row


@transaction.atomic
def plan_action_update(
    *,
    user: User,
    action: PlanAction,
    version: int,
    status: str,
    progress: str,
    due_on: date | None = None,
) -> PlanAction:
    """Record progress on an action. `version` is the action's, as the form was read."""
    case = action.outcome.plan.case
    locked_case_for_writing(user=user, case=case, version=case.version)
    current = lock_current(PlanAction, pk=action.pk, version=version, what="action", seen=action)
    if status not in ActionStatus.__members__:
        raise InvalidInput({"status": ["Choose the action's progress."]})
    before = snapshot(current)
    current.status = status
    current.progress = progress.strip()
    if due_on is not None:
        current.due_on = due_on
    bump(current, user_id=user.pk)
    full_clean_or_raise(current)
    current.save()
    record(
        user=user,
        case=case,
        instance=current,
        action=Action.UPDATE,
        changes=diff(before, snapshot(current)),
        event=EventKind.PLAN_UPDATED,
        occurred_on=clock.today(),
        data={"action": current.description, "status": status},
    )
    return current
