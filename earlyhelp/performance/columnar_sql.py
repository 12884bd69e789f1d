"""The SQL of the columnar engine (`columnar.py`): what is read, and the rules as queries.

Each query restates, over columns, a part of `domain.indicators.population` (the pure pass
the tests compare it with); `$names` are the constants of `rules.py`, bound as parameters.
Tables, built by `columnar._prepare`: `c` (cases: unit, worker, family_id, opened_on,
start_on, plan_on, closed_on, reason), `r` (reviews), `n` (notifications with their family's
district and UK dates), `working_due` (EH07's due date of each day received, 2 working days).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from earlyhelp.casework.models import Case, Review
from earlyhelp.frontdoor.models import Notification
from earlyhelp.people.models import Family

Quote = Callable[[str], str]


@dataclass(frozen=True)
class Source:
    """One table read: `columns` are (name, "int" or "text")."""

    name: str
    table: Callable[[], str]
    columns: tuple[tuple[str, str], ...]
    # Date-time columns: UTC text from SQLite and PostgreSQL's CSV; UTC moments from ADBC.
    moments: tuple[str, ...] = ()

    def select(self, quote: Quote, vendor: str) -> str:
        picked = []
        for name, kind in self.columns:
            column = f"t.{quote(name)}"
            if name in self.moments and vendor == "postgresql":
                column = f"({column} AT TIME ZONE 'UTC')"
            elif kind == "text" and vendor == "sqlite":  # as stored: no converter on the way
                column = f"CAST({column} AS TEXT)"
            picked.append(f"{column} AS {quote(name)}")
        return f"SELECT {', '.join(picked)} FROM {quote(self.table())} t"  # noqa: S608  # nosec B608  # names from the models

    def arrow_columns(self) -> list[tuple[str, object]]:
        import pyarrow as pa

        kinds = {"int": pa.int64(), "text": pa.string()}
        return [(name, kinds[kind]) for name, kind in self.columns]

    def duckdb_columns(self) -> str:
        kinds = {"int": "BIGINT", "text": "VARCHAR"}
        pairs = ", ".join(f"'{name}': '{kinds[kind]}'" for name, kind in self.columns)
        return "{" + pairs + "}"


def sources() -> tuple[Source, ...]:
    notification = Notification._meta.db_table
    return (
        Source("families", lambda: Family._meta.db_table, (("id", "int"), ("district_id", "int"))),
        Source(
            "notifications", lambda: notification,
            (("id", "int"), ("family_id", "int"), ("received_at", "text"), ("category", "text"),
             ("triaged_at", "text"), ("triage_decision", "text")),
            moments=("received_at", "triaged_at"),
        ),
        Source(  # each case's notification is joined in DuckDB (`columnar._prepare`)
            "cases", lambda: Case._meta.db_table,
            (("id", "int"), ("unit_id", "int"), ("worker_id", "int"), ("family_id", "int"),
             ("notification_id", "int"), ("opened_on", "text"), ("plan_agreed_on", "text"),
             ("closed_on", "text"), ("closure_reason", "text")),
        ),
        Source("reviews", lambda: Review._meta.db_table,
               (("case_id", "int"), ("review_date", "text"))),
    )  # fmt: skip


COUNTS = """
WITH closures AS (
    SELECT *, month_of(closed_on) AS month FROM c
    WHERE closed_on IS NOT NULL AND reason <> '' AND NOT list_contains($administrative, reason)
), rereferred AS (
    SELECT DISTINCT k.id FROM closures k JOIN n ON n.family_id = k.family_id
    WHERE k.reason <> $step_up AND n.received_on > k.closed_on
      AND n.received_on <= k.closed_on + CAST($rereferral_days AS INTEGER)
), due AS (
    SELECT n.*, CASE WHEN list_contains($same_day, n.category) THEN n.received_on
                     ELSE w.due END AS due
    FROM n JOIN working_due w ON w.received_on = n.received_on
), deadlines AS (
    SELECT *, start_on + CAST($plan_days AS INTEGER) AS deadline FROM c
)
SELECT 'EH01', unit, worker, month, 0, count(*) FILTER (WHERE reason = $step_up), count(*)
FROM closures GROUP BY ALL
UNION ALL
SELECT 'EH05', unit, worker, month, 0, count(*) FILTER (WHERE list_contains($positive, reason)),
       count(*)
FROM closures GROUP BY ALL
UNION ALL
SELECT 'EH12', unit, worker, month, 0, count(*), 0 FROM closures GROUP BY ALL
UNION ALL
SELECT 'EH06', unit, worker, month + 12, 0,
       count(*) FILTER (WHERE id IN (SELECT id FROM rereferred)), count(*)
