"""Matching at the front door: properties of the score and of the blocking keys."""

from __future__ import annotations

import string
from dataclasses import replace
from datetime import date

import jellyfish
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from earlyhelp.domain import nicknames
from earlyhelp.domain.matching import (
    MATCH_THRESHOLD,
    Candidate,
    MatchQuery,
    blocking_keys,
    dob_nearness,
    near_dates,
    normalise_name,
    phonetic_key,
    score,
)

GIVEN = ["Olivia", "Amelia", "Isla", "Ava", "Noah", "Oliver", "George", "Arthur", "Muhammad"]
GIVEN += ["Leo", "Harry", "Oscar", "Archie", "Henry", "Sophia", "Grace", "Freya", "Ivy"]
FAMILY = ["Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson"]
FAMILY += ["Thomas", "Johnson", "Roberts", "Robinson", "Wright", "Walker", "Patel", "Khan"]
POSTCODES = ["ME14 1XQ", "ME14 2LL", "CT1 2EH", "TN23 1PL", "DA1 1DX", "ME4 4TR"]

letters = st.text(alphabet=string.ascii_lowercase, min_size=2, max_size=12).map(str.title)
given_names = st.one_of(st.sampled_from(GIVEN), letters)
family_names = st.one_of(st.sampled_from(FAMILY), letters)
dates = st.dates(min_value=date(1980, 1, 1), max_value=date(2025, 12, 31))
postcodes = st.sampled_from(POSTCODES)
nickname_pairs = st.sampled_from(nicknames.GROUPS).flatmap(
    lambda group: st.tuples(st.sampled_from(group), st.sampled_from(group))
)


@st.composite
def full_queries(draw: st.DrawFn) -> MatchQuery:
    """A query with every field filled in."""
    return MatchQuery(draw(given_names), draw(family_names), draw(dates), draw(postcodes))


any_queries = st.builds(
    MatchQuery,
    given_names=st.text(max_size=30),
    family_name=st.text(max_size=30),
    date_of_birth=st.none() | dates,
    postcode=st.none() | st.text(max_size=10) | postcodes,
)


def as_candidate(query: MatchQuery) -> Candidate:
    return Candidate(query.given_names, query.family_name, query.date_of_birth, query.postcode)


def typo(name: str, position: int, letter: str) -> str:
    index = position % len(name)
    return name[:index] + letter + name[index + 1 :]


# --- properties -------------------------------------------------------------------------


@given(any_queries, any_queries)
def test_score_is_bounded(first: MatchQuery, second: MatchQuery) -> None:
    assert 0 <= score(first, as_candidate(second)).score <= 100


@given(any_queries, any_queries)
def test_score_is_the_same_either_way_round(first: MatchQuery, second: MatchQuery) -> None:
    assert score(first, as_candidate(second)).score == score(second, as_candidate(first)).score


@given(full_queries())
def test_an_exact_match_scores_100(query: MatchQuery) -> None:
    result = score(query, as_candidate(query))
    assert result.score == 100
    assert "same date of birth" in result.reasons
    assert "same postcode" in result.reasons


@given(any_queries, any_queries)
def test_nothing_scores_above_the_query_itself(query: MatchQuery, other: MatchQuery) -> None:
    assert score(query, as_candidate(other)).score <= score(query, as_candidate(query)).score


@given(
    full_queries(),
    st.booleans(),
    st.integers(min_value=0),
    st.sampled_from(string.ascii_lowercase),
    full_queries(),
)
def test_a_typo_in_one_name_scores_above_a_different_person(
    query: MatchQuery, in_given: bool, position: int, letter: str, other: MatchQuery
) -> None:
    field = "given_names" if in_given else "family_name"
    typed = typo(getattr(query, field), position, letter)
    assume(normalise_name(typed) != normalise_name(getattr(query, field)))
    with_typo = as_candidate(replace(query, **{field: typed}))
    assume(other.date_of_birth != query.date_of_birth)
    assume(dob_nearness(query.date_of_birth, other.date_of_birth) is None)  # type: ignore[arg-type]
    assume(other.postcode != query.postcode)
    different = as_candidate(other)
    assert score(query, with_typo).score > score(query, different).score


known_name_queries = st.builds(
    MatchQuery, st.sampled_from(GIVEN), st.sampled_from(FAMILY), dates, postcodes
)


