"""Page timings for `make bench`: the busiest pages, as their users see them.

Requests go through Django's test client in this process (no network), against whatever
database is configured (the default-size demo county in `make bench`), signed in as the
demo users. Prints p50, p95 and the worst of each page over `repeats` requests, after one
warm-up request.
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


@dataclass(frozen=True)
class PageTiming:
    name: str
    url: str
    p50_ms: float
    p95_ms: float
    worst_ms: float
    queries: int | None = None


def _busiest_case(user: User) -> Case | None:
    from django.db.models import Count

    return (
        Case.objects.filter(unit_id=user.org_unit_id)
        .annotate(n=Count("notes") + Count("reviews"))
        .order_by("-n", "pk")
        .first()
    )


def _pages() -> list[tuple[str, str, Callable[[], str | None]]]:
    def case_url() -> str | None:
        case = _busiest_case(User.objects.get(username="unitleader"))
        return reverse("case", args=[case.pk]) if case else None

    def family_url() -> str | None:
        case = _busiest_case(User.objects.get(username="unitleader"))
        return reverse("family", args=[case.family_id]) if case else None

    def meeting_url() -> str | None:
        leader = User.objects.get(username="unitleader")
        return reverse("unit-meeting", args=[leader.org_unit_id])

    return [
        ("work list", "practitioner", lambda: reverse("home")),
        ("triage queue", "triage", lambda: reverse("triage-queue")),
        ("case page", "unitleader", case_url),
        ("family timeline", "unitleader", family_url),
        ("unit meeting", "unitleader", meeting_url),
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
    for name, username, url_of in _pages():
        url = url_of()
        if url is None:
            continue
        client = Client()
        client.force_login(User.objects.get(username=username))
        samples = sorted(_time(client, url, repeats))
        p95 = samples[max(0, int(round(0.95 * len(samples))) - 1)]
        results.append(PageTiming(name, url, statistics.median(samples), p95, samples[-1]))
    return results


def print_page_timings(timings: list[PageTiming], *, goal_ms: float = 300) -> None:
    print(f"{'page':<18} {'p50 ms':>8} {'p95 ms':>8} {'worst':>8}  goal p95 < {goal_ms:.0f} ms")
    for t in timings:
        verdict = "ok" if t.p95_ms < goal_ms else "SLOW"
        print(
            f"{t.name:<18} {t.p50_ms:>8.1f} {t.p95_ms:>8.1f} {t.worst_ms:>8.1f}  {verdict}  {t.url}"
        )
