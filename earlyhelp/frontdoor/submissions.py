"""Partners' notifications: from the portal, the API or the police feed, exactly once.

`partner_submission_create` checks every answer, places the family in a district, and
records the family, the child (and the parent or carer named), the notification and the
submission in one transaction. The triage officer then matches the child to people
already known (`frontdoor.linking`), as for any other new notification.

Idempotency: a submission sent again with the same `Idempotency-Key` by the same account
returns the first one (`created` is False) and writes nothing; the same key with other
answers is refused, naming the key.

Queued intake (decision 0017): `partner_submission_receive` checks the answers exactly as
`partner_submission_create` does, gives the notification its reference and writes only the
submission; `partner_submissions_record` (the `earlyhelp submissions --record` worker) then
records queued submissions in batches, each exactly as `partner_submission_create` would
have. Until then the partner is told the notification was received.
"""

from __future__ import annotations

import logging
from contextlib import nullcontext
from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, OperationalError, connection, transaction

from earlyhelp.audit.services import Actor, change_records_together
from earlyhelp.common import clock
from earlyhelp.common.errors import InvalidInput, PermissionRefused
from earlyhelp.common.queries import unique_or_none
from earlyhelp.common.transactions import all_or_nothing
from earlyhelp.common.validation import input_already_checked
from earlyhelp.domain import identifiers
from earlyhelp.domain.codes import OrgKind, RoleInFamily
from earlyhelp.domain.submissions import Answers, answer_errors
from earlyhelp.frontdoor.models import Notification, PartnerSubmission, SubmissionDraft
from earlyhelp.frontdoor.policies import may_submit
from earlyhelp.frontdoor.selectors import queue_failures
from earlyhelp.frontdoor.services import notification_create, notification_reference_next
from earlyhelp.organisation.models import OrgUnit, User
from earlyhelp.people import selectors as people_selectors
from earlyhelp.people import services as people
from earlyhelp.people.models import Family, FamilyConsent, Person

IDEMPOTENCY_FIELD = "Idempotency-Key"
MAX_KEY_LENGTH = 255
RECORD_BATCH = 100
UNPLACED_POSTCODE = "We could not tell which district this postcode is in: check it."
log = logging.getLogger("earlyhelp.submissions")


@dataclass(frozen=True, slots=True)
class Submitted:
    submission: PartnerSubmission
    notification: Notification | None  # None: received into the queue, not recorded yet
    created: bool

    @property
    def reference(self) -> str:
        if self.notification is not None:
            return self.notification.notification_ref
        return self.submission.reference

    def recorded(self) -> Notification:
        """The notification, which `partner_submission_create` records at once (a key
        first used for a queued submission may not be recorded yet: LookupError)."""
        if self.notification is None:
            raise LookupError(f"Notification {self.reference} is queued, not recorded yet.")
        return self.notification


def _invalid(errors: dict[str, str]) -> InvalidInput:
    return InvalidInput({name: [message] for name, message in errors.items()})


def _one_district(**lookup: object) -> OrgUnit | None:
    return unique_or_none(OrgUnit.objects.filter(kind=OrgKind.DISTRICT, **lookup))


def _district(answers: Answers, postcode: str) -> OrgUnit:
    if answers.district_code.strip():
        unit = _one_district(code=answers.district_code.strip())
        if unit is None:
            raise _invalid({"district_code": "No district has that code."})
        return unit
    for _attempt in range(2):
        district_id = people_selectors.district_for_postcode(postcode)
        if district_id is None:
            break
        unit = _one_district(pk=district_id)
        if unit is not None:
            return unit
        people_selectors.forget_postcode_districts()  # kept map is stale: load it again
    raise _invalid({"postcode": UNPLACED_POSTCODE})


def _check_key(key: str) -> None:
    if len(key) > MAX_KEY_LENGTH or any(not (32 < ord(c) < 127) for c in key):
        raise _invalid(
            {IDEMPOTENCY_FIELD: f"Use up to {MAX_KEY_LENGTH} printable ASCII characters."}
        )


