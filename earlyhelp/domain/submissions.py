"""What a partner sends to the front door, how it is checked, and what they are told after.

A partner's notification (from the portal, the API or the police feed) arrives as
`Answers`: the child and family, the concerns, what has been tried, consent, urgency and
the referrer's contact details. `answer_errors` names every field that is wrong, with a
message a person can act on; nothing is written until it returns no errors.

`partner_stage` is what the referrer may know of its progress: never case content.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from enum import StrEnum

from earlyhelp.domain import identifiers
from earlyhelp.domain.codes import Category, Sex, Source
from earlyhelp.domain.errors import InvalidIdentifier

PARTNER_CATEGORIES = (Category.STANDARD, Category.MISSING_CHILD, Category.E_YOT)
PARTNER_SOURCES = tuple(s for s in Source if s is not Source.SCS)
OLDEST_AGE = 25  # early help works with young people up to 25 with SEND; older is a typo
MAX_TEXT = 10_000
MAX_NAME = 100
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_PHONE = re.compile(r"^\+?[0-9 ()-]{6,30}$")


@dataclass(frozen=True, slots=True)
class Answers:
    child_given_name: str
    child_family_name: str
    child_date_of_birth: date | None
    child_sex: str
    address_line_1: str
    town: str
    postcode: str
    concerns: str
    referrer_name: str
    referrer_organisation: str
    referrer_email: str
    source: str
    family_consent: bool | None
    category: str = Category.STANDARD
    what_has_been_tried: str = ""
    urgent: bool = False
    share_outcome_consent: bool = False
    child_upn: str = ""
    parent_carer_name: str = ""
    referrer_role: str = ""
    referrer_phone: str = ""
    district_code: str = ""

    def as_json(self) -> dict[str, object]:
        # Every value is a str, bool, date or None: a shallow copy (asdict deep-copies).
        data: dict[str, object] = {name: getattr(self, name) for name in _ANSWER_FIELDS}
        dob = self.child_date_of_birth
        data["child_date_of_birth"] = dob.isoformat() if dob else None
        return data

    @classmethod
    def from_json(cls, data: dict[str, object]) -> Answers:
        """The answers `as_json` kept (fields unknown to this version are left out)."""
        values = {name: data[name] for name in _ANSWER_FIELDS if name in data}
        born = values.get("child_date_of_birth")
        values["child_date_of_birth"] = date.fromisoformat(str(born)) if born else None
        return cls(**values)  # type: ignore[arg-type]

    def fingerprint(self) -> str:
        """The same answers give the same fingerprint (an `Idempotency-Key` reused with
        different answers is a mistake the sender must hear about)."""
        canonical = json.dumps(self.as_json(), sort_keys=True, ensure_ascii=True)
        return hashlib.sha256(canonical.encode()).hexdigest()

    @classmethod
    def field_names(cls) -> list[str]:
        return [f.name for f in fields(cls)]


_ANSWER_FIELDS = tuple(Answers.field_names())

REQUIRED_TEXT = {
    "child_given_name": "Enter the child's first name.",
    "child_family_name": "Enter the child's last name.",
    "postcode": "Enter the family's postcode.",
    "concerns": "Describe what you are worried about.",
    "referrer_name": "Enter your name.",
    "referrer_organisation": "Enter the name of your organisation.",
    "referrer_email": "Enter your email address, so that we can tell you what happens.",
}
LIMITS = {
    "child_given_name": MAX_NAME,
    "child_family_name": MAX_NAME,
    "parent_carer_name": MAX_NAME,
    "address_line_1": 200,
    "town": 100,
    "postcode": 8,
    "concerns": MAX_TEXT,
    "what_has_been_tried": MAX_TEXT,
    "referrer_name": 200,
    "referrer_role": 200,
    "referrer_organisation": 200,
    "referrer_email": 254,
    "referrer_phone": 30,
    "child_upn": 13,
    "district_code": 64,
}
MULTILINE = {"concerns", "what_has_been_tried"}


# Text-direction overrides and isolates: they make a name or reference read as something else.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def _bad_characters(value: str, *, multiline: bool) -> bool:
    """Control characters (NUL above all: PostgreSQL refuses it) and text-direction
    overrides have no place in a form."""
    allowed = {"\n", "\r", "\t"} if multiline else set()
    return any(
        (unicodedata.category(c) in {"Cc", "Cs"} and c not in allowed) or c in _BIDI_CONTROLS
        for c in value
    )


def _text_errors(answers: Answers) -> dict[str, str]:
    errors: dict[str, str] = {}
    for name, limit in LIMITS.items():
        value = getattr(answers, name)
        if _bad_characters(value, multiline=name in MULTILINE):
            errors[name] = "Remove the control characters (they cannot be stored)."
        elif len(value) > limit:
            errors[name] = f"Use {limit:,} characters or fewer (this has {len(value):,})."
        elif name in REQUIRED_TEXT and not value.strip():
            errors[name] = REQUIRED_TEXT[name]
    return errors


def _child_errors(answers: Answers, today: date) -> dict[str, str]:
    errors: dict[str, str] = {}
    dob = answers.child_date_of_birth
    if dob is not None and dob > today:
        errors["child_date_of_birth"] = "The child's date of birth must be today or in the past."
    elif dob is not None and today.year - dob.year > OLDEST_AGE:
        errors["child_date_of_birth"] = (
            f"Early help works with children and young people up to {OLDEST_AGE}: "
            "check the year of birth."
        )
    if answers.child_sex not in Sex.__members__:
        errors["child_sex"] = "Choose the child's sex: F, M or U (not known)."
    if answers.child_upn:
        try:
            identifiers.normalise_upn(answers.child_upn)
        except InvalidIdentifier as error:
            errors["child_upn"] = str(error)
    return errors


def _contact_errors(answers: Answers) -> dict[str, str]:
    errors: dict[str, str] = {}
    if answers.referrer_email.strip() and not _EMAIL.match(answers.referrer_email.strip()):
        errors["referrer_email"] = "Enter an email address like name@example.org."
    if answers.referrer_phone.strip() and not _PHONE.match(answers.referrer_phone.strip()):
        errors["referrer_phone"] = "Enter a telephone number, like 01632 960 001."
    if answers.postcode.strip():
        try:
            identifiers.normalise_postcode(answers.postcode)
        except InvalidIdentifier as error:
            errors["postcode"] = str(error)
    return errors


def _choice_errors(answers: Answers) -> dict[str, str]:
    errors: dict[str, str] = {}
    if answers.category not in {c.value for c in PARTNER_CATEGORIES}:
        errors["category"] = "Choose what kind of notification this is."
    if answers.source not in {s.value for s in PARTNER_SOURCES}:
        errors["source"] = "Choose the kind of organisation you work for."
    if answers.family_consent is None:
        errors["family_consent"] = "Say whether the family agreed to this notification."
    return errors


def answer_errors(answers: Answers, *, today: date) -> dict[str, str]:
    """Every field that is wrong, with what to do about it; empty when all is well."""
    errors = _text_errors(answers)
    for more in (_child_errors(answers, today), _contact_errors(answers), _choice_errors(answers)):
        for name, message in more.items():
            errors.setdefault(name, message)
    return {name: errors[name] for name in Answers.field_names() if name in errors}


class Stage(StrEnum):
    """What a referrer is told of a notification's progress, in order."""

    RECEIVED = "RECEIVED"
    BEING_SCREENED = "BEING_SCREENED"
    DECIDED = "DECIDED"
    ALLOCATED = "ALLOCATED"
    CLOSED = "CLOSED"


