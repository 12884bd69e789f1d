"""Identifiers: NHS number, unique pupil number, postcode, LSOA."""

from __future__ import annotations

import string

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from earlyhelp.domain.errors import InvalidIdentifier
from earlyhelp.domain.identifiers import (
    nhs_check_digit,
    normalise_nhs_number,
    normalise_postcode,
    normalise_upn,
    upn_check_letter,
    validate_lsoa,
)

digits = st.text(alphabet=string.digits, min_size=9, max_size=9)
twelve_digits = st.text(alphabet=string.digits, min_size=12, max_size=12)


def valid_nhs_numbers() -> st.SearchStrategy[str]:
    return digits.filter(lambda d: nhs_check_digit(d) is not None).map(
        lambda d: d + str(nhs_check_digit(d))
    )


# --- NHS number ----------------------------------------------------------------------------


@given(digits)
def test_every_prefix_with_a_check_digit_makes_a_valid_number(prefix: str) -> None:
    check = nhs_check_digit(prefix)
    assume(check is not None)
    assert normalise_nhs_number(prefix + str(check)) == prefix + str(check)


def _with_check_10(eight: str) -> str | None:
    """Eight digits and the ninth that makes the check digit 10, when there is one."""
    total = sum(int(d) * w for d, w in zip(eight, range(10, 2, -1), strict=True))
    ninth = (1 - total) * 6 % 11  # 6 is the inverse of the last weight (2) modulo 11
    return f"{eight}{ninth}" if ninth < 10 else None


@given(st.text(alphabet=string.digits, min_size=8, max_size=8).map(_with_check_10))
def test_a_prefix_whose_check_would_be_10_has_no_valid_number(prefix: str | None) -> None:
    assume(prefix is not None)
    assert prefix is not None
    assert nhs_check_digit(prefix) is None
    for last in string.digits:
        with pytest.raises(InvalidIdentifier):
            normalise_nhs_number(prefix + last)


@given(valid_nhs_numbers(), st.integers(min_value=0, max_value=9), st.sampled_from(string.digits))
def test_changing_any_one_digit_makes_a_valid_number_invalid(
    number: str, position: int, digit: str
) -> None:
    """Modulus 11 with weights 10..2: one changed digit always changes the remainder."""
    assume(number[position] != digit)
    changed = number[:position] + digit + number[position + 1 :]
    with pytest.raises(InvalidIdentifier) as raised:
        normalise_nhs_number(changed)
    assert raised.value.field == "nhs_number"


@given(valid_nhs_numbers())
def test_spaces_and_hyphens_are_allowed_on_input(number: str) -> None:
    spaced = f"{number[:3]} {number[3:6]}-{number[6:]}"
    assert normalise_nhs_number(f"  {spaced} ") == number


@pytest.mark.parametrize("value", ["", "123456789", "12345678901", "94347659l9", "943 476 591"])
def test_an_nhs_number_has_ten_digits(value: str) -> None:
    with pytest.raises(InvalidIdentifier, match="10 digits"):
        normalise_nhs_number(value)


def test_a_known_valid_nhs_number() -> None:
    assert normalise_nhs_number("943 476 5919") == "9434765919"
    with pytest.raises(InvalidIdentifier, match="check digit"):
        normalise_nhs_number("9434765918")


# --- unique pupil number -------------------------------------------------------------------


@given(twelve_digits)
def test_a_upn_with_its_check_letter_is_valid(body: str) -> None:
    letter = upn_check_letter(body)
    assert letter not in "IOS"
    assert normalise_upn((letter + body).lower()) == letter + body


@given(twelve_digits, st.sampled_from(string.ascii_uppercase))
def test_a_upn_with_another_letter_is_refused(body: str, letter: str) -> None:
    assume(letter != upn_check_letter(body))
    with pytest.raises(InvalidIdentifier, match="check letter") as raised:
        normalise_upn(letter + body)
    assert raised.value.field == "upn"


@given(st.text(alphabet=string.digits, min_size=11, max_size=11), st.sampled_from("ABZ"))
def test_a_temporary_upn_is_not_checked(middle: str, last: str) -> None:
    assert normalise_upn(f"X{middle}{last}") == f"X{middle}{last}"


def test_a_upn_check_can_be_skipped() -> None:
    body = "801200001001"
    wrong = next(c for c in "ABC" if c != upn_check_letter(body))
    assert normalise_upn(wrong + body, check_letter=False) == wrong + body


@pytest.mark.parametrize(
    ("value", "message"),
    [("A1234567890", "13 characters"), ("A12345678901X2", "13 characters")]
    + [("1234567890123", "a letter, 11 digits"), ("A12345678X012", "a letter, 11 digits")],
)
def test_malformed_upns(value: str, message: str) -> None:
    with pytest.raises(InvalidIdentifier, match=message):
        normalise_upn(value)


# --- postcode ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("me141xq", "ME14 1XQ"),
        ("  ME14   1XQ ", "ME14 1XQ"),
        ("ct12eh", "CT1 2EH"),
        ("SW1A1AA", "SW1A 1AA"),
        ("w1a 0ax", "W1A 0AX"),
        ("M1 1AE", "M1 1AE"),
        ("gir0aa", "GIR 0AA"),
    ],
)
def test_postcodes_are_normalised(value: str, expected: str) -> None:
    assert normalise_postcode(value) == expected


@pytest.mark.parametrize("value", ["", "ME14", "12345", "QE14 1XQ", "ME14 1XI", "ME14 1CQ"])
def test_invalid_postcodes_are_refused(value: str) -> None:
    with pytest.raises(InvalidIdentifier, match="real UK postcode") as raised:
        normalise_postcode(value)
    assert raised.value.field == "postcode"


@given(st.sampled_from(["ME14 1XQ", "CT1 2EH", "TN23 1PL", "SW1A 1AA"]), st.booleans())
def test_postcode_normalisation_is_idempotent(postcode: str, compact: bool) -> None:
    value = postcode.replace(" ", "") if compact else postcode.lower()
    once = normalise_postcode(value)
    assert normalise_postcode(once) == once == postcode


# --- LSOA --------------------------------------------------------------------------------


@given(st.text(alphabet=string.digits, min_size=6, max_size=6))
def test_lsoa_codes(six: str) -> None:
    assert validate_lsoa(f" e01{six} ") == f"E01{six}"


@pytest.mark.parametrize("value", ["", "E0100000", "E010000001", "E02000001", "W01000001"])
def test_invalid_lsoa_codes(value: str) -> None:
    with pytest.raises(InvalidIdentifier, match="LSOA") as raised:
        validate_lsoa(value)
    assert raised.value.field == "lsoa_code"