def _existing(user: User, key: str, fingerprint: str) -> Submitted | None:
    if not key:
        return None
    # (account, key) is unique. Most keys are new: ask for the columns that tell, and load
    # the submission and its notification only for a replay.
    mine = PartnerSubmission.objects.filter(submitted_by=user, idempotency_key=key).order_by()
    seen = list(mine.values_list("fingerprint", "notification_id", "reference")[:1])
    if not seen or (seen[0][1] is None and not seen[0][2]):
        return None
    if seen[0][0] != fingerprint:
        raise _invalid(
            {IDEMPOTENCY_FIELD: "This key was already used for a different notification."}
        )
    found = unique_or_none(mine.select_related("notification"))
    if found is None or (found.notification is None and not found.reference):
        return None
    return Submitted(submission=found, notification=found.notification, created=False)


def _record_child(actor: Actor, answers: Answers, family: Family) -> Person:
    """The child as the partner typed them. Triage matches them to anyone already known;
    a UPN someone already has stays in the submission's answers, off the new record (the
    database keeps a UPN to one child), so the match is triage's to make."""
    child = {
        "given_name": answers.child_given_name.strip(),
        "family_name": answers.child_family_name.strip(),
        "date_of_birth": answers.child_date_of_birth,
        "sex": answers.child_sex,
        "role_in_family": RoleInFamily.CHILD,
    }
    upn = identifiers.normalise_upn(answers.child_upn) if answers.child_upn else ""
    if upn and not Person.objects.filter(upn=upn, merged_into__isnull=True).exists():
        try:
            with transaction.atomic():
                return people.person_create(actor=actor, family=family, upn=upn, **child)
        except IntegrityError:
            pass  # given to another child a moment ago: record this one without it
    return people.person_create(actor=actor, family=family, **child)


def _record_people(actor: Actor, answers: Answers, district: OrgUnit, postcode: str) -> Person:
    family = people.family_create(
        actor=actor,
        district=district,
        postcode=postcode,
        address_line_1=answers.address_line_1.strip(),
        town=answers.town.strip(),
    )
    child = _record_child(actor, answers, family)
    carer = answers.parent_carer_name.split()
    if carer:
        people.person_create(
            actor=actor,
            family=family,
            given_name=" ".join(carer[:-1]) or carer[0],
            family_name=carer[-1] if len(carer) > 1 else answers.child_family_name.strip(),
            sex="U",
            role_in_family=RoleInFamily.PARENT_CARER,
        )
    return child


def _record(
    user: User, answers: Answers, received_at: datetime, reference: str = ""
) -> tuple[Notification, FamilyConsent | None]:
    """The family, the child (and the carer named), the notification and the consent to
    tell the referrer the outcome: the caller's `all_or_nothing` block holds them."""
    postcode = identifiers.normalise_postcode(answers.postcode)
    actor = Actor.of(user)
    district = _district(answers, postcode)
    child = _record_people(actor, answers, district, postcode)
    notification = _record_notification(user, child, answers, received_at, reference)
    consent = None
    if answers.share_outcome_consent:
        consent = people.consent_from_referrer(
            actor=actor,
            family=child.family,
            partner_name=answers.referrer_organisation,
            given_on=clock.local_date(received_at),
        )
    return notification, consent


def _create(
    *,
    user: User,
    answers: Answers,
    fingerprint: str,
    channel: str,
    key: str,
    received_at: datetime,
) -> Submitted:
    with all_or_nothing(), input_already_checked(), change_records_together():
        notification, consent = _record(user, answers, received_at)
        # Written last, complete, in one statement: it is what claims the key. A concurrent
        # retry with the same key waits here until this commits, then fails on the unique
        # (account, key) and rolls back everything it wrote.
        submission = PartnerSubmission.objects.create(
            submitted_by=user,
            channel=channel,
            idempotency_key=key,
            fingerprint=fingerprint,
            answers=answers.as_json(),
            received_at=received_at,
            notification=notification,
            consent=consent,
        )
    return Submitted(submission=submission, notification=notification, created=True)


