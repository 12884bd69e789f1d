"""District step-down panels: the children Specialist Children's Services proposes.

Every step-down notification comes from a proposal the district's panel accepted; some
proposals were declined; and a few, made in the last fortnight of the history, wait for
the next panel.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta

from earlyhelp.demo.context import Context
from earlyhelp.demo.people import Household, Member
from earlyhelp.demo.rates import HISTORY_END, HISTORY_START
from earlyhelp.demo.timing import between, office_hours
from earlyhelp.frontdoor.models import StepDownProposal

Status = StepDownProposal.Status
SUMMARY = (
    "Child in need plan ended: {child} is safe at home; the family agreed to early help "
    "for routines, school attendance and support for {parent}."
)
DECLINED = "The family does not want further support; universal services are enough."
ACCEPTED = "Agreed at the panel: early help will work with the family."
SCS_WORKERS = ("Sam", "Alex", "Jo", "Chris", "Nicky", "Pat", "Lee", "Ashley")


def _proposal(
    ctx: Context, rng: random.Random, household: Household, child: Member, proposed_on: date
) -> dict[str, object]:
    number = ctx.writer.next_id(StepDownProposal)
    proposed_on = max(proposed_on, HISTORY_START)
    return {
        "id": number,
        "proposal_ref": f"SD{number:07d}",
        "district_id": household.district.id,
        "given_name": child.given_name,
        "family_name": child.family_name or household.surname,
        "date_of_birth": child.dob,
        "sex": child.sex,
        "postcode": household.postcode,
        "scs_worker": f"{rng.choice(SCS_WORKERS)} {ctx.families.last_name(rng)}",
        "summary": SUMMARY.format(child=child.given_name, parent=household.parent_name),
        "proposed_on": proposed_on,
        "created_at": office_hours(rng, proposed_on),
    }


def accepted(
    ctx: Context,
    rng: random.Random,
    household: Household,
    child: Member,
    notification: tuple[int, datetime],
) -> None:
    """The proposal behind a step-down notification, accepted on the day it was received."""
    notification_id, received = notification
    row = _proposal(ctx, rng, household, child, received.date() - timedelta(between(rng, 3, 21)))
    row.update(
        status=Status.ACCEPTED,
        decided_on=received.date(),
        decision_reason=ACCEPTED,
        decided_by_name="District panel",
        person_id=child.id,
        notification_id=notification_id,
        updated_at=received,
        version=2,
    )
    ctx.writer.add(StepDownProposal, row)


def declined(
    ctx: Context, rng: random.Random, household: Household, child: Member, on: date
) -> None:
    row = _proposal(ctx, rng, household, child, on - timedelta(between(rng, 3, 21)))
    row.update(
        status=Status.DECLINED,
        decided_on=on,
        decision_reason=DECLINED,
        decided_by_name="District panel",
        updated_at=office_hours(rng, on),
        version=2,
    )
    ctx.writer.add(StepDownProposal, row)


def waiting(ctx: Context, rng: random.Random, household: Household, child: Member) -> None:
    """Proposed in the last fortnight: on the agenda of the next panel."""
    proposed_on = HISTORY_END - timedelta(between(rng, 0, 13))
    ctx.writer.add(StepDownProposal, _proposal(ctx, rng, household, child, proposed_on))
