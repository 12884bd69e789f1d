"""Page timings for `make bench`: the busiest pages, as their users see them.

Requests go through Django's test client in this process (no network), against whatever
database is configured (the demo county in `make bench`), signed in as the demo users.
Prints p50, p95 and the worst of each page over `repeats` requests, after one warm-up
request, against its goal: the pages that read the indicator snapshots (scorecard, outcome
tracker, an indicator) 200 ms at the 95th percentile (issue 4); the pages that read
records (casework, the records behind a figure) 300 ms.
"""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass

from django.test import Client
from django.urls import reverse

from earlyhelp.casework.models import Case
from earlyhelp.organisation.models import User

CASEWORK_GOAL_MS = 300.0
SNAPSHOT_GOAL_MS = 200.0  # issue 4: pages read snapshots


@dataclass(frozen=True)
class PageTiming:
    name: str
    url: str
    p50_ms: float
    p95_ms: float
    worst_ms: float
    goal_ms: float = CASEWORK_GOAL_MS


def _busiest_case(user: User) -> Case | None:
    from django.db.models import Count

    return (
        Case.objects.filter(unit_id=user.org_unit_id)
        .annotate(n=Count("notes") + Count("reviews"))
        .order_by("-n", "pk")
        .first()
    )


UrlOf = Callable[[Client], str | None]


def _pages() -> list[tuple[str, str, UrlOf, float]]:
    def case_url(_: Client) -> str | None:
        case = _busiest_case(User.objects.get(username="unitleader"))
        return reverse("case", args=[case.pk]) if case else None

    def family_url(_: Client) -> str | None:
        case = _busiest_case(User.objects.get(username="unitleader"))
        return reverse("family", args=[case.family_id]) if case else None

    def meeting_url(_: Client) -> str | None:
        leader = User.objects.get(username="unitleader")
        return reverse("unit-meeting", args=[leader.org_unit_id])

    def tracker_url(client: Client) -> str | None:
        """Where the outcome tracker starts for the signed-in user: their place."""
        return str(client.get(reverse("tracker-start"))["Location"])

    def named(name: str, *args: str) -> UrlOf:
        return lambda _: reverse(name, args=list(args))

    casework, snapshots = CASEWORK_GOAL_MS, SNAPSHOT_GOAL_MS
    return [
        ("work list", "practitioner", named("home"), casework),
        ("triage queue", "triage", named("triage-queue"), casework),
        ("case page", "unitleader", case_url, casework),
        ("family timeline", "unitleader", family_url, casework),
        ("unit meeting", "unitleader", meeting_url, casework),
        ("scorecard", "analyst", named("scorecard"), snapshots),
        ("tracker, county", "analyst", tracker_url, snapshots),
        ("tracker, district", "districtmanager", tracker_url, snapshots),
        ("tracker, unit", "unitleader", tracker_url, snapshots),
        ("indicator EH01", "analyst", named("indicator", "EH01"), snapshots),
        # The records behind a figure are records, not snapshots: the casework goal.
        ("cases behind EH01", "districtmanager", named("indicator-cases", "EH01"), casework),
        ("notifications, EH02", "areamanager", named("indicator-cases", "EH02"), casework),
    ]


def _time(client: Client, url: str, repeats: int) -> list[float]:
    client.get(url)  # warm-up: caches, template loading
    samples = []
    for _ in range(repeats):
        started = time.perf_counter()
        response = client.get(url)
        samples.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
    return samples


def page_timings(*, repeats: int = 40) -> list[PageTiming]:
    results = []
    for name, username, url_of, goal in _pages():
        client = Client()
        client.force_login(User.objects.get(username=username))
        url = url_of(client)
        if url is None:
            continue
        samples = sorted(_time(client, url, repeats))
        p95 = samples[max(0, int(round(0.95 * len(samples))) - 1)]
        results.append(PageTiming(name, url, statistics.median(samples), p95, samples[-1], goal))
    return results


def print_page_timings(timings: list[PageTiming]) -> None:
    print(f"{'page':<20} {'p50 ms':>8} {'p95 ms':>8} {'worst':>8}  {'p95 goal':>9}")
    for t in timings:
        verdict = "ok" if t.p95_ms < t.goal_ms else "SLOW"
        print(
            f"{t.name:<20} {t.p50_ms:>8.1f} {t.p95_ms:>8.1f} {t.worst_ms:>8.1f}  "
            f"{t.goal_ms:>6.0f} ms  {verdict}  {t.url}"
        )
