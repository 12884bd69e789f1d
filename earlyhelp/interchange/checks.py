"""The base of the per-file checks: rules across columns and files, on parsed rows.

A check sees its file's rows chunk by chunk: `prefetch` looks up in the database what
the chunk refers to, `check` applies the rules to one row and records what later files
need to know of it, and `finish` applies the rules that need the whole file.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime
from itertools import islice
from typing import ClassVar, TypeVar

from earlyhelp.common.clock import LONDON
from earlyhelp.interchange.issues import FileIssues
from earlyhelp.interchange.known import Index, Known, OrgInfo
from earlyhelp.interchange.reader import Row
from earlyhelp.interchange.spec import FileSpec

T = TypeVar("T")
CHUNK = 2000


def chunked(items: Iterable[T], size: int = CHUNK) -> Iterator[list[T]]:
    iterator = iter(items)
    while chunk := list(islice(iterator, size)):
        yield chunk


def stamp(moment: datetime) -> str:
    """A moment as the format writes it (UK local time)."""
    local = moment.astimezone(LONDON)
    return local.strftime("%Y-%m-%dT%H:%M:%S" if local.second else "%Y-%m-%dT%H:%M")


def a(kind: str) -> str:
    """A kind of org unit with its article: "a UNIT", "an AREA"."""
    return f"an {kind}" if kind == "AREA" else f"a {kind}"


def sentence(message: str) -> str:
    """A domain message as part of a line: no capital at the start, no full stop."""
    return (message[:1].lower() + message[1:]).rstrip(".")


class FileCheck:
    spec: ClassVar[FileSpec]

    def __init__(self, known: Known, issues: FileIssues) -> None:
        self.known = known
        self.issues = issues
        self.errors_found = 0

    def prefetch(self, rows: list[Row]) -> None:
        """Look up in the database what the rows refer to."""

    def check(self, row: Row) -> None:
        raise NotImplementedError

    def finish(self) -> None:
        """Rules that need the whole file."""

    def error(self, row: Row, column: str, message: str) -> None:
        self.errors_found += 1
        self.issues.error(row.line, column, message)

    def is_clean(self, row: Row, errors_before: int) -> bool:
        """True when the row broke no rule (warnings are only worth giving then)."""
        return not row.bad and self.errors_found == errors_before

    def warning(self, row: Row, message: str) -> None:
        self.issues.warning(row.line, message)

    def resolve(self, row: Row, column: str, index: Index[T], source: str) -> T | None:
        """The record a row's identifier refers to, or None (reported when not found)."""
        ref = row[column]
        if ref is None:
            return None
        found = index.get(ref)
        if found is None:
            self.error(row, column, f"{ref} is not in {source} or the database")
        return found

    def org_unit(self, row: Row, column: str, kinds: tuple[str, ...], wanted: str) -> str | None:
        """The code of the org unit a row refers to, if it is of one of `kinds`."""
        info: OrgInfo | None = self.resolve(row, column, self.known.org_units, "org_units.csv")
        if info is None or not info.kind:
            return None
        if info.kind not in kinds:
            self.error(row, column, f"{row[column]} is {a(info.kind)}: it must be {wanted}")
            return None
        return row[column]
