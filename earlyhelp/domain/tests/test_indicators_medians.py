"""EH09's window medians from histograms agree with the median of the values listed."""

from __future__ import annotations

from collections import Counter

from hypothesis import given
from hypothesis import strategies as st

from earlyhelp.domain.indicators.arithmetic import median, median_of_counts
from earlyhelp.domain.indicators.assemble import window_medians

months = st.dictionaries(
    st.integers(0, 20), st.lists(st.integers(0, 400), min_size=1, max_size=12), max_size=15
)


@given(st.lists(st.integers(0, 50), max_size=30))
def test_median_of_counts_is_the_median(values: list[int]) -> None:
    counts = sorted(Counter(values).items())
    assert median_of_counts(counts, len(values)) == median(sorted(values))


@given(months, st.sampled_from([1, 3, 12]), st.sets(st.integers(0, 24), max_size=8))
def test_window_medians_slide_as_the_lists_would(
    by_month: dict[int, list[int]], window: int, offsets: set[int]
) -> None:
    histograms = {month: dict(Counter(days)) for month, days in by_month.items()}
    found = window_medians(histograms, window, offsets)
    for offset in offsets:
        listed = sorted(
            day for m in range(offset - window + 1, offset + 1) for day in by_month.get(m, [])
        )
        assert found[offset] == (len(listed), median(listed))
