"""Data protection settings: Django settings first, then the environment, then defaults.

- `EARLYHELP_RETENTION_YEARS_AFTER_CLOSURE` (6): anonymise N years after the family's last
  case closed (its last notification, if it never had a case); empty turns the rule off.
- `EARLYHELP_RETENTION_AGE_OF_YOUNGEST` (25): anonymise at this birthday of the family's
  youngest child; empty turns the rule off.
- `EARLYHELP_RETENTION_COMBINE` (`all`): `all`, a family is due when every rule that is on
  says so (whichever is later); `any`, when one does (whichever is sooner).
- `PSEUDONYM_KEY`: the secret key of the analysts' pseudonyms (HMAC-SHA256); required in
  production, a documented demo key elsewhere.
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

DEMO_PSEUDONYM_KEY = "insecure-demo-pseudonym-key"  # noqa: S105 - the demo's documented key


def _value(name: str, default: str) -> str:
    configured = getattr(settings, name, None)
    if configured is not None:
        return str(configured)
    return os.environ.get(name, default)


def _years(name: str, default: str) -> int | None:
    text = _value(name, default).strip()
    if not text:
        return None
    try:
        years = int(text)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number of years, or empty.") from None
    if years < 1:
        raise ImproperlyConfigured(f"{name} must be at least 1, or empty.")
    return years


@dataclass(frozen=True, slots=True)
class RetentionRules:
    years_after_closure: int | None
    age_of_youngest: int | None
    combine: str  # "all" or "any"

    def describe(self) -> str:
        rules = []
        if self.years_after_closure:
            rules.append(f"{self.years_after_closure} years after the last case closed")
        if self.age_of_youngest:
            rules.append(f"at the {_ordinal(self.age_of_youngest)} birthday of the youngest child")
        if not rules:
            return "No retention rule is set: nothing is anonymised."
        joined = " and ".join(rules) if self.combine == "all" else " or ".join(rules)
        when = "whichever is later" if self.combine == "all" else "whichever is sooner"
        return f"Anonymise {joined}" + (f" ({when})." if len(rules) > 1 else ".")


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def retention_rules() -> RetentionRules:
    combine = _value("EARLYHELP_RETENTION_COMBINE", "all").strip().lower()
    if combine not in {"all", "any"}:
        raise ImproperlyConfigured("EARLYHELP_RETENTION_COMBINE must be 'all' or 'any'.")
    return RetentionRules(
        years_after_closure=_years("EARLYHELP_RETENTION_YEARS_AFTER_CLOSURE", "6"),
        age_of_youngest=_years("EARLYHELP_RETENTION_AGE_OF_YOUNGEST", "25"),
        combine=combine,
    )


def pseudonym_key() -> bytes:
    key = _value("PSEUDONYM_KEY", "")
    if key:
        return key.encode()
    if getattr(settings, "IS_PRODUCTION", False):
        raise ImproperlyConfigured("PSEUDONYM_KEY must be set in production.")
    return DEMO_PSEUDONYM_KEY.encode()
