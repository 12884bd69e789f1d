"""Small-number suppression (DfE): counts of 1-5 as c, what derives from them as c, and
secondary suppression so that no suppressed count can be worked back from the others."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from earlyhelp.domain.indicators.compute import ResultRow
from earlyhelp.performance.suppression import (
    SUPPRESSED,
    Node,
    Tree,
    cells_to_suppress,
    suppress,
)
from earlyhelp.performance.tests.conftest import scorecard

# --- the rules on a hand-made tree: county 1 → areas 2, 3 → districts 4-7 ---------------

TREE = Tree.from_pairs([(1, None), (2, 1), (3, 1), (4, 2), (5, 2), (6, 3), (7, 3)])


def o(*ids: int) -> set[Node]:
    return {("O", i) for i in ids}


def cells(**counts: int) -> dict[Node, int]:
    return {("O", int(name[1:])): count for name, count in counts.items()}


def test_counts_of_one_to_five_are_suppressed_and_zero_is_not() -> None:
    table = cells(o1=100, o2=40, o3=60, o4=20, o5=20, o6=30, o7=30)
    assert cells_to_suppress(table, TREE) == set()
    table = cells(o1=10, o2=0, o3=10, o4=0, o5=0, o6=5, o7=5)
    assert cells_to_suppress(table, TREE) == o(6, 7)  # area 3 gives their sum only


def test_one_suppressed_child_brings_the_next_smallest_with_it() -> None:
    table = cells(o1=100, o2=40, o3=60, o4=3, o5=37, o6=20, o7=40)
    hidden = cells_to_suppress(table, TREE)
    assert o(4, 5) <= hidden  # 40 - 37 would give the 3 back
    # area 2 is shown, with two suppressed districts: their sum only is known
    assert ("O", 2) not in hidden


def test_a_secondary_pick_prefers_a_non_zero_sibling() -> None:
    tree = Tree.from_pairs([(1, None), (2, 1), (3, 1), (4, 1)])
    hidden = cells_to_suppress({("O", 1): 50, ("O", 2): 2, ("O", 3): 0, ("O", 4): 48}, tree)
    assert hidden == o(2, 4)


def test_an_only_child_takes_its_parent_with_it() -> None:
    tree = Tree.from_pairs([(1, None), (2, 1), (3, 2)])
    hidden = cells_to_suppress({("O", 1): 40, ("O", 2): 4, ("O", 3): 4}, tree)
    assert hidden == o(1, 2, 3)


def test_a_suppressed_parent_is_not_left_as_the_sum_of_its_children() -> None:
    # Area 2 is pulled in as the next smallest area; its districts would add up to it.
    table = cells(o1=100, o2=30, o3=70, o4=10, o5=20, o6=4, o7=66)
    hidden = cells_to_suppress(table, TREE)
    assert o(6, 7, 2, 3) <= hidden or o(6, 7) <= hidden
    for parent, kids in ((2, (4, 5)), (3, (6, 7))):
        if ("O", parent) in hidden:
            assert any(("O", kid) in hidden for kid in kids)


# --- the property: nothing can be worked back ---------------------------------------------


@st.composite
def trees_with_counts(draw: st.DrawFn) -> tuple[Tree, dict[Node, int]]:
    """A county of areas of districts of units (of workers), each count the sum below it."""
    pairs: list[tuple[int, int | None]] = [(1, None)]
    workers: list[tuple[int, int]] = []
    counts: dict[Node, int] = {}
    next_id = [2]

    def grow(parent: int, depth: int) -> int:
        if depth == 4:  # a unit: its workers' counts
            total = 0
            for _ in range(draw(st.integers(0, 3))):
                worker = next_id[0]
                next_id[0] += 1
                workers.append((worker, parent))
                counts[("W", worker)] = draw(st.integers(0, 12))
                total += counts[("W", worker)]
            return total + draw(st.integers(0, 3))  # cases with no worker
        total = 0
        for _ in range(draw(st.integers(1, 3))):
            child = next_id[0]
            next_id[0] += 1
            pairs.append((child, parent))
            count = grow(child, depth + 1)
            counts[("O", child)] = count
            total += count
        return total

    counts[("O", 1)] = grow(1, 1)
    return Tree.from_pairs(pairs, workers), counts


@settings(max_examples=300, deadline=None)
@given(trees_with_counts())
def test_no_suppressed_count_can_be_worked_back(drawn: tuple[Tree, dict[Node, int]]) -> None:
    tree, counts = drawn
    hidden = cells_to_suppress(counts, tree)
    # Primary: every count of 1 to 5 is suppressed.
    assert {node for node, count in counts.items() if 1 <= count <= 5} <= hidden
    groups: dict[Node, list[Node]] = {}
    for node in counts:
        parent = tree.parent.get(node)
        if parent is not None:
            groups.setdefault(parent, []).append(node)
    for parent, kids in groups.items():
        hidden_kids = [kid for kid in kids if kid in hidden]
        if parent not in hidden:
            # parent - the unsuppressed siblings never isolates one suppressed count
            assert len(hidden_kids) != 1, (parent, kids, counts, hidden)
        else:
            # a suppressed parent is never the sum of children all shown
            assert hidden_kids, (parent, kids, counts, hidden)


# --- rows: derived values, RAG, and the exports -------------------------------------------


def row(code: str, org: int, num: int | None, den: object, value: str | None, rag: str | None,
        level: str = "DISTRICT") -> ResultRow:  # fmt: skip
    return ResultRow(code, level, org, None, f"O{org}", "2016-03", 12, num,
                     den if not isinstance(den, str) else Decimal(den),
                     Decimal(value) if value is not None else None, None, None, rag)  # fmt: skip


def test_values_and_rag_derived_from_a_suppressed_count_are_suppressed() -> None:
    tree = Tree.from_pairs([(1, None), (2, 1), (3, 1)])
    rows = [
        row("EH05", 1, 43, 60, "71.7", "AMBER", level="COUNTY"),
        row("EH05", 2, 3, 20, "15.0", "RED"),  # numerator small
        row("EH05", 3, 40, 40, "100.0", "GREEN"),  # its sibling goes too (secondary)
        row("EH10", 2, 4, "2.5", "1.60", None),  # cases per FTE: the FTE is not a count
        row("EH10", 3, 30, "3", "10.00", None),
        row("EH10", 1, 34, "5.5", "6.18", None, level="COUNTY"),
        row("EH09", 2, None, "3.0000", "120.0", None),  # a median of 3 closures
        row("EH09", 3, None, "12.0000", "99.0", None),
        row("EH09", 1, None, "15.0000", "101.0", None, level="COUNTY"),
    ]
    shown = {(r.code, r.org_id): r for r in suppress(rows, tree)}
    assert shown[("EH05", 2)][7:] == (SUPPRESSED, 20, SUPPRESSED, None, None, SUPPRESSED)
    assert shown[("EH05", 3)].numerator == SUPPRESSED
    assert shown[("EH05", 3)].rag == SUPPRESSED
    assert shown[("EH05", 1)] == rows[0]
    assert shown[("EH10", 2)][7:10] == (SUPPRESSED, Decimal("2.5"), SUPPRESSED)
    assert shown[("EH09", 2)][7:10] == (None, SUPPRESSED, SUPPRESSED)
    assert shown[("EH09", 3)].denominator == SUPPRESSED


def test_an_imported_count_is_suppressed_as_a_value() -> None:
    tree = Tree.from_pairs([(1, None), (2, 1), (3, 1)])
    rows = [
        row("YJ01", 1, None, None, "12", None, level="COUNTY"),
        row("YJ01", 2, None, None, "2", None),
        row("YJ01", 3, None, None, "10", None),
        row("NEET01", 2, None, None, "3.4", None),  # a percentage: not a count
    ]
    shown = [r.value for r in suppress(rows, tree)]
    assert shown == [Decimal("12"), SUPPRESSED, SUPPRESSED, Decimal("3.4")]


@pytest.fixture
def suppressed_csv(example: Path) -> list[dict[str, str]]:
    text = scorecard("--month", "2016-03", "--suppress")
    return list(csv.DictReader(io.StringIO(text)))


@pytest.mark.django_db
def test_the_scorecard_csv_suppresses_small_numbers(suppressed_csv) -> None:
    plain = list(csv.DictReader(io.StringIO(scorecard("--month", "2016-03"))))
    assert len(suppressed_csv) == len(plain)
    for line in suppressed_csv:
        for column in ("numerator", "denominator"):
            cell = line[column]
            if cell and cell != SUPPRESSED and line["indicator_code"] != "EH10":
                assert not 1 <= Decimal(cell) <= 5, line
        if SUPPRESSED in (line["numerator"], line["denominator"]) and line["value"]:
            assert line["value"] == SUPPRESSED
    assert any(line["numerator"] == SUPPRESSED for line in suppressed_csv)
    county = [line for line in suppressed_csv if line["level"] == "COUNTY"]
    assert all(SUPPRESSED not in line.values() for line in county if line["indicator_code"]
               in {"EH11", "EH12"})  # fmt: skip


@pytest.mark.django_db
def test_one_level_is_suppressed_as_part_of_every_level(example: Path, suppressed_csv) -> None:
    text = scorecard("--month", "2016-03", "--suppress", "--level", "UNIT")
    units = list(csv.DictReader(io.StringIO(text)))
    assert units == [line for line in suppressed_csv if line["level"] == "UNIT"]


@pytest.mark.django_db
def test_the_workbook_shows_c_and_says_so(example: Path, tmp_path: Path) -> None:
    path = tmp_path / "partners.xlsx"
    scorecard("--month", "2016-03", "--format", "xlsx", "--suppress", "--output", str(path))
    book = load_workbook(path)
    about = {r[0]: r[1] for r in book["About"].iter_rows(values_only=True)}
    assert "counts of 1 to 5" in about["Small numbers"]
    values = [cell for r in book["Worker"].iter_rows(min_row=2, values_only=True) for cell in r]
    assert SUPPRESSED in values
