"""A reference in a URL (N0000123, P0000042, C0000007): anything else is not found."""

from __future__ import annotations

import re

from earlyhelp.api.exceptions import not_found

_REFERENCE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")


def clean_reference(value: str, *, what: str) -> str:
    text = value.strip()
    if not _REFERENCE.match(text):
        raise not_found("reference", what)
    return text.upper()
