"""Matching people at the front door: phonetic keys for blocking, scores for ranking.

A search has two steps. `blocking_keys` says which stored records are worth comparing (a
database lookup on indexed columns: the names' phonetic keys, the date of birth, the
postcode); `score` compares the query with each of those records and explains itself.

The score is points out of 100:

==================  =====================================================================
given names (30)    same 30; nickname, sound-alike or typo up to ~25; clearly different -15
family name (40)    same 40; sound-alike or typo up to ~35; different 0 (names change)
date of birth (20)  same 20; day/month swapped, one digit, year ±1, digits transposed 10;
                    missing on either side 8 (not penalised heavily); different -25
postcode (10)       same 10; same district (outward code) 5; missing 4; different 0
==================  =====================================================================

Given and family names swapped score 90% of the name points, weighted evenly. The total
is clamped to 0..100. `MATCH_THRESHOLD` (60) is where a record is worth showing: a
perfect name with no date of birth stays above it (at least 78), a perfect name with a
different date of birth falls below it (at most 55), and so do twins (same family name,
date of birth and postcode, clearly different given name: 55).
"""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from enum import Enum
from functools import lru_cache

import jellyfish

from earlyhelp.domain import identifiers, nicknames
from earlyhelp.domain.errors import InvalidIdentifier

MATCH_THRESHOLD = 60

GIVEN_WEIGHT = 30.0
FAMILY_WEIGHT = 40.0
GIVEN_DIFFERENT = -15.0
SWAPPED_FACTOR = 0.9
DOB_SAME, DOB_NEAR, DOB_MISSING, DOB_DIFFERENT = 20.0, 10.0, 8.0, -25.0
POSTCODE_SAME, POSTCODE_DISTRICT, POSTCODE_MISSING = 10.0, 5.0, 4.0

# Similarities (0..1) of one name with another, before they become points.
_NICKNAME = 0.95
_SOUNDS_ALIKE = 0.94
_OTHER_TOKEN = 0.95  # a middle name or the second half of a double-barrelled name
_PART_OF_NAME = 0.97  # same first word, but one side has more words
_FLOOR = 0.8  # below this Jaro-Winkler similarity two names are different


@lru_cache(maxsize=65536)
def normalise_name(name: str) -> str:
    """Lower case, accents and punctuation removed, single spaces."""
    decomposed = unicodedata.normalize("NFKD", name)
    ascii_only = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(re.sub(r"[^a-z ]+", " ", ascii_only.lower()).split())


def phonetic_key(name: str) -> str:
    """A sound-alike key of a name's first word (Metaphone), for finding candidates."""
    words = normalise_name(name).split()
    if not words:
        return ""
    return _metaphone(words[0])[:20]


@dataclass(frozen=True, slots=True)
class MatchQuery:
    """What the front door knows about a person: names, and perhaps birth date and postcode."""

    given_names: str
    family_name: str
    date_of_birth: date | None = None
    postcode: str | None = None


@dataclass(frozen=True, slots=True)
class Candidate(MatchQuery):
    """A person already known, described with the same fields as a query."""


@dataclass(frozen=True, slots=True)
class MatchScore:
    score: int
    reasons: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class BlockingKeys:
    """What a database lookup should use to find the records worth scoring.

    A record is a candidate when its (given, family) phonetic keys are in
    (`given_keys`, `family_keys`), or swapped (`family_keys`, `given_keys`), or its date of
    birth is in `dates_of_birth`, or its family's postcode is `postcode`.

    When the query has a date of birth, a record found by its names alone is worth scoring
    only if its date of birth is missing or in `near_dates_of_birth` (the same date or a
    likely typo of it): with any other date it cannot reach `MATCH_THRESHOLD`. This keeps
    a common name (a David Smith) from bringing back thousands of rows.
    """

    given_keys: frozenset[str]
    family_keys: frozenset[str]
    dates_of_birth: frozenset[date]
    postcode: str | None
    near_dates_of_birth: frozenset[date] | None = None  # None: no date to compare


# --- names -----------------------------------------------------------------------------


