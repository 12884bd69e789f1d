"""The columnar engine: the cases' and notifications' counts made by DuckDB (decision 0012).

The pure pass of `domain.indicators.population.count_records` visits every record in Python;
here the same rules run as SQL over columns, and only the counts come back to Python (a few
thousand keys, whatever the size of the county). What follows — buckets, windows, filling
org units upwards, values, targets and RAG — is the domain's own code either way, and the
tests check that both passes give the same `Counted` (so the same snapshots, to the byte).

The rules' constants (days, closure reasons, categories, decisions) come from `rules.py`,
and EH07's due date from `rules.triage_due` for each distinct day received (working days
and bank holidays stay in Python). Moments become UK calendar dates with the time zone of
the settings (`clock.local_date`), through DuckDB's ICU time zones.

How the columns are read (decision 0015): when no transaction was open as the recompute
began and the database can be opened again (a SQLite file, a PostgreSQL server), ADBC
connections of their own read every source as of one moment and stream Arrow batches
straight into DuckDB (`COPY … BINARY` on PostgreSQL, C on SQLite: no Python object per
value); if that fails for any reason, the recompute reads as below, on a fresh DuckDB.
Otherwise (a caller's transaction holds rows the recompute must see, as in the tests, or an
in-memory database) they are read on Django's own connection: SQLite rows are fetched and
handed to DuckDB as Arrow arrays; PostgreSQL writes `COPY … TO STDOUT (FORMAT csv)` into a
temporary file that DuckDB reads in parallel.
"""

from __future__ import annotations

import logging
import re
import tempfile
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import duckdb
import pyarrow as pa
from django.conf import settings
from django.db import connection

from earlyhelp.domain.indicators import rules
from earlyhelp.domain.indicators.population import TALLIED, Counted, DurationKey, Run
from earlyhelp.domain.indicators.series import Event
from earlyhelp.performance.columnar_sql import COUNTS, DURATIONS, FIRST_DAY, RUNS, Source, sources

FETCH = 20_000  # rows per fetch from SQLite
DEFAULT_MEMORY = "1GB"
log = logging.getLogger(__name__)


def count_records_columnar(apart: Apart | None = None) -> Counted:
    """`count_records` of the database as it is, computed by DuckDB; read over a connection
    of its own when `apart` (from `apart_target`, taken before the caller's transaction)
    says where, else on Django's connection."""
    if apart is not None:
        try:
            with _duckdb() as duck:
                _load_apart(duck, apart)
                _prepare(duck)
                return _counted(duck)
        except Exception as error:  # noqa: BLE001 - reading on Django's connection is always right
            log.warning("Reading apart failed (%r): reading on Django's connection", error)
    with _duckdb() as duck:
        for source in sources():
            _load(duck, source)
        _prepare(duck)
        return _counted(duck)


# --- reading on a connection of its own (ADBC) ----------------------------------------------


@dataclass(frozen=True)
class Apart:
    """Where a second connection finds the same data: a SQLite file, or PostgreSQL's
    connection string (password included, so kept out of the repr)."""

    vendor: str
    target: str = field(repr=False)


def apart_target() -> Apart | None:
    """The database, when a connection of its own would see what this one sees: no
    transaction is open (nothing uncommitted to miss), and the database is not in this
    process's memory."""
    if connection.vendor not in {"sqlite", "postgresql"}:
        return None
    if connection.in_atomic_block or not connection.get_autocommit():
        return None
    if connection.vendor == "sqlite":
        name = str(connection.settings_dict["NAME"])
        if connection.is_in_memory_db() or not Path(name).is_file():
            return None
        return Apart("sqlite", name)
    return Apart("postgresql", _postgres_conninfo())


def _postgres_conninfo() -> str:
    """The live connection's own parameters (host, database, user, options such as a
    search_path, service, SSL), so that the second connection reaches the same tables."""
    from psycopg.conninfo import make_conninfo

    connection.ensure_connection()
    info = connection.connection.info
    return make_conninfo(info.dsn, password=info.password or None)


def _load_apart(duck: duckdb.DuckDBPyConnection, apart: Apart) -> None:
    """Every source read over ADBC into DuckDB (any failure is the caller's to handle)."""
    if apart.vendor == "postgresql":
        _load_postgres_apart(duck, apart.target)
    else:
        _load_sqlite_apart(duck, apart.target)