FROM closures WHERE reason <> $step_up GROUP BY ALL
UNION ALL
SELECT 'EH04', unit, worker, month_of(deadline), 0,
       count(*) FILTER (WHERE plan_on IS NOT NULL AND plan_on <= deadline), count(*)
FROM deadlines WHERE NOT (closed_on IS NOT NULL AND closed_on < deadline AND plan_on IS NULL)
GROUP BY ALL
UNION ALL
SELECT 'EH11', district, CAST(NULL AS BIGINT), month_of(received_on), 0, count(*), 0
FROM n GROUP BY ALL
UNION ALL
SELECT 'EH02', district, CAST(NULL AS BIGINT), month_of(received_on), 0, count(*), 0
FROM n WHERE category = $step_down GROUP BY ALL
UNION ALL
SELECT 'EH03', district, CAST(NULL AS BIGINT), month_of(triaged_on), 0,
       count(*) FILTER (WHERE list_contains($assessment, decision)), count(*)
FROM n WHERE triaged_on IS NOT NULL AND decision <> $already_open GROUP BY ALL
UNION ALL
SELECT 'EH07', district, CAST(NULL AS BIGINT), month_of(received_on),
       month_of(due) - month_of(received_on),
       count(*) FILTER (WHERE triaged_on IS NOT NULL AND triaged_on <= due), count(*)
FROM due GROUP BY ALL
"""

RUNS = """
WITH spans AS (
    SELECT id, unit, worker, month_of(opened_on) AS first,
           CASE WHEN closed_on IS NOT NULL THEN month_of(closed_on) END AS stop, plan_on
    FROM c
), open_runs AS (
    SELECT * FROM spans WHERE stop IS NULL OR first < stop
), cohort AS (
    SELECT id, unit, worker, stop,
           greatest(first, month_of(plan_on + CAST($review_days AS INTEGER))) AS first
    FROM open_runs WHERE plan_on IS NOT NULL
), cohort_runs AS (
    SELECT * FROM cohort WHERE stop IS NULL OR first < stop
), covers AS (
    SELECT r.case_id, r.review_date, month_of(r.review_date) AS s,
           month_of(r.review_date + CAST($review_days AS INTEGER)) AS e
    FROM r SEMI JOIN cohort_runs k ON k.id = r.case_id
), flagged AS (
    SELECT *, CASE WHEN s > coalesce(max(e) OVER (
        PARTITION BY case_id ORDER BY review_date, s
        ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING), -1) THEN 1 ELSE 0 END AS fresh
    FROM covers
), islands AS (
    SELECT case_id, s, e, sum(fresh) OVER (
        PARTITION BY case_id ORDER BY review_date, s ROWS UNBOUNDED PRECEDING) AS island
    FROM flagged
), merged AS (
    SELECT case_id, min(s) AS s, max(e) AS e FROM islands GROUP BY case_id, island
), clipped AS (
    SELECT k.unit, k.worker, greatest(m.s, k.first) AS start,
           CASE WHEN k.stop IS NULL THEN m.e ELSE least(m.e, k.stop) END AS stop
    FROM merged m JOIN cohort_runs k ON k.id = m.case_id
), events AS (
    SELECT 'EH10 num' AS code, false AS is_stop, unit, worker, first AS month FROM open_runs
    UNION ALL SELECT 'EH10 num', true, unit, worker, stop FROM open_runs WHERE stop IS NOT NULL
    UNION ALL SELECT 'EH08 den', false, unit, worker, first FROM cohort_runs
    UNION ALL SELECT 'EH08 den', true, unit, worker, stop FROM cohort_runs WHERE stop IS NOT NULL
    UNION ALL SELECT 'EH08 num', false, unit, worker, start FROM clipped WHERE start < stop
    UNION ALL SELECT 'EH08 num', true, unit, worker, stop FROM clipped WHERE start < stop
)
SELECT code, is_stop, unit, worker, month, count(*) FROM events GROUP BY ALL
"""

DURATIONS = """
SELECT unit, worker, month_of(closed_on), datediff('day', opened_on, closed_on), count(*)
FROM c
WHERE closed_on IS NOT NULL AND reason <> '' AND NOT list_contains($administrative, reason)
GROUP BY ALL
"""

FIRST_DAY = """
SELECT min(day) FROM (
    SELECT least(opened_on, start_on) AS day FROM c
    UNION ALL SELECT received_on FROM n
)
"""