class _Kind(Enum):
    SAME = "same"
    NICKNAME = "nickname"
    SOUNDS = "sounds"
    SPELT = "spelt"
    DIFFERENT = "different"
    MISSING = "missing"


@dataclass(frozen=True, slots=True)
class _NameMatch:
    similarity: float
    kind: _Kind
    partial: bool = False  # matched on one word of a longer name
    first_word: bool = True  # matched on the first words of both
    words: tuple[str, str] = ("", "")  # the two words that matched (for nicknames)


_MISSING = _NameMatch(0.0, _Kind.MISSING)


@lru_cache(maxsize=8192)
def _metaphone(word: str) -> str:
    return jellyfish.metaphone(word) if word else ""


def _jaro_winkler(first: str, second: str) -> float:
    """Jaro-Winkler similarity, the same whichever way round (greedy matching may not be)."""
    return max(
        jellyfish.jaro_winkler_similarity(first, second),
        jellyfish.jaro_winkler_similarity(second, first),
    )


@lru_cache(maxsize=16384)
def _word_match(first: str, second: str, with_nicknames: bool) -> _NameMatch:
    """How alike two single words are: same, nickname, sound-alike, typo, or different."""
    if first == second:
        return _NameMatch(1.0, _Kind.SAME, words=(first, second))
    jaro = _jaro_winkler(first, second)
    options = [_NameMatch(jaro, _Kind.SPELT if jaro >= _FLOOR else _Kind.DIFFERENT)]
    if _metaphone(first) == _metaphone(second) and len(first) > 1 and len(second) > 1:
        options.append(_NameMatch(max(jaro, _SOUNDS_ALIKE), _Kind.SOUNDS))
    if with_nicknames and nicknames.are_variants(first, second):
        options.append(_NameMatch(_NICKNAME, _Kind.NICKNAME))
    best = max(options, key=lambda option: option.similarity)
    return _NameMatch(best.similarity, best.kind, words=(first, second))


@lru_cache(maxsize=65536)
def _name_match(first: str, second: str, *, with_nicknames: bool) -> _NameMatch:
    """How alike two names are, either of which may have several words.

    The whole names are compared (spaces and punctuation ignored, so Mary-Jane matches
    Maryjane), and so is every word with every word: the first words count fully, a
    middle name or the second half of a double-barrelled name a little less.
    """
    a, b = normalise_name(first), normalise_name(second)
    if not a or not b:
        return _MISSING
    words_a, words_b = a.split(), b.split()
    if len(words_a) == 1 and len(words_b) == 1:
        return _word_match(a, b, with_nicknames)
    joined_a, joined_b = "".join(words_a), "".join(words_b)
    if joined_a == joined_b:
        return _NameMatch(1.0, _Kind.SAME)
    whole = _word_match(joined_a, joined_b, False)
    best = _NameMatch(whole.similarity, whole.kind)
    for i, word_a in enumerate(words_a):
        for j, word_b in enumerate(words_b):
            found = _word_match(word_a, word_b, with_nicknames)
            first_words = i == 0 and j == 0
            similarity = min(found.similarity, _PART_OF_NAME if first_words else _OTHER_TOKEN)
            if similarity > best.similarity:
                best = _NameMatch(similarity, found.kind, True, first_words, found.words)
    return best


def _points(similarity: float) -> float:
    """0 at the floor of similarity, rising to 1 for the same name."""
    return min(1.0, max(0.0, (similarity - _FLOOR) / (1.0 - _FLOOR)))


def _given_points(match: _NameMatch) -> float:
    if match.kind == _Kind.MISSING:
        return 0.0
    if match.kind == _Kind.DIFFERENT:
        return GIVEN_DIFFERENT
    return GIVEN_WEIGHT * _points(match.similarity)


def _given_reason(match: _NameMatch) -> str:
    if match.kind == _Kind.NICKNAME:
        return f"nickname: {match.words[0].title()} → {match.words[1].title()}"
    if match.kind == _Kind.SAME and match.partial:
        return "same first given name" if match.first_word else "given name matches a middle name"
    return {
        _Kind.SAME: "same given name",
        _Kind.SOUNDS: "given name sounds alike",
        _Kind.SPELT: "given name spelt similarly",
        _Kind.DIFFERENT: "different given name",
        _Kind.MISSING: "no given name to compare",
    }[match.kind]


