"""A case being written: its ids, the family, the notification and who held it when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from earlyhelp.demo.notifications import Referral
from earlyhelp.demo.organisation import StaffMember, Team
from earlyhelp.demo.people import Household
from earlyhelp.demo.timeline import Timeline


@dataclass(slots=True)
class Holding:
    """One allocation: who held the case from when."""

    team: Team
    worker: StaffMember
    start: date
    end: date | None
    reason: str


@dataclass(slots=True)
class CaseRun:
    """A case being written: ids, names and who held it when."""

    id: int
    ref: str
    household: Household
    referral: Referral
    holdings: list[Holding]
    t: Timeline

    def holder_on(self, day: date) -> Holding:
        for holding in reversed(self.holdings):
            if holding.start <= day:
                return holding
        return self.holdings[0]

    def refs(self) -> dict[str, int]:
        return {
            "family_id": self.household.id,
            "person_id": self.referral.child.id,
            "case_id": self.id,
            "notification_id": self.referral.notification_id,
        }

    @property
    def child(self) -> str:
        return self.referral.child.given_name

    @property
    def parent(self) -> str:
        return self.household.parent_name