def _load_postgres_apart(duck: duckdb.DuckDBPyConnection, conninfo: str) -> None:
    """Two connections, each reading half the tables into DuckDB at the same time (the
    server's work on one core each); the second takes the first's snapshot, so both see
    the database at one moment, as Django's own transaction would have."""
    import adbc_driver_postgresql.dbapi as adbc_postgresql

    halves = _halves(sources())
    with (
        adbc_postgresql.connect(conninfo, autocommit=True) as first,
        adbc_postgresql.connect(conninfo, autocommit=True) as second,
        first.cursor() as leading,
        second.cursor() as following,
    ):
        leading.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        leading.execute("SELECT pg_export_snapshot()")
        row = leading.fetchone()
        snapshot = str(row[0]) if row else ""
        if not SNAPSHOT_ID.fullmatch(snapshot):
            raise ValueError(f"unexpected snapshot id {snapshot!r}")
        following.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        following.execute(f"SET TRANSACTION SNAPSHOT '{snapshot}'")
        readers = [(duck.cursor(), cursor) for cursor in (leading, following)]
        try:
            with ThreadPoolExecutor(max_workers=2, thread_name_prefix="columnar-read") as pool:
                reads = [
                    pool.submit(_read_tables, own, cursor, _selects(half, "postgresql"))
                    for (own, cursor), half in zip(readers, halves, strict=True)
                ]
                for read in reads:
                    read.result()
        finally:
            for own, _ in readers:
                own.close()
        for cursor in (following, leading):
            cursor.execute("COMMIT")


SNAPSHOT_ID = re.compile(r"[0-9A-F]+(-[0-9A-F]+)+")


def _halves(every: Sequence[Source]) -> tuple[list[Source], list[Source]]:
    """The notifications (the largest read) and the families on one side, the rest on the
    other."""
    first = [s for s in every if s.name in {"notifications", "families"}]
    return first, [s for s in every if s not in first]


def _selects(tables: Sequence[Source], vendor: str) -> list[tuple[Source, str]]:
    """Each table with the query that reads it (built here, with Django's quoting)."""
    return [(source, source.select(connection.ops.quote_name, vendor)) for source in tables]


def _read_tables(
    own: duckdb.DuckDBPyConnection, cursor: Any, tables: list[tuple[Source, str]]
) -> None:
    """Read tables on one ADBC cursor into DuckDB through this thread's own DuckDB cursor."""
    for source, sql in tables:
        cursor.execute(sql)
        _ingest(own, source, cursor.fetch_record_batch())


def _load_sqlite_apart(duck: duckdb.DuckDBPyConnection, path: str) -> None:
    """Batches streamed into DuckDB. The recompute holds SQLite's write lock (its
    transactions are IMMEDIATE), so nothing commits while the tables are read: they are
    read as of one moment, WAL readers not waiting for the writer."""
    import adbc_driver_sqlite.dbapi as adbc_sqlite

    with adbc_sqlite.connect(path) as apart, apart.cursor() as cursor:
        for source, sql in _selects(sources(), "sqlite"):
            cursor.execute(sql)
            schema = _schema(source)
            batches = cursor.fetch_record_batch()
            typed = pa.RecordBatchReader.from_batches(
                schema, (batch.cast(schema) for batch in batches)
            )
            _ingest(duck, source, typed)


def _ingest(duck: duckdb.DuckDBPyConnection, source: Source, data: object) -> None:
    duck.register(f"{source.name}_arrow", data)
    duck.execute(f"CREATE TABLE {source.name} AS SELECT * FROM {source.name}_arrow")  # noqa: S608  # nosec B608  # fixed names
    duck.unregister(f"{source.name}_arrow")


def _schema(source: Source) -> pa.Schema:
    return pa.schema([(name, kind) for name, kind in source.arrow_columns()])


@contextmanager
def _duckdb() -> Iterator[duckdb.DuckDBPyConnection]:
    """An in-memory DuckDB that keeps to `EARLYHELP_COLUMNAR_MEMORY` (default 1GB) and spills
    what does not fit to a temporary folder: a larger county costs time, not memory."""
    limit = getattr(settings, "EARLYHELP_COLUMNAR_MEMORY", DEFAULT_MEMORY)
    with tempfile.TemporaryDirectory(prefix="earlyhelp-duckdb-") as spill:
        duck = duckdb.connect(
            config={
                "threads": 2,
                "preserve_insertion_order": False,
                "memory_limit": limit,
                "temp_directory": spill,
            }
        )
        try:
            duck.execute("SET TimeZone = 'UTC'")
            yield duck
        finally:
            duck.close()


def _load(duck: duckdb.DuckDBPyConnection, source: Source) -> None:
    """One source table, as plain columns (text moments and dates are cast in `_prepare`)."""
    sql = source.select(connection.ops.quote_name, connection.vendor)
    if connection.vendor == "postgresql":
        _load_copy(duck, source, sql)
        return
    _ingest(duck, source, _fetched(sql, source))


def _fetched(sql: str, source: Source) -> pa.Table:
    columns: list[list[object]] = [[] for _ in source.columns]
    with connection.cursor() as cursor:
        cursor.execute(sql)
        while rows := cursor.fetchmany(FETCH):
            for values, column in zip(zip(*rows, strict=True), columns, strict=True):
                column.extend(values)
    return pa.table(
        {name: pa.array(values, type=kind) for (name, kind), values in
         zip(source.arrow_columns(), columns, strict=True)}
    )  # fmt: skip


