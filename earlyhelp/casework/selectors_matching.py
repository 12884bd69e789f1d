"""Matches at the front door with what is already known of each: open cases, past episodes.

Triage officers need these minimal details county-wide to decide whether a notification
is ALREADY_OPEN or a re-referral; other roles see them only for families in their scope
(`people.policies.family_scope`). The history of a person includes the records merged into
it (`people.selectors.person_history_map`), whose cases and notifications stay linked to
their own rows.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count

from earlyhelp.casework.models import Case
from earlyhelp.frontdoor.models import Notification
from earlyhelp.organisation.models import User
from earlyhelp.people.models import Family
from earlyhelp.people.policies import family_scope
from earlyhelp.people.selectors import PersonMatch, person_history_map, person_match_candidates


@dataclass(frozen=True, slots=True)
class OpenCase:
    case_id: int
    case_ref: str
    unit_name: str
    worker_name: str  # "" when unallocated
    opened_on: date


@dataclass(frozen=True, slots=True)
class PastEpisode:
    case_id: int
    case_ref: str
    unit_name: str
    opened_on: date
    closed_on: date
    closure_reason: str


@dataclass(frozen=True, slots=True)
class MatchWithHistory:
    """A possible match and the minimal history a triage decision needs."""

    person_id: int
    person_ref: str
    given_name: str
    family_name: str
    date_of_birth: date | None
    family_id: int
    family_ref: str
    postcode: str
    score: int
    reasons: tuple[str, ...]
    open_cases: tuple[OpenCase, ...]
    past_episodes: tuple[PastEpisode, ...]
    family_notifications: int  # notifications of the family (and of merged records' families)
    person_notifications: int  # notifications of this person (and of records merged into it)


@dataclass(frozen=True, slots=True)
class _History:
    open_cases: dict[int, list[OpenCase]]
    past_episodes: dict[int, list[PastEpisode]]
    by_family: Counter[int]
    by_person: Counter[int]


def _visible_families(user: User, family_ids: Iterable[int]) -> set[int]:
    scope = Family.objects.filter(family_scope(user), pk__in=set(family_ids))
    return set(scope.values_list("pk", flat=True))


def _cases(family_ids: set[int]) -> tuple[dict[int, list[OpenCase]], dict[int, list[PastEpisode]]]:
    open_cases: dict[int, list[OpenCase]] = {}
    past: dict[int, list[PastEpisode]] = {}
    rows = Case.objects.filter(family_id__in=family_ids).select_related("unit", "worker")
    for case in rows.order_by("-opened_on", "case_ref"):
        if case.closed_on is None:
            worker = case.worker.name if case.worker else ""
            entry = OpenCase(case.pk, case.case_ref, case.unit.name, worker, case.opened_on)
            open_cases.setdefault(case.family_id, []).append(entry)
        else:
            episode = PastEpisode(
                case.pk,
                case.case_ref,
                case.unit.name,
                case.opened_on,
                case.closed_on,
                case.closure_reason,
            )
            past.setdefault(case.family_id, []).append(episode)
    return open_cases, past


def _notification_counts(family_ids: set[int]) -> tuple[Counter[int], Counter[int]]:
    by_family: Counter[int] = Counter()
    by_person: Counter[int] = Counter()
    rows = (
        Notification.objects.filter(family_id__in=family_ids)
        .values_list("family_id", "person_id")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for family_id, person_id, n in rows:
        by_family[family_id] += n
        by_person[person_id] += n
    return by_family, by_person


def _history(user: User, family_ids: Iterable[int]) -> _History:
    visible = _visible_families(user, family_ids)
    open_cases, past = _cases(visible)
    by_family, by_person = _notification_counts(visible)
    return _History(open_cases, past, by_family, by_person)


def _with_history(
    match: PersonMatch, members: list[tuple[int, int]], history: _History
) -> MatchWithHistory:
    person = match.person
    families = sorted({family_id for _, family_id in members} | {person.family_id})
    open_cases = [c for f in families for c in history.open_cases.get(f, [])]
    past = [e for f in families for e in history.past_episodes.get(f, [])]
    return MatchWithHistory(
        person_id=person.pk,
        person_ref=person.person_ref,
        given_name=person.given_name,
        family_name=person.family_name,
        date_of_birth=person.date_of_birth,
        family_id=person.family_id,
        family_ref=person.family.family_ref,
        postcode=person.family.postcode,
        score=match.score,
        reasons=match.reasons,
        open_cases=tuple(sorted(open_cases, key=lambda c: (c.opened_on, c.case_ref), reverse=True)),
        past_episodes=tuple(sorted(past, key=lambda e: (e.closed_on, e.case_ref), reverse=True)),
        family_notifications=sum(history.by_family[f] for f in families),
        person_notifications=sum(history.by_person[pid] for pid, _ in members),
    )


def person_matches_with_history(
    *,
    user: User,
    given_name: str,
    family_name: str,
    date_of_birth: date | None = None,
    postcode: str | None = None,
    limit: int = 10,
) -> list[MatchWithHistory]:
    """`people.selectors.person_match_candidates`, each with its family's casework history.

    A constant number of queries: the matches, the merged records behind them, the
    families the user may see, their cases, and their notification counts.
    """
    matches = person_match_candidates(
        user=user,
        given_name=given_name,
        family_name=family_name,
        date_of_birth=date_of_birth,
        postcode=postcode,
        limit=limit,
    )
    if not matches:
        return []
    members = person_history_map(m.person.pk for m in matches)
    family_ids = {f for rows in members.values() for _, f in rows}
    history = _history(user, family_ids)
    return [_with_history(m, members.get(m.person.pk, []), history) for m in matches]
