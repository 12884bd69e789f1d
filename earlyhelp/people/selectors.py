"""Reads of people and families, within the user's scope."""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from django.db import connection
from django.db.models import Q, QuerySet

from earlyhelp.common import clock
from earlyhelp.common.errors import InvalidInput, NotFound
from earlyhelp.domain import matching
from earlyhelp.organisation.models import User
from earlyhelp.people.models import Family, FamilyAccess, FamilyConsent, Person, Relationship
from earlyhelp.people.policies import family_scope, person_scope


def family_list(*, user: User) -> QuerySet[Family]:
    return Family.objects.filter(family_scope(user)).select_related("district")


def family_get(*, user: User, family_id: int) -> Family:
    family = family_list(user=user).filter(pk=family_id).first()
    if family is None:
        raise NotFound("family")
    return family


def person_list(*, user: User) -> QuerySet[Person]:
    return Person.objects.filter(person_scope(user)).select_related("family")


def person_get(*, user: User, person_id: int) -> Person:
    person = person_list(user=user).filter(pk=person_id).first()
    if person is None:
        raise NotFound("person")
    return person


def family_members(*, user: User, family_id: int) -> QuerySet[Person]:
    family = family_get(user=user, family_id=family_id)
    return family.members.filter(merged_into__isnull=True).order_by("date_of_birth", "pk")


def relationships_of(*, user: User, person_id: int) -> QuerySet[Relationship]:
    person = person_get(user=user, person_id=person_id)
    return Relationship.objects.filter(person=person).select_related("other")


# --- merged records ---------------------------------------------------------------------


def _history_rows(person_ids: Iterable[int]) -> list[tuple[int, int, int]]:
    """(root id, person id, family id) for each root and every record merged into it.

    One recursive query, whatever the depth of merges (A into B, then B into C). UNION
    (not UNION ALL) ends the recursion even if the data held a cycle.
    """
    roots = sorted(set(person_ids))
    if not roots:
        return []
    quote = connection.ops.quote_name
    table = quote(Person._meta.db_table)
    placeholders = ", ".join(["%s"] * len(roots))
    sql = (
        f"WITH RECURSIVE history(root_id, person_id, family_id) AS ("  # noqa: S608  # nosec B608  # quoted identifiers, bound values
        f" SELECT id, id, family_id FROM {table} WHERE id IN ({placeholders})"
        f" UNION SELECT history.root_id, p.id, p.family_id FROM {table} p"
        f" JOIN history ON p.{quote('merged_into_id')} = history.person_id"
        f") SELECT root_id, person_id, family_id FROM history"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, roots)
        return [(int(r), int(p), int(f)) for r, p, f in cursor.fetchall()]


def person_history_ids(person: Person) -> list[int]:
    """The person's id and the ids of every record merged into it, at any depth.

    A merge keeps the duplicate's row (its notifications and cases stay linked to it), so
    anything that reads a person's history must read these rows too.
    """
    return sorted({pid for _, pid, _ in _history_rows([person.pk])})


def person_history_map(person_ids: Iterable[int]) -> dict[int, list[tuple[int, int]]]:
    """For each person: (person id, family id) of itself and every record merged into it."""
    found: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for root, pid, family_id in _history_rows(person_ids):
        found[root].add((pid, family_id))
    return {root: sorted(members) for root, members in found.items()}


def _survivors(person_ids: Iterable[int]) -> dict[int, int]:
    """For each id, the id of the unmerged record it was (perhaps indirectly) merged into."""
    ids = sorted(set(person_ids))
    if not ids:
        return {}
    quote = connection.ops.quote_name
    table = quote(Person._meta.db_table)
    merged_into = quote("merged_into_id")
    placeholders = ", ".join(["%s"] * len(ids))
    sql = (
        f"WITH RECURSIVE up(start_id, person_id, parent_id) AS ("  # noqa: S608  # nosec B608  # quoted identifiers, bound values
        f" SELECT id, id, {merged_into} FROM {table} WHERE id IN ({placeholders})"
        f" UNION SELECT up.start_id, p.id, p.{merged_into} FROM {table} p"
        f" JOIN up ON p.id = up.parent_id"
        f") SELECT start_id, person_id FROM up WHERE parent_id IS NULL"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, ids)
        return {int(start): int(root) for start, root in cursor.fetchall()}


# --- matching at the front door ------------------------------------------------------------