STAGE_LABELS = {
    Stage.RECEIVED: "Received",
    Stage.BEING_SCREENED: "Being screened",
    Stage.DECIDED: "Decision made",
    Stage.ALLOCATED: "Allocated to an Early Help Unit",
    Stage.CLOSED: "Closed",
}


def partner_stage(
    *, screening_started: bool, triaged: bool, allocated: bool, closed: bool
) -> Stage:
    """The furthest stage reached. Allocation and closure are those of the case opened
    from this notification (not of any other work with the family)."""
    if closed:
        return Stage.CLOSED
    if allocated:
        return Stage.ALLOCATED
    if triaged:
        return Stage.DECIDED
    if screening_started:
        return Stage.BEING_SCREENED
    return Stage.RECEIVED


def recording_may_wait(
    *,
    oldest: datetime,
    newest: datetime,
    now: datetime,
    quiet: timedelta,
    longest: timedelta,
    pressing: bool = False,
) -> bool:
    """Whether a queue worker leaves the queue for now (decisions 0017, 0018): while
    partners are still sending (the newest arrived less than `quiet` ago) the API keeps
    the machine, so that it stays quick through a peak. Never while a submission to be
    triaged the same day waits (`pressing`: urgent, a missing child, e-YOT), and never
    once the oldest has waited `longest`; a clock that went back (a pinned date's does at
    midnight) counts as having waited long enough."""
    if pressing:
        return False
    waited = now - oldest
    return now - newest < quiet and timedelta(0) <= waited < longest
