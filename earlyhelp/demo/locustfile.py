"""Locust users for `make bench`'s API load test (run by earlyhelp.demo.bench_api).

Submitters send new notifications at a steady rate each, with a fresh `Idempotency-Key`,
and now and then send the same one again (a client's retry: it must not make a second
notification). Readers read the status of notifications already sent. Every key the
server accepted is written to `BENCH_KEYS_FILE`, so that the bench can check afterwards
that each is in the database exactly once.
"""

from __future__ import annotations

import json
import os
import random
import time
import uuid
from datetime import date, timedelta

from locust import FastHttpUser, constant_throughput, events, task

TOKENS = [t for t in os.environ.get("BENCH_TOKENS", "").split(",") if t]
KEYS_FILE = os.environ.get("BENCH_KEYS_FILE", "")
POSTCODES = [p for p in os.environ.get("BENCH_POSTCODES", "ME14 1XQ").split(",") if p]
SUBMITTER_RATE = float(os.environ.get("BENCH_SUBMITTER_RATE", "1"))
READER_RATE = float(os.environ.get("BENCH_READER_RATE", "1"))
RETRY_SHARE = 0.05
GIVEN = ["Amelia", "Oliver", "Isla", "Noah", "Ava", "Leo", "Mia", "Arthur", "Freya", "Theo"]
FAMILY = ["Testwood", "Samplefield", "Fakenham", "Mockridge", "Demoby", "Synthson"]

_accepted: list[str] = []
_references: list[str] = []


def _token() -> str:
    """Each client its own token, as separate client systems would have."""
    if not TOKENS:
        raise RuntimeError("BENCH_TOKENS: fewer tokens than clients (one each is needed)")
    return TOKENS.pop()


def _headers(token: str, key: str | None = None) -> dict[str, str]:
    headers = {"Authorization": f"Token {token}", "Content-Type": "application/json"}
    if key:
        headers["Idempotency-Key"] = key
    return headers


def _answers(rng: random.Random) -> dict[str, object]:
    born = date(2018, 3, 31) - timedelta(days=rng.randint(365, 17 * 365))
    return {
        "child_given_name": rng.choice(GIVEN),
        "child_family_name": rng.choice(FAMILY),
        "child_date_of_birth": born.isoformat(),
        "child_sex": rng.choice("FMU"),
        "address_line_1": f"{rng.randint(1, 200)} Example Road",
        "town": "Exampleton",
        "postcode": rng.choice(POSTCODES),
        "concerns": "Attendance has fallen this term and the family asked for support.",
        "what_has_been_tried": "Meetings at school.",
        "family_consent": True,
        "referrer_name": "Load Test",
        "referrer_organisation": "Bench Academy",
        "referrer_email": "load.test@example.org",
        "source": "SCHOOL",
    }


def _out_of_step(rate: float) -> None:
    """Start a user at a random moment of its first period: clients that all started in the
    same second would otherwise stay in step and arrive as one burst a second."""
    time.sleep(random.random() / rate)  # nosec B311 - spreading load, not security


class Submitter(FastHttpUser):
    weight = int(os.environ.get("BENCH_SUBMITTERS_WEIGHT", "4"))
    wait_time = constant_throughput(SUBMITTER_RATE)

    def on_start(self) -> None:
        self.token = _token()
        _out_of_step(SUBMITTER_RATE)

    @task
    def submit(self) -> None:
        rng = random.Random()  # nosec B311 - synthetic test data, not security
        key = str(uuid.uuid4())
        body = json.dumps(_answers(rng))
        sends = 2 if rng.random() < RETRY_SHARE else 1
        for attempt in range(sends):
            name = "submit" if attempt == 0 else "submit (retry, same key)"
            with self.client.post(
                "/api/v1/notifications/",
                data=body,
                headers=_headers(self.token, key),
                name=name,
                catch_response=True,
            ) as response:
                if response.status_code in (200, 201):
                    reference = response.json()["reference"]
                    if attempt == 0:
                        _accepted.append(f"{key} {reference}")
                        _references.append(reference)
                    response.success()
                else:
                    response.failure(f"{response.status_code}: {response.text[:200]}")


class Reader(FastHttpUser):
    weight = int(os.environ.get("BENCH_READERS_WEIGHT", "1"))
    wait_time = constant_throughput(READER_RATE)

    def on_start(self) -> None:
        self.token = _token()
        _out_of_step(READER_RATE)

    @task
    def status(self) -> None:
        if not _references:
            return
        reference = random.choice(_references)  # nosec B311 - picking a record to read
        self.client.get(
            f"/api/v1/notifications/{reference}/", headers=_headers(self.token), name="status"
        )


@events.quitting.add_listener
def _write_keys(environment: object, **_: object) -> None:
    if KEYS_FILE:
        with open(KEYS_FILE, "w", encoding="utf-8") as out:
            out.write("\n".join(_accepted))