# Records a blocking lookup may bring back to be scored. In a county of 300,000 people it
# brings back tens to a few hundred; this bounds the worst case (a very common name with
# no date of birth), where rows beyond it are not scored.
MAX_BLOCKED_ROWS = 3000
# Of those, the best-scoring survivors loaded (scope applied) to be returned: a very common
# name searched without a date of birth can put hundreds above the threshold.
MAX_SCORED_SURVIVORS = 500


@dataclass(frozen=True, slots=True)
class PersonMatch:
    """A known (unmerged) person who may be the one a search describes."""

    person: Person
    score: int
    reasons: tuple[str, ...]


def _name_conditions(keys: matching.BlockingKeys) -> list[Q]:
    """Names as entered and swapped; with a date of birth, only missing or near ones.

    Each condition is a plain AND of indexed columns (no OR nested inside), which both
    PostgreSQL and SQLite can combine by OR from their indexes.
    """
    if not (keys.given_keys and keys.family_keys):
        return []
    pairs = [
        Q(given_name_key__in=keys.given_keys, family_name_key__in=keys.family_keys),
        Q(given_name_key__in=keys.family_keys, family_name_key__in=keys.given_keys),
    ]
    if keys.near_dates_of_birth is None:
        return pairs
    dates = [Q(date_of_birth__isnull=True), Q(date_of_birth__in=keys.near_dates_of_birth)]
    return [pair & when for pair in pairs for when in dates]


def _blocking_filter(keys: matching.BlockingKeys) -> Q:
    """Indexed conditions only: name keys (as entered or swapped), date of birth, family.

    The postcode is matched through the ids of the families living there (looked up
    first), so the whole filter is an OR of indexed columns of the person table (a bitmap
    OR in PostgreSQL, a multi-index OR in SQLite), never a scan.
    """
    condition = Q(pk__in=[])
    for names in _name_conditions(keys):
        condition |= names
    if keys.dates_of_birth:
        condition |= Q(date_of_birth__in=keys.dates_of_birth)
    if keys.postcode:
        living_there = Family.objects.filter(postcode=keys.postcode).order_by()
        family_ids = list(living_there.values_list("pk", flat=True))
        if family_ids:
            condition |= Q(family_id__in=family_ids)
    return condition


def blocked_people(keys: matching.BlockingKeys) -> QuerySet[Person]:
    """The records (merged ones included) worth scoring for a search, unscoped."""
    return Person.objects.filter(_blocking_filter(keys)).order_by()


class _Row(NamedTuple):
    pk: int
    merged_into_id: int | None
    given_name: str
    family_name: str
    date_of_birth: date | None
    postcode: str | None

    def candidate(self) -> matching.Candidate:
        return matching.Candidate(
            self.given_name, self.family_name, self.date_of_birth, self.postcode or None
        )


_ROW_FIELDS = (
    "pk",
    "merged_into_id",
    "given_name",
    "family_name",
    "date_of_birth",
    "family__postcode",
)


def _of_person(person: Person) -> matching.Candidate:
    return matching.Candidate(
        person.given_name, person.family_name, person.date_of_birth, person.family.postcode or None
    )


_MERGED_REASON = "matches a record merged into this one"


def _best_by_survivor(
    query: matching.MatchQuery, rows: list[_Row]
) -> dict[int, matching.MatchScore]:
    """The best score of each unmerged record, found itself or through one merged into it."""
    survivors = _survivors(row.pk for row in rows if row.merged_into_id is not None)
    best: dict[int, matching.MatchScore] = {}
    for row in sorted(rows, key=lambda r: r.merged_into_id is not None):  # own rows win ties
        root = row.pk if row.merged_into_id is None else survivors.get(row.pk)
        if root is None:
            continue
        found = matching.score(query, row.candidate())
        if row.merged_into_id is not None:
            found = matching.MatchScore(found.score, (*found.reasons, _MERGED_REASON))
        if root not in best or found.score > best[root].score:
            best[root] = found
    return best


def _above_threshold(best: dict[int, matching.MatchScore]) -> list[int]:
    ranked = sorted(
        (root for root, found in best.items() if found.score >= matching.MATCH_THRESHOLD),
        key=lambda root: -best[root].score,
    )
    return ranked[:MAX_SCORED_SURVIVORS]