def _record_notification(
    user: User, child: Person, answers: Answers, received_at: datetime, reference: str = ""
) -> Notification:
    return notification_create(
        user=user,
        person=child,
        received_at=received_at,
        source=answers.source,
        category=answers.category,
        reason=answers.concerns,
        what_has_been_tried=answers.what_has_been_tried,
        family_consent=answers.family_consent,
        referrer_name=" ".join(answers.referrer_name.split()),
        referrer_organisation=" ".join(answers.referrer_organisation.split()),
        referrer_email=answers.referrer_email.strip(),
        referrer_phone=answers.referrer_phone.strip(),
        urgent=answers.urgent,
        notification_ref=reference,
    )


def _checked(user: User, answers: Answers, idempotency_key: str) -> tuple[str, str]:
    """The key and the answers' fingerprint, once the account may submit and every answer
    is right."""
    if not may_submit(user):
        raise PermissionRefused("You cannot submit notifications.")
    key = idempotency_key.strip()
    _check_key(key)
    errors = answer_errors(answers, today=clock.today())
    if errors:
        raise _invalid(errors)
    return key, answers.fingerprint()


def partner_submission_create(
    *,
    user: User,
    answers: Answers,
    channel: str = PartnerSubmission.Channel.PORTAL,
    idempotency_key: str = "",
    received_at: datetime | None = None,
) -> Submitted:
    """Record a partner's notification once, however many times it is sent."""
    key, fingerprint = _checked(user, answers, idempotency_key)
    existing = _existing(user, key, fingerprint)
    if existing is not None:
        return existing
    when = received_at or clock.now()
    try:
        return _create(
            user=user,
            answers=answers,
            fingerprint=fingerprint,
            channel=channel,
            key=key,
            received_at=when,
        )
    except IntegrityError:
        # Another request with this key committed first: answer with its notification.
        existing = _existing(user, key, fingerprint)
        if existing is None:
            raise
        return existing


# --- queued intake (decision 0017) --------------------------------------------------------


def partner_submission_receive(
    *,
    user: User,
    answers: Answers,
    channel: str = PartnerSubmission.Channel.API,
    idempotency_key: str = "",
    received_at: datetime | None = None,
) -> Submitted:
    """Take a partner's notification into the queue, once, however many times it is sent.

    Every answer is checked as `partner_submission_create` checks it and the postcode must
    be one we can place in a district; the notification's reference is given now and only
    the submission is written. `partner_submissions_record` records it later. PostgreSQL
    only: the reference comes from the notifications' sequence (settings refuse the queue
    on SQLite).
    """
    key, fingerprint = _checked(user, answers, idempotency_key)
    _check_placed(answers)
    try:
        # Most keys are new: the unique (account, key) tells a retry, without a read first.
        # Alone, the INSERT commits by itself; in a caller's transaction, a savepoint.
        with transaction.atomic() if connection.in_atomic_block else nullcontext():
            submission = PartnerSubmission.objects.create(
                submitted_by=user,
                channel=channel,
                idempotency_key=key,
                fingerprint=fingerprint,
                answers=answers.as_json(),
                received_at=received_at or clock.now(),
                reference=notification_reference_next(),
            )
    except IntegrityError:
        existing = _existing(user, key, fingerprint)  # sent before, or a retry got there first
        if existing is None:
            raise
        return existing
    return Submitted(submission=submission, notification=None, created=True)


def _check_placed(answers: Answers) -> None:
    """Refuse now a district code or a postcode the recorder could not place. The
    recorder places the family itself (`_district`), with the same messages."""
    if answers.district_code.strip():
        _district(answers, "")
        return
    postcode = identifiers.normalise_postcode(answers.postcode)
    if not people_selectors.postcode_placeable(postcode):
        raise _invalid({"postcode": UNPLACED_POSTCODE})


@dataclass(frozen=True, slots=True)
class Recorded:
    recorded: int
    failed: int


