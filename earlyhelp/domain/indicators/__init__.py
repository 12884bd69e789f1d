"""Indicator definitions and arithmetic (spec/indicators.md): pure Python, no Django.

- `definitions`: every indicator as data (basis, polarity, levels, decimals, targets).
- `arithmetic`: rounding, percentages, medians, RAG; `periods`: months and windows.
- `rules`: each indicator's rule for one record; `compute`: every value, every level.
"""