def person_match_candidates(
    *,
    user: User,
    given_name: str,
    family_name: str,
    date_of_birth: date | None = None,
    postcode: str | None = None,
    limit: int = 10,
) -> list[PersonMatch]:
    """Known people who may be the one described, best first, within the user's scope.

    Triage officers' scope is the whole county. Candidates come from an indexed blocking
    lookup (`matching.blocking_keys`); each is scored in Python with `matching.score` and
    kept when it reaches `matching.MATCH_THRESHOLD` (60: a perfect name with no date of
    birth stays above it, a different date of birth or a clearly different given name
    falls below; see `earlyhelp.domain.matching`). A record merged into another is never
    returned: it stands for its survivor, which scores the better of the two. `limit` is
    kept within 1..50. At most five queries (one more for org-tree scopes), however many
    people are stored.
    """
    if not (given_name.strip() or family_name.strip()):
        raise InvalidInput({"family_name": ["Enter the person's family name or given name."]})
    query = matching.MatchQuery(given_name, family_name, date_of_birth, postcode)
    blocked = blocked_people(matching.blocking_keys(query)).values_list(*_ROW_FIELDS)
    best = _best_by_survivor(query, [_Row(*values) for values in blocked[:MAX_BLOCKED_ROWS]])
    ids = _above_threshold(best)
    if not ids:
        return []
    people = Person.objects.filter(person_scope(user), pk__in=ids, merged_into__isnull=True)
    matches = []
    for person in people.select_related("family"):
        # Scored on its own details too: it may have been found only through a merged record.
        found = matching.score(query, _of_person(person))
        if best[person.pk].score > found.score:
            found = best[person.pk]
        matches.append(PersonMatch(person=person, score=found.score, reasons=found.reasons))
    matches.sort(key=lambda m: (-m.score, m.person.family_name, m.person.given_name, m.person.pk))
    return matches[: max(1, min(limit, 50))]


# --- search by reference and by name -------------------------------------------------------

# Name searches list at most this many people found by their names alone (a common family
# name searched on its own); the page asks for more of the name or the date of birth.
MAX_NAME_SEARCH_ROWS = 500
_FOUND_BY_NAME = ("a name starts with or sounds like the words searched",)


def person_by_ref(*, user: User, ref: str) -> Person:
    person = person_list(user=user).filter(person_ref=ref.strip().upper()).first()
    if person is None:
        raise NotFound("person")
    return person


def family_by_ref(*, user: User, ref: str) -> Family:
    family = family_list(user=user).filter(family_ref=ref.strip().upper()).first()
    if family is None:
        raise NotFound("family")
    return family


@dataclass(frozen=True, slots=True)
class PersonHit:
    """A person a name search found: scored when found by the tolerant matching."""

    person: Person
    score: int | None
    reasons: tuple[str, ...]


def _each_word_names(words: list[str]) -> Q:
    condition = Q()
    for word in words:
        either = Q(given_name__istartswith=word) | Q(family_name__istartswith=word)
        key = matching.phonetic_key(word)
        if key:
            either |= Q(given_name_key=key) | Q(family_name_key=key)
        condition &= either
    return condition


def person_name_search(
    *, user: User, words: list[str], date_of_birth: date | None = None
) -> tuple[list[PersonHit], bool]:
    """People whose names fit the words searched, within scope; and whether some were left out.

    With two words or more (a given name, then the family name) the front door's tolerant
    matching comes first, best first (typos, nicknames, swapped names, dates of birth
    mistyped); then, by name, every unmerged person each of whose words starts or sounds
    like one of their names, up to `MAX_NAME_SEARCH_ROWS`. With a date of birth only, the
    people born that day. A constant number of queries.
    """
    words = [w for w in words if matching.normalise_name(w)]
    if not words and date_of_birth is None:
        return [], False
    hits: list[PersonHit] = []
    if len(words) >= 2:
        matches = person_match_candidates(
            user=user,
            given_name=words[0],
            family_name=" ".join(words[1:]),
            date_of_birth=date_of_birth,
            limit=50,
        )
        hits = [PersonHit(m.person, m.score, m.reasons) for m in matches]
    seen = {hit.person.pk for hit in hits}
    plain = person_list(user=user).filter(_each_word_names(words), merged_into__isnull=True)
    if date_of_birth is not None:
        plain = plain.filter(date_of_birth=date_of_birth)
    rows = list(plain.order_by("family_name", "given_name", "pk")[: MAX_NAME_SEARCH_ROWS + 1])
    more = len(rows) > MAX_NAME_SEARCH_ROWS
    hits += [
        PersonHit(p, None, _FOUND_BY_NAME) for p in rows[:MAX_NAME_SEARCH_ROWS] if p.pk not in seen
    ]
    return hits, more


