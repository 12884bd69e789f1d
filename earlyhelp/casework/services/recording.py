"""Reviews of the plan and case notes."""

from __future__ import annotations

from datetime import date

from django.db import transaction

from earlyhelp.audit.models import Action
from earlyhelp.casework.models import Case, CaseNote, Review
from earlyhelp.casework.policies import can_write_case
from earlyhelp.casework.services.common import (
    case_snapshot,
    locked_case_for_writing,
    record,
    rule,
)
from earlyhelp.common import clock
from earlyhelp.common.errors import InvalidInput, NotFound, PermissionRefused
from earlyhelp.common.locking import bump
from earlyhelp.common.validation import full_clean_or_raise
from earlyhelp.domain import casestate
from earlyhelp.domain.codes import CONTACT_NOTE_KINDS, NoteKind, UserRole
from earlyhelp.domain.events import EventKind
from earlyhelp.organisation.models import User
from earlyhelp.organisation.selectors import scope_org_unit_ids


@transaction.atomic
def review_record(
    *,
    user: User,
    case: Case,
    version: int,
    review_date: date,
    summary: str,
    scale: int | None = None,
) -> Review:
    current = locked_case_for_writing(user=user, case=case, version=version)
    rule(casestate.check_record_review, case_snapshot(current), on=review_date)
    if review_date > clock.today():
        raise InvalidInput({"review_date": ["A review cannot be recorded in the future."]})
    if scale is not None and not 0 <= scale <= 10:
        raise InvalidInput({"scale": ["The scale is a whole number from 0 to 10."]})
    if not summary.strip():
        raise InvalidInput({"summary": ["Summarise what the review found."]})
    if current.reviews.filter(review_date=review_date).exists():
        raise InvalidInput(
            {"review_date": ["A review is already recorded on that date: add to its notes."]}
        )
    review = Review(
        case=current,
        review_date=review_date,
        summary=summary.strip(),
        scale=scale,
        created_by_id=user.pk,
        updated_by_id=user.pk,
    )
    full_clean_or_raise(review)
    review.save()
    if current.last_review_on is None or review_date > current.last_review_on:
        current.last_review_on = review_date
    bump(current, user_id=user.pk)
    current.save()
    record(
        user=user,
        case=current,
        instance=review,
        action=Action.CREATE,
        changes=None,
        event=EventKind.REVIEW_RECORDED,
        occurred_on=review_date,
        data={"scale": scale},
    )
    return review


def _note_case(user: User, case: Case) -> Case:
    """Notes may be added by anyone who may write the case, and by managers (oversight)."""
    if case.unit_id not in scope_org_unit_ids(user):
        raise NotFound("case")
    if not (
        can_write_case(user, unit_id=case.unit_id, worker_id=case.worker_id)
        or user.role == UserRole.MANAGER
    ):
        raise PermissionRefused("Only the lead practitioner or the unit leader can add notes.")
    return Case.objects.select_for_update().get(pk=case.pk)


@transaction.atomic
def case_note_add(*, user: User, case: Case, occurred_on: date, kind: str, text: str) -> CaseNote:
    """Add a case note. Notes are appended, never edited, so no version is needed."""
    current = _note_case(user, case)
    errors: dict[str, list[str]] = {}
    if kind not in NoteKind.__members__:
        errors["kind"] = ["Choose the kind of note."]
    if not text.strip():
        errors["text"] = ["Write the note."]
    if occurred_on > clock.today():
        errors["occurred_on"] = ["A note cannot be dated in the future."]
    elif occurred_on < current.opened_on:
        errors["occurred_on"] = ["A note cannot be dated before the case opened."]
    if errors:
        raise InvalidInput(errors)
    note = CaseNote(
        case=current,
        occurred_on=occurred_on,
        kind=kind,
        text=text.strip(),
        author_id=user.pk,
        author_name=user.get_full_name() or user.get_username(),
        created_by_id=user.pk,
        updated_by_id=user.pk,
    )
    full_clean_or_raise(note)
    note.save()
    if kind in CONTACT_NOTE_KINDS and (
        current.last_contact_on is None or occurred_on > current.last_contact_on
    ):
        current.last_contact_on = occurred_on
        current.save(update_fields=["last_contact_on", "updated_at"])
    record(
        user=user,
        case=current,
        instance=note,
        action=Action.CREATE,
        changes=None,
        event=EventKind.NOTE_ADDED,
        occurred_on=occurred_on,
        data={"kind": kind},
    )
    return note
