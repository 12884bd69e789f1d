"""The whole-family assessment: started, recorded, completed."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from earlyhelp.audit.models import Action
from earlyhelp.audit.services import diff, snapshot
from earlyhelp.casework.models import Assessment, Case
from earlyhelp.casework.services.common import (
    case_snapshot,
    locked_case_for_writing,
    record,
    rule,
)
from earlyhelp.common import clock
from earlyhelp.common.errors import InvalidInput, NotFound
from earlyhelp.common.locking import bump, lock_current
from earlyhelp.common.validation import full_clean_or_raise
from earlyhelp.domain import casestate
from earlyhelp.domain.events import EventKind
from earlyhelp.organisation.models import User

ASSESSMENT_FIELDS = (
    "child_development",
    "parenting_capacity",
    "family_environment",
    "family_view",
    "child_voice",
    "worries",
    "working_well",
    "needs_to_happen",
    "scale",
)


def _not_future(on: date, field: str) -> None:
    if on > clock.today():
        raise InvalidInput({field: ["The date cannot be in the future."]})


@transaction.atomic
def assessment_start(*, user: User, case: Case, version: int, started_on: date) -> Assessment:
    current = locked_case_for_writing(user=user, case=case, version=version)
    rule(casestate.check_start_assessment, case_snapshot(current), on=started_on)
    _not_future(started_on, "started_on")
    before = snapshot(current)
    current.assessment_started_on = started_on
    bump(current, user_id=user.pk)
    current.save()
    assessment = Assessment.objects.create(
        case=current, started_on=started_on, created_by_id=user.pk, updated_by_id=user.pk
    )
    record(
        user=user,
        case=current,
        instance=current,
        action=Action.UPDATE,
        changes=diff(before, snapshot(current)),
        event=EventKind.ASSESSMENT_STARTED,
        occurred_on=started_on,
    )
    return assessment


@transaction.atomic
def assessment_update(
    *, user: User, assessment: Assessment, version: int, **fields: object
) -> Assessment:
    """Save the assessment's content. `version` is the assessment's, as the form was read."""
    locked_case_for_writing(user=user, case=assessment.case, version=assessment.case.version)
    current = lock_current(
        Assessment, pk=assessment.pk, version=version, what="assessment", seen=assessment
    )
    unknown = set(fields) - set(ASSESSMENT_FIELDS)
    if unknown:
        raise InvalidInput({name: ["This cannot be changed here."] for name in sorted(unknown)})
    scale = fields.get("scale")
    if scale is not None and not (isinstance(scale, int) and 0 <= scale <= 10):
        raise InvalidInput({"scale": ["The scale is a whole number from 0 to 10."]})
    before = snapshot(current)
    for name, value in fields.items():
        setattr(current, name, value.strip() if isinstance(value, str) else value)
    bump(current, user_id=user.pk)
    full_clean_or_raise(current)
    current.save()
    changes = diff(before, snapshot(current))
    record(
        user=user,
        case=current.case,
        instance=current,
        action=Action.UPDATE,
        changes=changes,
        event=EventKind.ASSESSMENT_UPDATED,
        occurred_on=clock.today(),
        data={"fields": sorted(changes)},
    )
    return current


@transaction.atomic
def assessment_complete(*, user: User, case: Case, version: int, completed_on: date) -> Case:
    current = locked_case_for_writing(user=user, case=case, version=version)
    rule(casestate.check_complete_assessment, case_snapshot(current), on=completed_on)
    _not_future(completed_on, "completed_on")
    assessment = Assessment.objects.select_for_update().filter(case=current).first()
    if assessment is None:
        raise NotFound("assessment")
    missing = [n for n in ("family_view", "child_voice") if not getattr(assessment, n).strip()]
    if missing:
        raise InvalidInput({n: ["Record this before completing the assessment."] for n in missing})
    before = snapshot(current)
    current.assessment_completed_on = completed_on
    bump(current, user_id=user.pk)
    current.save()
    assessment.completed_on = completed_on
    bump(assessment, user_id=user.pk)
    assessment.save()
    record(
        user=user,
        case=current,
        instance=current,
        action=Action.UPDATE,
        changes=diff(before, snapshot(current)),
        event=EventKind.ASSESSMENT_COMPLETED,
        occurred_on=completed_on,
        data={"scale": assessment.scale},
    )
    return current
