"""Record the partner submissions the API took into its queue (decision 0017).

    earlyhelp submissions                       # how many are queued, and how many failed
    earlyhelp submissions --record              # record what is queued now, then stop
    earlyhelp submissions --record --follow     # keep recording as they arrive (a worker)
        [--quiet 1] [--longest-wait 300]        # ... standing back while partners send
    earlyhelp submissions --failed              # those that could not be recorded, and why
    earlyhelp submissions --retry [REF ...]     # queue those again (all, or the ones given)

With `EARLYHELP_SUBMISSIONS=queued` the API answers a submission with its reference at
once and leaves the recording (family, child, notification, consent, change records) to
this worker. Several may run at once: each takes batches the others have not locked.

While partners keep sending (the newest submission arrived less than `--quiet` seconds
ago) a worker leaves the queue to the API, so that the API stays quick through a peak,
and records once they pause; the oldest never waits `--longest-wait` seconds or more
(`--longest-wait 0`: record at once, whatever arrives).
"""

from __future__ import annotations

import logging
import signal
import time
from dataclasses import dataclass
from datetime import timedelta
from types import FrameType
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db import DatabaseError, close_old_connections

from earlyhelp.common import clock
from earlyhelp.domain.submissions import recording_may_wait
from earlyhelp.frontdoor.selectors import queue_counts, queue_ends, queue_failures
from earlyhelp.frontdoor.submissions import (
    RECORD_BATCH,
    Recorded,
    partner_submissions_record,
    partner_submissions_retry,
)

log = logging.getLogger("earlyhelp.submissions")
LONGEST_PAUSE = 30.0  # seconds between attempts while the database keeps failing


class Command(BaseCommand):
    help = "Record queued partner submissions (--record), once or as they arrive (--follow)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--record", action="store_true", help="record queued submissions")
        parser.add_argument("--follow", action="store_true", help="keep going: a worker")
        parser.add_argument("--batch", type=int, default=RECORD_BATCH, help="per transaction")
        parser.add_argument(
            "--idle", type=float, default=0.2, help="seconds to wait when the queue is empty"
        )
        parser.add_argument(
            "--quiet",
            type=float,
            default=1.0,
            help="a worker waits while the newest submission is younger than this (seconds)",
        )
        parser.add_argument(
            "--longest-wait",
            type=float,
            default=300.0,
            help="a worker records once the oldest has waited this long (seconds; 0: at once)",
        )
        parser.add_argument(
            "--failed", action="store_true", help="list those that could not be recorded"
        )
        parser.add_argument(
            "--retry",
            nargs="*",
            metavar="REFERENCE",
            help="queue again those that could not be recorded (all, or these references)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["batch"] < 1:
            self.stderr.write("--batch: give a number of submissions of at least 1.")
            raise SystemExit(2)
        if options["retry"] is not None:
            again = partner_submissions_retry(references=options["retry"] or None)
            self.stdout.write(f"queued again: {again:,}")
        if options["record"]:
            stand_back = None
            if options["follow"] and options["longest_wait"] > 0:
                stand_back = StandBack(
                    quiet=timedelta(seconds=options["quiet"]),
                    longest=timedelta(seconds=options["longest_wait"]),
                )
            self._record(
                options["batch"],
                follow=options["follow"],
                stand_back=stand_back,
                idle=options["idle"],
            )
        if options["failed"]:
            for failed in queue_failures():
                when = failed.received_at.isoformat(timespec="seconds")
                self.stdout.write(f"{failed.reference}\t{when}\t{failed.recording_error}")
        counts = queue_counts()
        self.stdout.write(f"queued: {counts.queued:,}; could not be recorded: {counts.failed:,}")

    def _record(
        self, batch: int, *, follow: bool, stand_back: StandBack | None, idle: float
    ) -> None:
        stopping = False

        def stop(_signum: int, _frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True  # finish the batch in hand, then stop

        previous = signal.signal(signal.SIGTERM, stop)
        recorded = failed = 0
        pause = idle
        try:
            while not stopping:
                done = _attempt(batch, follow=follow, stand_back=stand_back)
                if done is None:  # the database failed: the batch stays queued
                    pause = min(max(pause * 2, 1.0), LONGEST_PAUSE)
                    time.sleep(pause)
                    continue
                pause = idle
                recorded, failed = recorded + done.recorded, failed + done.failed
                if done.recorded + done.failed == 0:
                    if not follow:
                        break
                    close_old_connections()
                    time.sleep(_pause_after(done, stand_back, idle))
        finally:
            signal.signal(signal.SIGTERM, previous)
        self.stdout.write(f"recorded: {recorded:,}; could not be recorded: {failed:,}")


@dataclass(frozen=True, slots=True)
class StandBack:
    """A worker's leave to wait while partners keep sending (`recording_may_wait`)."""

    quiet: timedelta
    longest: timedelta

    def now(self) -> bool:
        ends = queue_ends()
        if ends is None:
            return False
        return recording_may_wait(
            oldest=ends.oldest,
            newest=ends.newest,
            now=clock.now(),
            quiet=self.quiet,
            longest=self.longest,
            pressing=ends.pressing,
        )


def _pause_after(done: Recorded, stand_back: StandBack | None, idle: float) -> float:
    """Seconds to wait after a batch that recorded nothing: standing back, until partners
    could have paused; else until more may have arrived."""
    if stand_back is not None and done is STOOD_BACK:
        return stand_back.quiet.total_seconds()
    return idle


STOOD_BACK = Recorded(recorded=0, failed=0)  # told apart by identity: `done is STOOD_BACK`


def _attempt(batch: int, *, follow: bool, stand_back: StandBack | None = None) -> Recorded | None:
    """One batch, or none while standing back; a worker (`follow`) outlives a failing
    database, a single run does not."""
    try:
        if stand_back is not None and stand_back.now():
            return STOOD_BACK
        return partner_submissions_record(limit=batch)
    except DatabaseError:
        if not follow:
            raise
        log.exception("recording queued submissions failed: trying again shortly")
        close_old_connections()
        return None
