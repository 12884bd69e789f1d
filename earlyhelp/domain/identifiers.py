"""Identifiers: NHS number (modulus 11), unique pupil number (UPN), postcode, LSOA."""

from __future__ import annotations

import re

from earlyhelp.domain.errors import InvalidIdentifier

_UPN_LETTERS = "ABCDEFGHJKLMNPQRTUVWXYZ"  # 23 letters: no I, O or S
_POSTCODE = re.compile(
    r"^(GIR ?0AA|[A-PR-UWYZ][A-HK-Y]?[0-9][0-9A-HJKMNPR-Y]? ?[0-9][ABD-HJLNP-UW-Z]{2})$"
)
_LSOA = re.compile(r"^E01[0-9]{6}$")


def nhs_check_digit(first_nine: str) -> int | None:
    """The modulus-11 check digit of nine digits, or None when no digit is valid (10)."""
    total = sum(int(d) * w for d, w in zip(first_nine, range(10, 1, -1), strict=True))
    check = 11 - total % 11
    if check == 11:
        return 0
    if check == 10:
        return None
    return check


def normalise_nhs_number(value: str) -> str:
    """Ten digits with a valid check digit (spaces and hyphens allowed on input)."""
    digits = re.sub(r"[\s-]", "", value)
    if not re.fullmatch(r"[0-9]{10}", digits):
        raise InvalidIdentifier("An NHS number has 10 digits.", field="nhs_number")
    if nhs_check_digit(digits[:9]) != int(digits[9]):
        raise InvalidIdentifier(
            "That NHS number's check digit is wrong: check it was copied correctly.",
            field="nhs_number",
        )
    return digits


def upn_check_letter(last_twelve: str) -> str:
    total = sum(int(ch) * weight for ch, weight in zip(last_twelve, range(2, 14), strict=True))
    return _UPN_LETTERS[total % 23]


def normalise_upn(value: str, *, check_letter: bool = True) -> str:
    """A unique pupil number: 13 characters, a check letter then 12 digits.

    Temporary UPNs end with a letter; their check letter is not verified.
    """
    upn = value.strip().upper()
    if len(upn) != 13:
        raise InvalidIdentifier("A unique pupil number has 13 characters.", field="upn")
    if not re.fullmatch(r"[A-Z][0-9]{11}[0-9A-Z]", upn):
        raise InvalidIdentifier(
            "A unique pupil number is a letter, 11 digits and a digit or letter.", field="upn"
        )
    if check_letter and upn[12].isdigit() and upn_check_letter(upn[1:]) != upn[0]:
        raise InvalidIdentifier(
            "That unique pupil number's check letter is wrong: check it was copied correctly.",
            field="upn",
        )
    return upn


def normalise_postcode(value: str) -> str:
    """A UK postcode in capitals with one space before the inward code."""
    compact = re.sub(r"\s+", "", value).upper()
    if len(compact) < 5 or not _POSTCODE.match(compact):
        raise InvalidIdentifier("Enter a real UK postcode, like ME14 1XQ.", field="postcode")
    return f"{compact[:-3]} {compact[-3:]}"


def validate_lsoa(value: str) -> str:
    code = value.strip().upper()
    if not _LSOA.match(code):
        raise InvalidIdentifier("An LSOA code is E01 followed by 6 digits.", field="lsoa_code")
    return code
