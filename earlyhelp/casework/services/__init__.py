"""Writes to casework. Every function checks the policy and the domain rules, runs in one
transaction and records the change history and the case event in it."""

from earlyhelp.casework.services.assessment import (
    assessment_complete,
    assessment_start,
    assessment_update,
)
from earlyhelp.casework.services.lifecycle import (
    case_allocate,
    case_close,
    case_open,
    case_reopen,
    case_step_up,
)
from earlyhelp.casework.services.plan import (
    plan_action_add,
    plan_action_update,
    plan_agree,
    plan_outcome_add,
)
from earlyhelp.casework.services.recording import case_note_add, review_record
from earlyhelp.casework.services.routing import notification_route

__all__ = [
    "assessment_complete",
    "assessment_start",
    "assessment_update",
    "case_allocate",
    "case_close",
    "case_note_add",
    "case_open",
    "case_reopen",
    "case_step_up",
    "notification_route",
    "plan_action_add",
    "plan_action_update",
    "plan_agree",
    "plan_outcome_add",
    "review_record",
]
