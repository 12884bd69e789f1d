"""Running test code in threads at once, as concurrent requests or workers would."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connections


def at_once(target: Callable[[], object], times: int) -> None:
    """Run `target` in `times` threads started together and wait for them all. Each thread
    has database connections of its own, closed as it ends."""

    def run() -> None:
        try:
            target()
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(times)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
