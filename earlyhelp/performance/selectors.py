"""Reads of the performance app: snapshots for the scorecard, and the data's signature.

The scorecard holds no personal data (counts per org unit and worker); the command line
reads it as the analyst's export. Pages read the snapshots by the user's scope
(`policies.py`), and list the records behind a number within the case scope.

The reads live in modules by what they serve, and are all importable from here:
`selectors_snapshots` (the data's signature, what the snapshots hold, a month's rows),
`selectors_places` (places within the user's scope, the scorecard export),
`selectors_trends` (a place's figures, trends, breakdowns) and `selectors_members` (the
records behind a number); `selectors_figures` serves the figures pages.
"""

from __future__ import annotations

from earlyhelp.performance.selectors_members import (
    CASE_RULES,
    NOTIFICATION_RULES,
    Bounds,
    Member,
    MemberRule,
    Members,
    indicator_members,
)
from earlyhelp.performance.selectors_places import (
    Place,
    PlaceView,
    performance_home,
    performance_home_or_none,
    performance_place,
    performance_place_of,
    scorecard_export,
    scorecard_place,
)
from earlyhelp.performance.selectors_snapshots import (
    FILL_STATE,
    SNAPSHOT_FIELDS,
    SOURCES,
    Snapshots,
    computed_at,
    data_signature,
    default_period,
    indicator_values,
    scorecard_rows,
    snapshot_rows,
    snapshots,
    stored_periods,
)
from earlyhelp.performance.selectors_trends import (
    Figure,
    Travel,
    children_figures,
    indicator_breakdown,
    indicator_series,
    indicators_at,
    place_figures,
    travel,
)

__all__ = [
    "CASE_RULES", "FILL_STATE", "NOTIFICATION_RULES", "SNAPSHOT_FIELDS", "SOURCES", "Bounds",
    "Figure", "Member", "MemberRule", "Members", "Place", "PlaceView", "Snapshots", "Travel",
    "children_figures", "computed_at", "data_signature", "default_period", "indicator_breakdown",
    "indicator_members", "indicator_series", "indicator_values", "indicators_at",
    "performance_home", "performance_home_or_none", "performance_place", "performance_place_of",
    "place_figures", "scorecard_export", "scorecard_place", "scorecard_rows", "snapshot_rows",
    "snapshots", "stored_periods", "travel",
]  # fmt: skip