@given(known_name_queries)
def test_swapped_names_are_detected(query: MatchQuery) -> None:
    # Drawn from the known lists, not filtered down to them: filtering three in four away
    # tripped Hypothesis's health check now and then.
    swapped = as_candidate(
        replace(query, given_names=query.family_name, family_name=query.given_names)
    )
    result = score(query, swapped)
    assert "given and family names swapped" in result.reasons
    assert result.score >= MATCH_THRESHOLD


@given(nickname_pairs)
def test_nicknames_are_detected(pair: tuple[str, str]) -> None:
    short, formal = pair
    assume(short != formal)
    query = MatchQuery(short.title(), "Taylor", date(2012, 3, 4), "ME14 1XQ")
    result = score(query, as_candidate(replace(query, given_names=formal.title())))
    assert result.score >= 85
    assert result.reasons[0].startswith(("nickname: ", "given name sounds", "given name spelt"))


@given(full_queries(), st.booleans(), st.none() | postcodes)
def test_a_missing_date_of_birth_keeps_a_perfect_name_match_above_the_threshold(
    query: MatchQuery, missing_in_query: bool, postcode: str | None
) -> None:
    candidate = as_candidate(replace(query, postcode=postcode))
    if missing_in_query:
        query = replace(query, date_of_birth=None)
    else:
        candidate = replace(candidate, date_of_birth=None)
    result = score(query, candidate)
    assert result.score >= MATCH_THRESHOLD
    assert "no date of birth to compare" in result.reasons


@given(full_queries(), dates, st.none() | postcodes)
def test_a_different_date_of_birth_drops_a_perfect_name_below_the_threshold(
    query: MatchQuery, other_date: date, postcode: str | None
) -> None:
    assert query.date_of_birth is not None
    assume(other_date != query.date_of_birth)
    assume(dob_nearness(query.date_of_birth, other_date) is None)
    result = score(query, as_candidate(replace(query, date_of_birth=other_date, postcode=postcode)))
    assert result.score < MATCH_THRESHOLD
    assert "different date of birth" in result.reasons


@given(dates, dates)
def test_near_dates_are_exactly_the_likely_typos(first: date, second: date) -> None:
    is_near = first == second or dob_nearness(first, second) is not None
    assert (second in near_dates(first)) == is_near


@given(dates, st.integers(min_value=0, max_value=7), st.sampled_from(string.digits))
def test_every_one_digit_typo_is_a_near_date(value: date, position: int, digit: str) -> None:
    text = f"{value.year:04d}{value.month:02d}{value.day:02d}"
    text = text[:position] + digit + text[position + 1 :]
    try:
        typed = date(int(text[:4]), int(text[4:6]), int(text[6:]))
    except ValueError:
        return
    assert (typed in near_dates(value)) == (1900 <= typed.year <= 2100)


@given(full_queries(), st.none() | postcodes)
def test_a_record_with_a_far_date_of_birth_cannot_reach_the_threshold(
    query: MatchQuery, postcode: str | None
) -> None:
    """Why blocking by names may leave out records whose date of birth is not near."""
    assert query.date_of_birth is not None
    far = date(query.date_of_birth.year - 7, 1 + query.date_of_birth.month % 12, 28)
    assume(far not in near_dates(query.date_of_birth))
    candidate = as_candidate(replace(query, date_of_birth=far, postcode=postcode))
    assert score(query, candidate).score < MATCH_THRESHOLD


@given(full_queries())
def test_the_blocking_keys_hold_the_stored_keys_of_the_record_itself(query: MatchQuery) -> None:
    keys = blocking_keys(query)
    assert phonetic_key(query.given_names) in keys.given_keys
    assert phonetic_key(query.family_name) in keys.family_keys
    assert query.date_of_birth in keys.dates_of_birth
    assert keys.near_dates_of_birth is not None
    assert query.date_of_birth in keys.near_dates_of_birth


@given(nickname_pairs)
def test_the_blocking_keys_find_records_stored_under_a_nickname(pair: tuple[str, str]) -> None:
    searched, stored = pair
    keys = blocking_keys(MatchQuery(searched.title(), "Smith"))
    assert phonetic_key(stored.title()) in keys.given_keys


# --- examples ----------------------------------------------------------------------------

DOB = date(2010, 5, 13)


