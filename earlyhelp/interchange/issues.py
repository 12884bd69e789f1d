"""Errors and warnings found in a dataset, each tied to a file and a physical line.

Errors read `file:line: column: message`; warnings `file:line: warning: message`.
A problem with a whole file (missing, unknown, unreadable) is on line 0 and a problem
with a whole row (its number of fields) names the column `-`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from earlyhelp.interchange.spec import FILE_NAMES

WHOLE_ROW = "-"


@dataclass(frozen=True, order=True, slots=True)
class Issue:
    file_rank: int
    line: int
    sequence: int
    text: str = field(compare=False)


@dataclass
class Issues:
    errors: list[Issue] = field(default_factory=list)
    warnings: list[Issue] = field(default_factory=list)
    _sequence: int = 0

    def _issue(self, file: str, line: int, text: str) -> Issue:
        self._sequence += 1
        rank = FILE_NAMES.index(file) if file in FILE_NAMES else len(FILE_NAMES)
        return Issue(rank, line, self._sequence, text)

    def error(self, file: str, line: int, column: str, message: str) -> None:
        self.errors.append(self._issue(file, line, f"{file}:{line}: {column}: {message}"))

    def warning(self, file: str, line: int, message: str) -> None:
        self.warnings.append(self._issue(file, line, f"{file}:{line}: warning: {message}"))

    def for_file(self, file: str) -> FileIssues:
        return FileIssues(self, file)

    def error_texts(self) -> list[str]:
        return [issue.text for issue in sorted(self.errors)]

    def warning_texts(self) -> list[str]:
        return [issue.text for issue in sorted(self.warnings)]

    def all_texts(self) -> list[str]:
        """Errors and warnings together, in the order of the files and their lines."""
        return [issue.text for issue in sorted([*self.errors, *self.warnings])]


@dataclass(frozen=True, slots=True)
class FileIssues:
    """The issues of one file: what the checks of that file report to."""

    issues: Issues
    file: str

    def error(self, line: int, column: str, message: str) -> None:
        self.issues.error(self.file, line, column, message)

    def warning(self, line: int, message: str) -> None:
        self.issues.warning(self.file, line, message)
