"""Default targets of spec/indicators.md ("Default targets") and the RAG thresholds they give.

Targets are data: these are the defaults an administrator's `performance.Target` rows
replace, one indicator and target year at a time (target and floor together).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class TargetSpec:
    """A target and, when set, its floor; an unset floor is the default floor (10%)."""

    target: Decimal
    floor: Decimal | None = None


TargetTable = Mapping[tuple[str, int], TargetSpec]

YEARS = (2015, 2016, 2017, 2018)

# code: (baseline 2015, targets 2015, 2016, 2017, 2018); None is "—" (no target).
_SEED_TABLE: dict[str, tuple[str | None, ...]] = {
    "EH01": ("9.4", "7", "6", "5", "4"),
    "EH02": ("22", "20", "24", "26", "27"),
    "EH03": ("97", None, "75", "70", "65"),
    "EH04": ("59", None, "80", "87", "95"),
    "EH05": ("69", None, "80", "83", "86"),
    "EH06": (None, None, "25", "22", "20"),
    "NEET01": ("4.7", "4.0", "3.5", "1.0", "1.0"),
    "CC01": ("72", "75", "81", "90", "100"),
    "CC02": ("58", None, "74", "80", "86"),
    "CC03": ("80", None, "84", "88", "92"),
    "CC04": ("47", None, "70", "72", "74"),
    "CC05": ("75", None, "80", "85", "90"),
    "YS01": (None, None, "60", "65", "70"),
    "YJ01": ("614", "628", "540", "520", "500"),
    "YJ02": ("35.5", "30", "29", "28", "27"),
    "YJ03": ("76.6", "83", "84", "85", "86"),
    "YJ04": ("50.9", "80", "81", "82", "85"),
    "TF01": (None, None, "2043", "4534", "7034"),
    "PA01": ("7.1", None, "6.5", "6.0", "5.5"),
    "PA02": ("13.7", None, "12.5", "11.0", "10.0"),
    "EX01": ("47", "11", "32", "24", "15"),
    "EX02": ("58", "39", "32", "24", "15"),
    "EX03": ("1693", "1350", "1250", "1150", "1050"),
    "EX04": ("9030", "8000", "7000", "6000", "5000"),
}


def _seed(row: tuple[str | None, ...]) -> tuple[dict[int, TargetSpec], Decimal | None]:
    baseline, *targets = row
    by_year = {
        year: TargetSpec(Decimal(text)) for year, text in zip(YEARS, targets, strict=True) if text
    }
    return by_year, Decimal(baseline) if baseline else None


DEFAULT_TARGETS: dict[str, tuple[dict[int, TargetSpec], Decimal | None]] = {
    code: _seed(row) for code, row in _SEED_TABLE.items()
}


class _EveryYear(Mapping[int, TargetSpec]):
    """The same target and floor in every year (the service standards EH07 and EH08)."""

    def __init__(self, spec: TargetSpec) -> None:
        self.spec = spec

    def __getitem__(self, year: int) -> TargetSpec:
        return self.spec

    def __iter__(self) -> Iterator[int]:
        return iter(YEARS)

    def __len__(self) -> int:
        return len(YEARS)


SERVICE_STANDARDS: dict[str, Mapping[int, TargetSpec]] = {
    "EH07": _EveryYear(TargetSpec(Decimal("95"), Decimal("90"))),
    "EH08": _EveryYear(TargetSpec(Decimal("90"), Decimal("80"))),
}
