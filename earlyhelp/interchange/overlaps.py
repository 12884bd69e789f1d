"""Families with two cases open at once: the live workflow links a new notification to the
open case instead, so imported history where that happened gets a warning."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Mapping
from datetime import date
from typing import NamedTuple

from earlyhelp.casework.models import Case
from earlyhelp.interchange.checks import chunked
from earlyhelp.interchange.known import IN_DATABASE, CaseInfo


class Episode(NamedTuple):
    opened_on: date
    ref: str
    closed_on: date | None
    line: int

    def open_on(self, day: date) -> bool:
        """Open at the start of `day` (a case closed that day makes way for one opened)."""
        return self.opened_on <= day and (self.closed_on is None or self.closed_on > day)


def open_case_overlaps(cases: Mapping[str, CaseInfo]) -> Iterator[tuple[int, str]]:
    """(line, message) for each dataset case opened while its family had another open."""
    by_family: dict[str, list[Episode]] = defaultdict(list)
    for ref, info in cases.items():
        if info.family_ref and info.opened_on:
            by_family[info.family_ref].append(
                Episode(info.opened_on, ref, info.closed_on, info.line)
            )
    _add_database_cases(by_family, cases)
    for family, episodes in by_family.items():
        yield from _overlaps(family, sorted(episodes))


def _add_database_cases(by_family: dict[str, list[Episode]], cases: Mapping[str, CaseInfo]) -> None:
    for families in chunked(by_family):
        rows = Case.objects.filter(family__family_ref__in=families).values_list(
            "family__family_ref", "opened_on", "case_ref", "closed_on"
        )
        for family, opened_on, ref, closed_on in rows:
            if ref not in cases:
                by_family[family].append(Episode(opened_on, ref, closed_on, IN_DATABASE))


def _overlaps(family: str, episodes: list[Episode]) -> Iterator[tuple[int, str]]:
    latest: Episode | None = None  # of the cases opened so far, the one that closes last
    for episode in episodes:
        if latest is not None and latest.open_on(episode.opened_on):
            later, earlier = (episode, latest) if episode.line else (latest, episode)
            if later.line != IN_DATABASE:
                yield (
                    later.line,
                    (
                        f"family {family} has two cases open at once: {later.ref} and "
                        f"{earlier.ref} (opened {earlier.opened_on})"
                    ),
                )
        if latest is None or _closes_later(episode, latest):
            latest = episode


def _closes_later(one: Episode, other: Episode) -> bool:
    if other.closed_on is None:
        return False
    return one.closed_on is None or one.closed_on > other.closed_on
