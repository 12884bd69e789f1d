"""The family plan of a case: two or three outcomes, each with one or two actions."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import TYPE_CHECKING

from earlyhelp.casework.models import Plan, PlanAction, PlanOutcome
from earlyhelp.demo import texts
from earlyhelp.demo.context import Context
from earlyhelp.demo.rates import HISTORY_END
from earlyhelp.demo.timing import office_hours
from earlyhelp.domain.codes import POSITIVE_CLOSURES, ActionStatus, ClosureReason
from earlyhelp.domain.events import EventKind

if TYPE_CHECKING:
    from earlyhelp.demo.caserun import CaseRun


def write_plan(ctx: Context, rng: random.Random, run: CaseRun) -> None:
    t = run.t
    if t.plan is None:
        return
    worker = run.holder_on(t.plan).worker
    moment = office_hours(rng, t.plan, 15, 17)  # after an assessment completed that day
    plan_id = ctx.writer.add(
        Plan,
        {
            "case_id": run.id,
            "agreed_on": t.plan,
            "created_at": moment,
            "created_by_id": worker.user_id,
        },
    )
    chosen = rng.sample(texts.OUTCOMES, rng.randint(2, 3))
    descriptions = [texts.fill(o, run.child, run.parent) for o in chosen]
    for position, description in enumerate(descriptions, start=1):
        outcome_id = ctx.writer.add(
            PlanOutcome,
            {
                "plan_id": plan_id,
                "position": position,
                "description": description,
                "achieved_on": _achieved_on(rng, t.plan, t.closed, t.reason),
                "created_at": moment,
            },
        )
        for action, owner in rng.sample(texts.ACTIONS, rng.randint(1, 2)):
            due = t.plan + timedelta(days=rng.randint(14, 90))
            ctx.writer.add(
                PlanAction,
                {
                    "outcome_id": outcome_id,
                    "description": texts.fill(action, run.child, run.parent),
                    "owner": texts.fill(owner, run.child, run.parent),
                    "due_on": due,
                    "status": _status(rng, due, t.closed),
                    "created_at": moment,
                },
            )
    ctx.event(
        kind=EventKind.PLAN_AGREED,
        moment=moment,
        actor=worker,
        data={"outcomes": descriptions},
        **run.refs(),
    )


def _achieved_on(rng: random.Random, plan: date, closed: date | None, reason: str) -> date | None:
    if closed is None or closed <= plan:
        return None
    achieved = reason in POSITIVE_CLOSURES or (
        reason == ClosureReason.OUTCOMES_PARTLY_ACHIEVED and rng.random() < 0.5
    )
    return plan + timedelta(days=rng.randint(1, (closed - plan).days)) if achieved else None


def _status(rng: random.Random, due: date, closed: date | None) -> str:
    point = rng.random()
    if closed is not None:
        return ActionStatus.DONE if point < 0.8 else ActionStatus.NO_LONGER_NEEDED
    if due <= HISTORY_END:
        return ActionStatus.DONE if point < 0.6 else ActionStatus.IN_PROGRESS
    return ActionStatus.IN_PROGRESS if point < 0.5 else ActionStatus.NOT_STARTED
