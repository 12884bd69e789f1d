"""Matching people at the front door: phonetic keys for blocking, scores for ranking."""

from __future__ import annotations

import re
import unicodedata

import jellyfish


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
    return jellyfish.metaphone(words[0])[:20]
