"""Writes of the district step-down panels: SCS proposes a child, the panel decides.

An accepted proposal becomes a notification at the front door (source SCS, category
SCS_STEP_DOWN) about the child, linked to a known person or to one recorded for it, in
the same transaction as the decision.
"""

from __future__ import annotations

from datetime import date

from django.db import transaction

from earlyhelp.audit.models import Action
from earlyhelp.audit.services import Actor, Refs, change_record, diff, snapshot
from earlyhelp.common import clock
from earlyhelp.common.errors import InvalidInput, NotFound, PermissionRefused
from earlyhelp.common.locking import bump, lock_current
from earlyhelp.common.references import next_reference
from earlyhelp.common.validation import full_clean_or_raise
from earlyhelp.domain import identifiers
from earlyhelp.domain.codes import Category, OrgKind, RoleInFamily, Source
from earlyhelp.domain.errors import InvalidIdentifier
from earlyhelp.frontdoor.models import StepDownProposal
from earlyhelp.frontdoor.services import notification_create
from earlyhelp.frontdoor.stepdown_policies import may_sit_on_panel
from earlyhelp.organisation.models import OrgUnit, User
from earlyhelp.people import services as people
from earlyhelp.people.models import Person
from earlyhelp.people.policies import person_scope

Status = StepDownProposal.Status
SCS_NAME = "Specialist Children's Services"


def _check_proposal(
    *, given_name: str, family_name: str, date_of_birth: date | None, summary: str, scs_worker: str
) -> None:
    errors: dict[str, list[str]] = {}
    if not given_name.strip():
        errors["given_name"] = ["Enter the child's given name."]
    if not family_name.strip():
        errors["family_name"] = ["Enter the child's family name."]
    if date_of_birth is None:
        errors["date_of_birth"] = ["Enter the child's date of birth."]
    elif date_of_birth > clock.today():
        errors["date_of_birth"] = ["The date of birth must be today or in the past."]
    if not scs_worker.strip():
        errors["scs_worker"] = ["Enter the name of the SCS worker."]
    if not summary.strip():
        errors["summary"] = ["Say why the child is proposed for step-down and what SCS did."]
    if errors:
        raise InvalidInput(errors)


def _postcode(value: str) -> str:
    if not value.strip():
        raise InvalidInput({"postcode": ["Enter the postcode where the child lives."]})
    try:
        return identifiers.normalise_postcode(value)
    except InvalidIdentifier as error:
        raise InvalidInput({"postcode": [error.message]}) from error


@transaction.atomic
def step_down_propose(
    *,
    user: User,
    district: OrgUnit,
    given_name: str,
    family_name: str,
    date_of_birth: date | None,
    sex: str,
    postcode: str,
    scs_worker: str,
    summary: str,
    proposed_on: date,
) -> StepDownProposal:
    """Put a child SCS proposes to step down on the agenda of the district's panel."""
    if district.kind != OrgKind.DISTRICT:
        raise InvalidInput({"district": ["Choose the district whose panel will decide."]})
    if not may_sit_on_panel(user, district_id=district.pk):
        raise PermissionRefused("You cannot propose step-downs to this district's panel.")
    _check_proposal(
        given_name=given_name,
        family_name=family_name,
        date_of_birth=date_of_birth,
        summary=summary,
        scs_worker=scs_worker,
    )
    proposal = StepDownProposal(
        proposal_ref=next_reference(StepDownProposal, field="proposal_ref", prefix="SD"),
        district=district,
        given_name=" ".join(given_name.split()),
        family_name=" ".join(family_name.split()),
        date_of_birth=date_of_birth,
        sex=sex,
        postcode=_postcode(postcode),
        scs_worker=scs_worker.strip(),
        summary=summary.strip(),
        proposed_on=proposed_on,
        created_by_id=user.pk,
        updated_by_id=user.pk,
    )
    full_clean_or_raise(proposal)
    proposal.save()
    change_record(actor=Actor.of(user), instance=proposal, action=Action.CREATE, refs=Refs())
    return proposal


def _check_decision(decision: str, reason: str, current: StepDownProposal) -> None:
    errors: dict[str, list[str]] = {}
    if decision not in {Status.ACCEPTED, Status.DECLINED, Status.DEFERRED}:
        errors["decision"] = ["Choose the panel's decision: accepted, declined or deferred."]
    if not reason.strip():
        errors["reason"] = ["Give the reason for the panel's decision."]
    if not current.is_open:
        errors["decision"] = [
            f"The panel has already decided: {current.get_status_display().lower()}."
        ]
    if errors:
        raise InvalidInput(errors)


def _child(
    *, user: User, proposal: StepDownProposal, person: Person | None, create_person: bool
) -> Person:
    """The known child chosen by the panel, or a record made for the child (and family)."""
    if person is not None:
        if not Person.objects.filter(person_scope(user), pk=person.pk).exists():
            raise NotFound("person")
        if person.merged_into_id is not None:
            raise InvalidInput({"person": ["That record was merged into another: choose it."]})
        return person
    if not create_person:
        raise InvalidInput({"person": ["Choose the child's record, or record a new child."]})
    actor = Actor.of(user)
    family = people.family_create(
        actor=actor, district=proposal.district, postcode=proposal.postcode
    )
    return people.person_create(
        actor=actor,
        family=family,
        given_name=proposal.given_name,
        family_name=proposal.family_name,
        date_of_birth=proposal.date_of_birth,
        sex=proposal.sex,
        role_in_family=RoleInFamily.CHILD,
    )


@transaction.atomic
def step_down_decide(
    *,
    user: User,
    proposal: StepDownProposal,
    version: int,
    decision: str,
    reason: str,
    person: Person | None = None,
    create_person: bool = False,
) -> StepDownProposal:
    """Record the panel's decision; an accepted child becomes a step-down notification.

    On ACCEPTED, `person` is the known child the panel matched the proposal to, or with
    `create_person` a family and a child are recorded from the proposal's details.
    """
    if not may_sit_on_panel(user, district_id=proposal.district_id):
        raise NotFound("step-down proposal")
    current = lock_current(
        StepDownProposal,
        pk=proposal.pk,
        version=version,
        what="step-down proposal",
        seen=proposal,
    )
    _check_decision(decision, reason, current)
    before = snapshot(current)
    if decision == Status.ACCEPTED:
        child = _child(user=user, proposal=current, person=person, create_person=create_person)
        current.person = child
        current.notification = notification_create(
            user=user,
            person=child,
            received_at=clock.now(),
            source=Source.SCS,
            category=Category.SCS_STEP_DOWN,
            reason=current.summary,
            referrer_name=current.scs_worker,
            referrer_organisation=SCS_NAME,
        )
    current.status = decision
    current.decision_reason = reason.strip()
    current.decided_on = clock.today()
    current.decided_by_id = user.pk
    current.decided_by_name = user.get_username()
    bump(current, user_id=user.pk)
    full_clean_or_raise(current)
    current.save()
    change_record(
        actor=Actor.of(user),
        instance=current,
        action=Action.UPDATE,
        changes=diff(before, snapshot(current)),
        refs=Refs(
            family_id=current.person.family_id if current.person else None,
            person_id=current.person_id,
            notification_id=current.notification_id,
        ),
    )
    return current
