"""A larger SQLite page cache for one big write (the demo load, a full recompute): open it
outside the write's transaction, so that the cache is still large when it commits.

With SQLite's default cache (2 MB) a transaction that writes tens of megabytes spills dirty
pages to the journal again and again before it commits; with room for them, each page is
written once. The setting is the connection's own and is put back afterwards.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager, suppress

from django.db import connection

DEFAULT_KIB = 262_144  # 256 MB


@contextmanager
def sqlite_cache(kib: int = DEFAULT_KIB) -> Iterator[None]:
    """`PRAGMA cache_size` of `kib` KiB on SQLite for the block; nothing elsewhere."""
    if connection.vendor != "sqlite":
        yield
        return
    connection.ensure_connection()
    raw = connection.connection  # the pragma is not transactional: no need of Django's checks
    (previous,) = raw.execute("PRAGMA cache_size").fetchone()
    raw.execute(f"PRAGMA cache_size = -{int(kib)}")
    try:
        yield
    finally:
        # Put back even when the block failed and its transaction awaits its rollback; not
        # on a handle the block closed (and never hiding the block's own error).
        if connection.connection is raw:
            with suppress(sqlite3.Error):
                raw.execute(f"PRAGMA cache_size = {int(previous)}")