def _load_copy(duck: duckdb.DuckDBPyConnection, source: Source, sql: str) -> None:
    with tempfile.TemporaryDirectory(prefix="earlyhelp-columnar-") as folder:
        path = Path(folder) / f"{source.name}.csv"
        with (
            connection.cursor() as cursor,
            path.open("wb") as out,
            cursor.cursor.copy(f"COPY ({sql}) TO STDOUT (FORMAT csv)") as copy,
        ):
            for chunk in copy:
                out.write(chunk)
        duck.execute(
            f"CREATE TABLE {source.name} AS SELECT * FROM read_csv(?, header = false, "  # noqa: S608  # nosec B608  # fixed names
            f"auto_detect = false, delim = ',', columns = {source.duckdb_columns()}, "
            "nullstr = '', quote = '\"', escape = '\"')",
            [str(path)],
        )


def _prepare(duck: duckdb.DuckDBPyConnection) -> None:
    """Records as the rules see them: UK dates, each notification's district and due date."""
    zone = settings.TIME_ZONE
    duck.execute(
        f"CREATE MACRO local_day(t) AS CAST(timezone('{zone}', CAST(t AS TIMESTAMP) "  # noqa: S608  # nosec B608  # the settings' zone name
        "AT TIME ZONE 'UTC') AS DATE)"
    )
    duck.execute("CREATE MACRO month_of(d) AS year(d) * 12 + month(d) - 1")
    duck.execute(
        "CREATE TABLE n AS SELECT n.family_id, f.district_id AS district, "
        "local_day(n.received_at) AS received_on, n.category, "
        "local_day(n.triaged_at) AS triaged_on, n.triage_decision AS decision "
        "FROM notifications n JOIN families f ON f.id = n.family_id"
    )
    days = [row[0] for row in duck.execute("SELECT DISTINCT received_on FROM n").fetchall()]
    due = pa.table({
        "received_on": pa.array(days, pa.date32()),
        "due": pa.array([rules.triage_due(d, "") for d in days], pa.date32()),
    })  # fmt: skip
    duck.register("working_due_arrow", due)
    duck.execute("CREATE TABLE working_due AS SELECT * FROM working_due_arrow")
    duck.unregister("working_due_arrow")
    duck.execute(
        "CREATE TABLE c AS SELECT c.id, c.unit_id AS unit, c.worker_id AS worker, c.family_id, "
        "CAST(c.opened_on AS DATE) AS opened_on, "
        "coalesce(local_day(k.received_at), CAST(c.opened_on AS DATE)) AS start_on, "
        "CAST(c.plan_agreed_on AS DATE) AS plan_on, CAST(c.closed_on AS DATE) AS closed_on, "
        "c.closure_reason AS reason "
        "FROM cases c LEFT JOIN notifications k ON k.id = c.notification_id"
    )
    duck.execute(
        "CREATE TABLE r AS SELECT case_id, CAST(review_date AS DATE) AS review_date FROM reviews"
    )


def _parameters() -> dict[str, object]:
    return {
        "administrative": sorted(rules.ADMINISTRATIVE_REASONS),
        "positive": sorted(rules.POSITIVE_REASONS),
        "step_up": rules.STEP_UP_REASON,
        "step_down": rules.STEP_DOWN_CATEGORY,
        "same_day": sorted(rules.SAME_DAY_CATEGORY_CODES),
        "already_open": rules.ALREADY_OPEN_DECISION,
        "assessment": sorted(rules.ASSESSMENT_DECISION_CODES),
        "plan_days": rules.PLAN_DAYS,
        "review_days": rules.REVIEW_DAYS,
        "rereferral_days": rules.REREFERRAL_DAYS,
    }


def _rows(
    duck: duckdb.DuckDBPyConnection, sql: str, parameters: dict[str, object]
) -> list[tuple[Any, ...]]:
    """A query's rows, with the parameters it names (DuckDB refuses any other)."""
    bound = {name: value for name, value in parameters.items() if f"${name}" in sql}
    return duck.execute(sql, bound).fetchall()


def _counted(duck: duckdb.DuckDBPyConnection) -> Counted:
    parameters = _parameters()
    tallies = {code: (Counter[Event](), Counter[Event]()) for code in TALLIED}
    for code, org, worker, month, lag, num, den in _rows(duck, COUNTS, parameters):
        key = (org, worker, month, lag)
        if num:
            tallies[code][0][key] = num
        if den:
            tallies[code][1][key] = den
    runs: dict[str, Run] = {}
    for code, stop, unit, worker, month, n in _rows(duck, RUNS, parameters):
        if code not in runs:
            runs[code] = (Counter(), Counter())
        runs[code][1 if stop else 0][(unit, worker, month, 0)] = n
    durations: Counter[DurationKey] = Counter()
    for unit, worker, month, days, n in _rows(duck, DURATIONS, parameters):
        durations[(unit, worker, month, days)] = n
    (first_day,) = duck.execute(FIRST_DAY).fetchone() or (None,)
    return Counted(_as_date(first_day), tallies, runs, durations)


def _as_date(value: object) -> date | None:
    return value if isinstance(value, date) else None
