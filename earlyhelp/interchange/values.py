"""Parsers of the interchange format's cell values: each returns the value or raises `CellError`.

An empty cell never reaches a parser: the reader turns it into None (or reports a
required value missing). Messages name the value and say what was expected.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from datetime import UTC, date, datetime
from decimal import Decimal, InvalidOperation

from earlyhelp.common.clock import LONDON
from earlyhelp.domain import identifiers
from earlyhelp.domain.errors import InvalidIdentifier

Parser = Callable[[str], object]

MAX_ID_LENGTH = 64
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_DATETIME = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2})(?::([0-9]{2}))?")
_MONTH = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")
_INTEGER = re.compile(r"-?[0-9]+")
_DECIMAL = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_YEAR = re.compile(r"[0-9]{4}")
_NHS = re.compile(r"[0-9]{10}")


class CellError(ValueError):
    """A cell's value breaks the rule of its column."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def shown(value: str) -> str:
    """A value quoted for a message, cut short when long."""
    return f"'{value}'" if len(value) <= 40 else f"'{value[:37]}...'"


def identifier(value: str) -> str:
    if len(value) > MAX_ID_LENGTH:
        raise CellError(f"{shown(value)} is longer than {MAX_ID_LENGTH} characters")
    return value


def text(max_length: int) -> Parser:
    def parse(value: str) -> str:
        if len(value) > max_length:
            raise CellError(f"{shown(value)} is longer than {max_length} characters")
        return value

    return parse


def code(members: Iterable[str], *, what: str = "") -> Parser:
    """One of `members`; `what` names the list in the message (else it lists them)."""
    allowed = tuple(members)

    def parse(value: str) -> str:
        if value not in allowed:
            raise CellError(f"{shown(value)} is not {what or 'one of'} {', '.join(allowed)}")
        return value

    return parse


def iso_date(value: str) -> date:
    try:
        if _DATE.fullmatch(value):
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise CellError(f"{shown(value)} is not a date: write YYYY-MM-DD")


def local_datetime(value: str) -> datetime:
    """A UK local time (Europe/London), as a UTC moment; a time the clocks skipped is refused."""
    match = _DATETIME.fullmatch(value)
    try:
        if match is None:
            raise ValueError(value)
        naive = datetime(*(int(part or 0) for part in match.groups()))  # noqa: DTZ001
    except ValueError:
        raise CellError(f"{shown(value)} is not a date-time: write YYYY-MM-DDTHH:MM") from None
    moment = naive.replace(tzinfo=LONDON).astimezone(UTC)
    if moment.astimezone(LONDON).replace(tzinfo=None) != naive:
        raise CellError(f"{shown(value)} did not happen in UK time: the clocks went forward")
    # In UTC: a time the clocks repeat (the first of the two is meant) then compares equal
    # to the stored one (Python never finds a repeated local time equal across zones).
    return moment


def month(value: str) -> str:
    if not _MONTH.fullmatch(value):
        raise CellError(f"{shown(value)} is not a month: write YYYY-MM")
    return value


def integer(*, low: int, high: int, rule: str = "") -> Parser:
    def parse(value: str) -> int:
        if not _INTEGER.fullmatch(value):
            raise CellError(f"{shown(value)} is not a whole number")
        number = int(value)
        if not low <= number <= high:
            raise CellError(f"{value} is out of range: {rule or f'{low} to {high}'}")
        return number

    return parse


def year(value: str) -> int:
    if not _YEAR.fullmatch(value):
        raise CellError(f"{shown(value)} is not a year: write 4 digits, like 2016")
    return int(value)


def decimal(
    *, max_digits: int, places: int, check: Callable[[Decimal], str] | None = None
) -> Parser:
    """A plain decimal number that fits the column (`max_digits`, `places`)."""

    def parse(value: str) -> Decimal:
        if not _DECIMAL.fullmatch(value):
            raise CellError(f"{shown(value)} is not a number")
        try:
            number = Decimal(value)
        except InvalidOperation:  # pragma: no cover - the pattern admits only numbers
            raise CellError(f"{shown(value)} is not a number") from None
        whole, _, fraction = value.lstrip("-").partition(".")
        if len(fraction.rstrip("0")) > places:
            raise CellError(f"{value} has more than {places} decimal places")
        if len(whole.lstrip("0")) > max_digits - places:
            raise CellError(f"{value} is too large")
        problem = check(number) if check else ""
        if problem:
            raise CellError(f"{value} {problem}")
        return number

    return parse


def fte_rule(number: Decimal) -> str:
    return "" if 0 < number <= 1 else "is out of range: more than 0 and at most 1"


def postcode(value: str) -> str:
    """A UK postcode, stored in capitals with one space before the inward code."""
    try:
        return identifiers.normalise_postcode(value)
    except InvalidIdentifier:
        raise CellError(f"{shown(value)} is not a UK postcode") from None


def lsoa(value: str) -> str:
    try:
        if identifiers.validate_lsoa(value) == value:
            return value
    except InvalidIdentifier:
        pass
    raise CellError(f"{shown(value)} is not an LSOA code: E01 followed by 6 digits")


def upn(value: str) -> str:
    if len(value) != 13:
        raise CellError(f"{shown(value)} is not a unique pupil number: it has 13 characters")
    return value


def nhs_number(value: str) -> str:
    if not _NHS.fullmatch(value):
        raise CellError(f"{shown(value)} is not an NHS number: it has 10 digits")
    if identifiers.nhs_check_digit(value[:9]) != int(value[9]):
        raise CellError(f"{value} is not an NHS number: its check digit is wrong")
    return value
