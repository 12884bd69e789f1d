"""The API load bench judges the goal on accepted submissions a second and their p95."""

from __future__ import annotations

from earlyhelp.demo.bench_api import _verdict


def _submit(
    created: int, p95: float, failed: int = 0, lost: int = 0, late: int = 0
) -> dict[str, float]:
    return {
        "late": late,
        "created": created,
        "seconds": 60.0,
        "p95_ms": p95,
        "failed": failed,
        "socket_errors": lost,
    }


def test_the_goal_is_met_only_at_the_rate_under_the_latency_and_without_failures() -> None:
    assert "goal 200 submissions/s with p95 < 250 ms: met" in _verdict(_submit(12_000, 180.0))
    assert "NOT met" in _verdict(_submit(12_000, 250.0))  # p95 must be under 250 ms
    assert "NOT met" in _verdict(_submit(11_000, 90.0))  # 183/s: too few accepted
    assert "NOT met" in _verdict(_submit(12_000, 90.0, failed=3))
    assert "NOT met" in _verdict(_submit(12_000, 90.0, lost=1))  # a timeout or reset
    assert "NOT met" in _verdict(_submit(12_000, 90.0, late=1))  # its wait not measured
    assert "(200.0/s accepted, p95 180 ms)" in _verdict(_submit(12_000, 180.0))