def _family_reason(match: _NameMatch) -> str:
    if match.kind == _Kind.SAME and match.partial:
        return "part of a double-barrelled family name"
    if match.kind == _Kind.NICKNAME:  # only when names are swapped
        return f"nickname: {match.words[0].title()} → {match.words[1].title()}"
    return {
        _Kind.SAME: "same family name",
        _Kind.SOUNDS: "family name sounds alike",
        _Kind.SPELT: "family name spelt similarly",
        _Kind.DIFFERENT: "different family name",
        _Kind.MISSING: "no family name to compare",
    }[match.kind]


def _names(query: MatchQuery, candidate: MatchQuery) -> tuple[float, list[str]]:
    """Points and reasons for the names, the better of as entered and swapped."""
    given = _name_match(query.given_names, candidate.given_names, with_nicknames=True)
    family = _name_match(query.family_name, candidate.family_name, with_nicknames=False)
    straight = _given_points(given) + FAMILY_WEIGHT * _points(family.similarity)
    swapped_given = _name_match(query.given_names, candidate.family_name, with_nicknames=True)
    swapped_family = _name_match(query.family_name, candidate.given_names, with_nicknames=True)
    half = (GIVEN_WEIGHT + FAMILY_WEIGHT) / 2
    both = _points(swapped_given.similarity), _points(swapped_family.similarity)
    swapped = SWAPPED_FACTOR * half * sum(both)
    if min(both) > 0 and swapped > straight:
        reasons = ["given and family names swapped"]
        if not _is_same(swapped_given):
            reasons.append(_given_reason(swapped_given))
        if not _is_same(swapped_family):
            reasons.append(_family_reason(swapped_family))
        return swapped, reasons
    return straight, [_given_reason(given), _family_reason(family)]


def _is_same(match: _NameMatch) -> bool:
    return match.kind == _Kind.SAME and not match.partial


# --- date of birth and postcode ----------------------------------------------------------


def _digits(value: date) -> str:
    return f"{value.year:04d}{value.month:02d}{value.day:02d}"


def _digit_typo(first: date, second: date) -> str | None:
    """One digit different, or two neighbouring digits transposed (13 for 31)."""
    a, b = _digits(first), _digits(second)
    differ = [i for i in range(8) if a[i] != b[i]]
    if len(differ) == 1:
        return "date of birth one digit different"
    if len(differ) == 2 and differ[1] == differ[0] + 1:
        i, j = differ
        if (a[i], a[j]) == (b[j], b[i]):
            return "date of birth digits transposed"
    return None


def dob_nearness(first: date, second: date) -> str | None:
    """The likely typo that turns one date of birth into the other, or None."""
    if first == second:
        return None
    if first.year == second.year and (first.day, first.month) == (second.month, second.day):
        return "date of birth day and month swapped"
    same_day = (first.month, first.day) == (second.month, second.day)
    if same_day and abs(first.year - second.year) == 1:
        return "date of birth year one apart"
    return _digit_typo(first, second)


def _dob(first: date | None, second: date | None) -> tuple[float, str]:
    if first is None or second is None:
        return DOB_MISSING, "no date of birth to compare"
    if first == second:
        return DOB_SAME, "same date of birth"
    near = dob_nearness(first, second)
    if near:
        return DOB_NEAR, near
    return DOB_DIFFERENT, "different date of birth"


@lru_cache(maxsize=65536)
def normalise_postcode_loosely(value: str | None) -> str | None:
    """A postcode in its usual form, or (when it is not a real one) in capitals: never fails."""
    if not value or not value.strip():
        return None
    try:
        return identifiers.normalise_postcode(value)
    except InvalidIdentifier:
        return " ".join(value.upper().split())


def _outward(postcode: str) -> str:
    compact = postcode.replace(" ", "")
    return compact[:-3] if len(compact) > 3 else compact