# --- consent --------------------------------------------------------------------------------


def family_consents(*, user: User, family_id: int) -> QuerySet[FamilyConsent]:
    """A family's consents, given and withdrawn, the most recent first within each purpose."""
    family = family_get(user=user, family_id=family_id)
    return family.consents.select_related("given_by").order_by("purpose", "-given_on", "-pk")


def consent_get(*, user: User, consent_id: int) -> FamilyConsent:
    consent = (
        FamilyConsent.objects.filter(pk=consent_id, family__in=family_list(user=user))
        .select_related("family", "given_by")
        .first()
    )
    if consent is None:
        raise NotFound("consent")
    return consent


def families_sharing(
    family_ids: Iterable[int], purpose: str, *, partner_name: str = "", on: date | None = None
) -> set[int]:
    """Those of the families whose consent in force on `on` (today) allows `purpose`.

    A consent naming a partner allows sharing with that partner only; one naming none
    allows it with any partner for that purpose. No consent, or a withdrawn one: no.
    """
    day = on or clock.today()
    in_force = FamilyConsent.objects.filter(
        Q(withdrawn_on__isnull=True) | Q(withdrawn_on__gt=day),
        family_id__in=list(family_ids),
        purpose=purpose,
        given_on__lte=day,
    )
    named = " ".join(partner_name.split())
    if named:
        in_force = in_force.filter(Q(partner_name="") | Q(partner_name__iexact=named))
    else:
        in_force = in_force.filter(partner_name="")
    return set(in_force.order_by().values_list("family_id", flat=True))


def may_share_with(
    family: Family | int, purpose: str, *, partner_name: str = "", on: date | None = None
) -> bool:
    """Whether the family's consent allows sharing for `purpose` (with `partner_name`).

    Every place the system shares information with someone outside the service asks here
    (or `families_sharing`, for many families at once).
    """
    family_id = family.pk if isinstance(family, Family) else family
    return family_id in families_sharing([family_id], purpose, partner_name=partner_name, on=on)


def family_access_list(*, family_id: int) -> QuerySet[FamilyAccess]:
    """The staff named on a family's access list (the caller checks who may read it)."""
    return (
        FamilyAccess.objects.filter(family_id=family_id)
        .select_related("user", "user__org_unit")
        .order_by("user__username")
    )


def _outward_code(postcode: str) -> str:
    """ME14 of ME14 1XQ (postcodes are kept normalised, one space before the inward code)."""
    return postcode.split(" ")[0]


@dataclass(frozen=True, slots=True)
class _Kept:
    loaded_at: float
    districts: dict[str, int]


# Replaced whole, never changed in place: a thread reading it sees one map or the other.
_outward: _Kept | None = None
_OUTWARD_TTL_SECONDS = 600.0


def _outward_districts() -> dict[str, int]:
    """Outward code (ME14) → the district most of its known families live in; kept ten
    minutes in the process (the county's postcodes do not move between districts)."""
    global _outward
    now = time.monotonic()
    kept = _outward
    if kept is not None and now - kept.loaded_at < _OUTWARD_TTL_SECONDS:
        return kept.districts
    counts: dict[str, Counter[int]] = defaultdict(Counter)
    rows = Family.objects.exclude(postcode="").values_list("postcode", "district_id")
    for postcode, district_id in rows.iterator(chunk_size=5000):
        counts[_outward_code(postcode)][district_id] += 1
    districts = {o: c.most_common(1)[0][0] for o, c in counts.items()}
    _outward = _Kept(loaded_at=now, districts=districts)
    return districts


def forget_postcode_districts() -> None:
    """Drop the kept outward-code map (districts were renumbered, or a test's were)."""
    global _outward
    _outward = None


def postcode_placeable(postcode: str) -> bool:
    """Whether `district_for_postcode` would find a district, mostly without a query: a
    family at this postcode shares its outward code, so a known outward code answers; the
    exact lookup is left for an outward code the kept map has not seen (new since)."""
    if _outward_code(postcode) in _outward_districts():
        return True
    return district_for_postcode(postcode) is not None


def district_for_postcode(postcode: str) -> int | None:
    """The district (org unit id) a postcode lies in, from the families already known
    there: the same postcode first, else the same outward code. None when unknown."""
    same = Family.objects.filter(postcode=postcode).order_by().values_list("district_id", flat=True)
    exact = list(same[:1])  # any family there will do: no ordering, no sort
    if exact:
        return exact[0]
    return _outward_districts().get(_outward_code(postcode))
