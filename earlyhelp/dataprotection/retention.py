"""Retention: which families are due for anonymisation, and the job that anonymises them.

The rules (`conf.retention_rules`, from settings or the environment): N years after the
family's last case closed (for a family never worked with, after its last notification),
and the given birthday of its youngest child; with `all` a family is due when every rule
that is on has passed (whichever is later), with `any` when one has. A family with an open
case or a notification waiting for triage is never due. The dry run lists the families due
and why; `--apply` anonymises them (`anonymise.family_anonymise`), each in its own
transaction, leaving the indicators' monthly snapshots untouched.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max, Q

from earlyhelp.audit.services import Actor
from earlyhelp.casework.models import Case
from earlyhelp.common import clock
from earlyhelp.dataprotection.anonymise import Anonymised, family_anonymise
from earlyhelp.dataprotection.conf import RetentionRules, retention_rules
from earlyhelp.domain.codes import RoleInFamily
from earlyhelp.frontdoor.models import Notification
from earlyhelp.people.models import Family, Person


def add_years(day: date, years: int) -> date:
    """The anniversary; someone born on 29 February has it on 1 March in other years."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 3, 1)


@dataclass(frozen=True, slots=True)
class Facts:
    """What the rules read about one family."""

    last_closed_on: date | None  # its last case's closure; None if it never had a case
    last_notified_on: date | None
    youngest_child_born: date | None
    active: bool  # an open case or a notification waiting for triage

    @property
    def last_activity(self) -> date | None:
        return self.last_closed_on or self.last_notified_on


@dataclass(frozen=True, slots=True)
class Decision:
    due_on: date | None
    reasons: tuple[str, ...]

    def is_due(self, today: date) -> bool:
        return self.due_on is not None and self.due_on <= today


def decide(facts: Facts, rules: RetentionRules) -> Decision:
    """When the family's records fall due for anonymisation under the rules, and why."""
    if facts.active:
        return Decision(None, ("an open case or a notification waiting for triage",))
    dates: list[date | None] = []
    reasons: list[str] = []
    if rules.years_after_closure:
        since = facts.last_activity
        what = "the last case closed" if facts.last_closed_on else "the last notification"
        dates.append(add_years(since, rules.years_after_closure) if since else None)
        reasons.append(
            f"{rules.years_after_closure} years after {what} ({since:%-d %B %Y})"
            if since
            else "no case closure or notification on record"
        )
    if rules.age_of_youngest:
        born = facts.youngest_child_born
        dates.append(add_years(born, rules.age_of_youngest) if born else None)
        reasons.append(
            f"youngest child {rules.age_of_youngest} on "
            f"{add_years(born, rules.age_of_youngest):%-d %B %Y}"
            if born
            else "no child's date of birth on record"
        )
    known = [d for d in dates if d is not None]
    if not dates or (rules.combine == "all" and len(known) < len(dates)) or not known:
        return Decision(None, tuple(reasons))
    return Decision(max(known) if rules.combine == "all" else min(known), tuple(reasons))


@dataclass(frozen=True, slots=True)
class Due:
    family_id: int
    family_ref: str
    due_on: date
    reason: str


def _facts() -> dict[int, Facts]:
    """The rules' facts for every family not yet anonymised: four grouped queries."""
    families = list(Family.objects.filter(anonymised_on__isnull=True).values_list("pk", flat=True))
    cases = {
        row["family_id"]: row
        for row in Case.objects.values("family_id").annotate(
            last=Max("closed_on"), open=Count("pk", filter=Q(closed_on__isnull=True))
        )
    }
    notifications = {
        row["family_id"]: row
        for row in Notification.objects.values("family_id").annotate(
            last=Max("received_at"), pending=Count("pk", filter=Q(triaged_at__isnull=True))
        )
    }
    children = dict(
        Person.objects.filter(role_in_family=RoleInFamily.CHILD, merged_into__isnull=True)
        .values("family_id")
        .annotate(youngest=Max("date_of_birth"))
        .values_list("family_id", "youngest")
    )
    facts = {}
    for pk in families:
        case, notified = cases.get(pk, {}), notifications.get(pk, {})
        last_notified = notified.get("last")
        facts[pk] = Facts(
            last_closed_on=case.get("last"),
            last_notified_on=clock.local_date(last_notified) if last_notified else None,
            youngest_child_born=children.get(pk),
            active=bool(case.get("open") or notified.get("pending")),
        )
    return facts


def retention_due(*, today: date | None = None, rules: RetentionRules | None = None) -> list[Due]:
    """The families due for anonymisation today, with the reason: the dry run."""
    today = today or clock.today()
    rules = rules or retention_rules()
    refs = dict(Family.objects.filter(anonymised_on__isnull=True).values_list("pk", "family_ref"))
    due = []
    for pk, facts in _facts().items():
        decision = decide(facts, rules)
        if decision.is_due(today) and decision.due_on is not None:
            due.append(
                Due(
                    family_id=pk,
                    family_ref=refs[pk],
                    due_on=decision.due_on,
                    reason="; ".join(decision.reasons),
                )
            )
    return sorted(due, key=lambda d: (d.due_on, d.family_ref))


def retention_apply(
    *, actor: Actor, today: date | None = None, rules: RetentionRules | None = None
) -> Iterator[tuple[Due, Anonymised | None]]:
    """Anonymise each family due (each in its own transaction), yielding what was done."""
    rules = rules or retention_rules()
    for due in retention_due(today=today, rules=rules):
        yield (
            due,
            family_anonymise(
                actor=actor,
                family_id=due.family_id,
                reason=f"{rules.describe()} Due on {due.due_on:%-d %B %Y}: {due.reason}.",
            ),
        )