def _postcode(first: str | None, second: str | None) -> tuple[float, str | None]:
    a, b = normalise_postcode_loosely(first), normalise_postcode_loosely(second)
    if a is None or b is None:
        return POSTCODE_MISSING, None
    if a.replace(" ", "") == b.replace(" ", ""):
        return POSTCODE_SAME, "same postcode"
    if _outward(a) == _outward(b):
        return POSTCODE_DISTRICT, "same postcode district"
    return 0.0, "different postcode"


# --- the score -----------------------------------------------------------------------------


def score(query: MatchQuery, candidate: MatchQuery) -> MatchScore:
    """How likely `candidate` is the person the query describes (0..100), and why.

    The score is the same whichever way round the two are given.
    """
    name_points, reasons = _names(query, candidate)
    dob_points, dob_reason = _dob(query.date_of_birth, candidate.date_of_birth)
    postcode_points, postcode_reason = _postcode(query.postcode, candidate.postcode)
    total = name_points + dob_points + postcode_points
    reasons.append(dob_reason)
    if postcode_reason:
        reasons.append(postcode_reason)
    clamped = min(100.0, max(0.0, total))
    return MatchScore(score=math.floor(clamped + 0.5), reasons=tuple(reasons))


# --- blocking ------------------------------------------------------------------------------


def _name_keys(name: str, *, with_nicknames: bool) -> frozenset[str]:
    """Phonetic keys a stored record of this name (or its variants) may carry."""
    words = normalise_name(name).split()
    found: set[str] = set()
    for word in words:
        for variant in nicknames.variants(word) if with_nicknames else {word}:
            found.add(phonetic_key(variant))
    if len(words) > 1:
        found.add(phonetic_key("".join(words)))  # O'Brien may be stored as OBrien
    # An empty key stays: Metaphone gives one for a few odd words ("Ee"), stored as such.
    return frozenset(found)


def _swapped_day_month(value: date) -> date | None:
    if value.day > 12 or value.day == value.month:
        return None
    return value.replace(month=value.day, day=value.month)


def near_dates(value: date) -> frozenset[date]:
    """The date and every date `dob_nearness` calls a likely typo of it (about 50).

    Years before 1900 or after 2100 (a typo in the first digits) are left out.
    """
    digits = _digits(value)
    texts = {digits[:i] + d + digits[i + 1 :] for i in range(8) for d in "0123456789"}
    texts |= {digits[:i] + digits[i + 1] + digits[i] + digits[i + 2 :] for i in range(7)}
    found = {value}
    for text in texts:
        try:
            found.add(date(int(text[:4]), int(text[4:6]), int(text[6:])))
        except ValueError:
            continue
    for years in (-1, 1):
        try:
            found.add(value.replace(year=value.year + years))
        except ValueError:  # 29 February
            continue
    swapped = _swapped_day_month(value)
    if swapped is not None:
        found.add(swapped)
    plausible = (d for d in found if 1900 <= d.year <= 2100)
    return frozenset(d for d in plausible if d == value or dob_nearness(value, d))


def blocking_keys(query: MatchQuery) -> BlockingKeys:
    """The keys of a database lookup for candidates of `query` (see `BlockingKeys`).

    Given-name keys include every nickname variant (a query for William finds records
    stored as Bill); every word of either name counts (Mary Jane finds Jane). Dates are
    the one given and, when it could be, the one with day and month swapped.
    """
    dates: set[date] = set()
    near: frozenset[date] | None = None
    if query.date_of_birth is not None:
        dates.add(query.date_of_birth)
        swapped = _swapped_day_month(query.date_of_birth)
        if swapped is not None:
            dates.add(swapped)
        near = near_dates(query.date_of_birth)
    return BlockingKeys(
        given_keys=_name_keys(query.given_names, with_nicknames=True),
        family_keys=_name_keys(query.family_name, with_nicknames=False),
        dates_of_birth=frozenset(dates),
        postcode=normalise_postcode_loosely(query.postcode),
        near_dates_of_birth=near,
    )