def full(given_names: str = "William", family_name: str = "Smith", **kw: object) -> MatchQuery:
    values = {"date_of_birth": DOB, "postcode": "ME14 1XQ", **kw}
    return MatchQuery(given_names, family_name, **values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("candidate", "reason"),
    [
        (full("Bill"), "nickname: William → Bill"),
        (full(family_name="Smyth"), "family name sounds alike"),
        (full("Wiliam"), "given name spelt similarly"),
        (full("Smith", "William"), "given and family names swapped"),
        (full(given_names="William"), "same date of birth"),
        (full(postcode="ME14 2LL"), "same postcode district"),
        (full(postcode="CT1 2EH"), "different postcode"),
        (full(date_of_birth=None), "no date of birth to compare"),
    ],
)
def test_reasons(candidate: MatchQuery, reason: str) -> None:
    assert reason in score(full(), as_candidate(candidate)).reasons


def test_the_nickname_reason_reads_from_the_query_to_the_record() -> None:
    result = score(full("Bill"), as_candidate(full()))
    assert result.reasons[0] == "nickname: Bill → William"
    assert 85 <= result.score < 100


@pytest.mark.parametrize(
    ("other", "reason"),
    [
        (DOB, None),
        (date(2010, 3, 12), "date of birth day and month swapped"),
        (date(2011, 5, 13), "date of birth year one apart"),
        (date(2010, 5, 18), "date of birth one digit different"),
        (date(2010, 5, 31), "date of birth digits transposed"),
        (date(2001, 5, 13), "date of birth digits transposed"),
        (date(2012, 9, 2), None),
    ],
)
def test_date_of_birth_typos(other: date, reason: str | None) -> None:
    base = date(2010, 12, 3) if reason == "date of birth day and month swapped" else DOB
    assert dob_nearness(base, other) == reason
    if reason:
        result = score(full(date_of_birth=base), as_candidate(full(date_of_birth=other)))
        assert reason in result.reasons
        assert result.score == 90


@pytest.mark.parametrize(
    ("searched", "stored", "reason"),
    [
        ("Mary Jane", "Mary", "same first given name"),
        ("Mary Jane", "Jane", "given name matches a middle name"),
        ("Mary Jane", "Mary-Jane", "same given name"),
        ("Mary Jane", "Maryjane", "same given name"),
        ("Mary Jane", "Mary Jane", "same given name"),
    ],
)
def test_several_given_names(searched: str, stored: str, reason: str) -> None:
    result = score(full(searched), as_candidate(full(stored)))
    assert result.reasons[0] == reason
    assert result.score >= 85


def test_a_double_barrelled_family_name_matches_either_half() -> None:
    result = score(full(family_name="Jones"), as_candidate(full(family_name="Smith-Jones")))
    assert "part of a double-barrelled family name" in result.reasons
    assert result.score >= 85


def test_twins_fall_below_the_threshold() -> None:
    result = score(full("Sarah"), as_candidate(full("John")))
    assert "different given name" in result.reasons
    assert result.score < MATCH_THRESHOLD


def test_a_different_family_name_alone_is_not_penalised() -> None:
    """Children take a step-parent's name: same given name, birth date and postcode is a match."""
    assert score(full(family_name="Okafor"), as_candidate(full())).score >= MATCH_THRESHOLD


def test_blocking_keys() -> None:
    keys = blocking_keys(MatchQuery("Bill", "O'Brien", date(2010, 5, 3), "me141xq"))
    assert {"BL", "WLM", "LM", "WL"} <= keys.given_keys  # Bill, William, Liam, Will
    assert {"O", "BRN", "OBRN"} <= keys.family_keys
    assert keys.dates_of_birth == {date(2010, 5, 3), date(2010, 3, 5)}
    assert keys.postcode == "ME14 1XQ"
    assert blocking_keys(MatchQuery("Ann", "Lee", date(2010, 5, 13))).dates_of_birth == {
        date(2010, 5, 13)
    }


def test_phonetic_key_keeps_its_behaviour() -> None:
    """Stored on Person as given_name_key / family_name_key: it must not change."""
    assert phonetic_key("Smith-Jones") == jellyfish.metaphone("smith")
    assert phonetic_key("  Zoë ") == jellyfish.metaphone("zoe")
    assert phonetic_key("") == ""
    assert phonetic_key("'") == ""


def test_nickname_groups_are_well_formed() -> None:
    assert len(nicknames.GROUPS) >= 150
    formal = [group[0] for group in nicknames.GROUPS]
    assert len(formal) == len(set(formal))
    for group in nicknames.GROUPS:
        assert len(group) == len(set(group))
        assert all(name.isalpha() and name == normalise_name(name) for name in group)
    assert nicknames.canonical_forms("charlie") == ("charles", "charlotte")
    assert not nicknames.are_variants("charles", "charlotte")