def partner_submissions_record(*, limit: int = RECORD_BATCH) -> Recorded:
    """Record up to `limit` queued submissions, oldest first, in one transaction.

    Each is recorded in a savepoint of its own, exactly as `partner_submission_create`
    records one (with the reference it was given). Workers running at once take different
    submissions (`SKIP LOCKED`), so none is recorded twice. One that cannot be recorded
    (its district or account gone since, answers this version cannot read) keeps the
    reason in `recording_error`, is logged, and waits for `partner_submissions_retry`. A
    passing failure of the database (a deadlock, a timeout, a lost connection) is raised:
    the batch rolls back whole and stays queued for the next attempt.
    """
    recorded = failed = 0
    with transaction.atomic():
        if connection.vendor == "postgresql":
            # Foreign keys are checked at each statement, so that a broken one fails its
            # own submission's savepoint, not the whole batch at COMMIT.
            with connection.cursor() as cursor:
                cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        queued = (
            PartnerSubmission.objects.filter(notification__isnull=True, recording_error="")
            .exclude(reference="")
            .select_related("submitted_by")
            .select_for_update(skip_locked=True, of=("self",))
            .order_by("id")[:limit]
        )
        for submission in list(queued):
            if _record_queued(submission):
                recorded += 1
            else:
                failed += 1
    return Recorded(recorded=recorded, failed=failed)


def _record_queued(submission: PartnerSubmission) -> bool:
    try:
        with all_or_nothing(), input_already_checked(), change_records_together():
            answers = Answers.from_json(submission.answers)
            notification, consent = _record(
                submission.submitted_by, answers, submission.received_at, submission.reference
            )
            PartnerSubmission.objects.filter(pk=submission.pk).update(
                notification=notification, consent=consent
            )
    except OperationalError:
        raise  # passing: the whole batch is tried again
    except Exception as error:  # noqa: BLE001 - whatever it is, this one is kept aside
        reason = _reason(error)
        log.exception(
            "queued submission %s (%s) not recorded: %s",
            submission.pk,
            submission.reference,
            reason,
        )
        PartnerSubmission.objects.filter(pk=submission.pk).update(recording_error=reason)
        return False
    return True


def partner_submissions_retry(*, references: list[str] | None = None) -> int:
    """Queue again the submissions that could not be recorded (those given, else all),
    once whatever stopped them is put right; how many."""
    failed = queue_failures()
    if references is not None:
        failed = failed.filter(reference__in=[r.strip().upper() for r in references])
    return failed.update(recording_error="")


def _reason(error: Exception) -> str:
    if isinstance(error, InvalidInput):
        return "; ".join(
            f"{name}: {' '.join(str(m) for m in messages)}"
            for name, messages in error.errors.items()
        )
    if isinstance(error, PermissionRefused):
        return str(error)
    return f"{type(error).__name__}: {error}"  # the database's own words


# --- drafts -----------------------------------------------------------------------------


def draft_save(
    *, user: User, answers: dict[str, object], step: str, draft: SubmissionDraft | None = None
) -> SubmissionDraft:
    """Keep what a partner has typed so far (nothing is checked until they send it)."""
    if not may_submit(user):
        raise PermissionRefused("You cannot submit notifications.")
    if draft is None:
        return SubmissionDraft.objects.create(owner=user, answers=answers, step=step)
    if draft.owner_id != user.pk:
        raise PermissionRefused("That draft is someone else's.")
    with transaction.atomic():
        # Two tabs saving pages of one draft: each merges into what the other saved.
        current = SubmissionDraft.objects.select_for_update().get(pk=draft.pk)
        current.answers = {**current.answers, **answers}
        current.step = step
        current.version += 1
        current.save(update_fields=["answers", "step", "version", "updated_at"])
    return current


def draft_delete(*, user: User, draft: SubmissionDraft) -> None:
    if draft.owner_id != user.pk:
        raise PermissionRefused("That draft is someone else's.")
    draft.delete()
