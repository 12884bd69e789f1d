"""What the simulation of every family shares: the writer, the county, the accounts."""

from __future__ import annotations

import json
import random
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from earlyhelp.audit.models import CaseEvent
from earlyhelp.demo.organisation import County, StaffMember
from earlyhelp.demo.people import FamilyMaker
from earlyhelp.demo.timing import DaySampler, office_hours
from earlyhelp.demo.writer import BulkWriter
from earlyhelp.domain.codes import WorkerRole


@lru_cache(maxsize=1024)
def payload(*items: tuple[str, object]) -> str:
    """An event payload that recurs (a decision, a scale), encoded as JSON once."""
    return json.dumps(dict(items))


@dataclass(frozen=True, slots=True)
class Partner:
    """The demo partner account: notifications from its school were submitted by it."""

    organisation: str
    user_id: int | None
    username: str


@dataclass(slots=True)
class Context:
    writer: BulkWriter
    county: County
    families: FamilyMaker
    days: DaySampler
    partner: Partner
    # Unit leaders with an account, by unit id: they may authorise a consent-withdrawn closure.
    authorisers: dict[int, StaffMember] = field(default_factory=dict)
    step_downs: Counter[tuple[int, str]] = field(default_factory=Counter)
    triage_officers: list[StaffMember] = field(default_factory=list)
    partner_actor: StaffMember | None = None

    def __post_init__(self) -> None:
        self.triage_officers = [
            s for s in self.county.triage.staff if s.role == WorkerRole.TRIAGE_OFFICER
        ]
        self.partner_actor = StaffMember(
            id=0,
            code="",
            name=self.partner.username,
            role="",
            fte=Decimal(0),
            user_id=self.partner.user_id,
            username=self.partner.username,
        )

    def event(
        self,
        *,
        kind: str,
        moment: datetime,
        actor: StaffMember | None,
        family_id: int,
        person_id: int | None = None,
        case_id: int | None = None,
        notification_id: int | None = None,
        data: dict[str, Any] | str | None = None,
    ) -> None:
        """A case event; `data` a dict, or JSON text already encoded."""
        self.writer.add(
            CaseEvent,
            {
                "at": moment,
                "occurred_on": moment.date(),
                "kind": kind,
                "actor_id": actor.user_id if actor else None,
                "actor_name": actor.signature if actor else "system",
                "family_id": family_id,
                "person_id": person_id,
                "case_id": case_id,
                "notification_id": notification_id,
                "data": data if data is not None else "{}",
            },
        )

    def day_event(self, rng: random.Random, day: date, **kwargs: Any) -> None:
        """An event on a day, at a time in office hours."""
        self.event(moment=office_hours(rng, day), **kwargs)
