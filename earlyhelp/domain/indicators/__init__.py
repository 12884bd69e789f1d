"""Indicator definitions and arithmetic (spec/indicators.md): pure Python, no Django.

- `definitions`, `targets`: every indicator as data (basis, polarity, levels, decimals,
  default targets); `arithmetic`: rounding, percentages, medians, RAG; `periods`: months,
  windows, as-of dates and target years; `records`: the plain records computed from.
- `rules`: each indicator's rule for one record, as the spec words it.
- `compute`: every value, every level and window (`population` fills the monthly buckets,
  `series` and `assemble` turn them into windows and fill org units upwards, `rows` writes
  the values, targets and RAG).
"""
