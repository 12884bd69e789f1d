"""`make bench` reports the median of repeated runs, with the highest peak of any."""

from __future__ import annotations

from typing import Any

from earlyhelp.demo import bench


def test_repeated_runs_report_the_median_and_the_highest_peak(monkeypatch) -> None:
    runs = iter(
        [
            {"seconds": 6.1, "peak_mb": 340.0, "start_mb": 50.0, "values": 9},
            {"seconds": 4.2, "peak_mb": 360.0, "start_mb": 50.0, "values": 9},
            {"seconds": 4.8, "peak_mb": 350.0, "start_mb": 50.0, "values": 9},
        ]
    )
    calls: list[str] = []

    def child(stage: str, database: str, extra: list[str], **_: Any) -> dict[str, Any]:
        calls.append(stage)
        return next(runs)

    monkeypatch.setattr(bench, "_child", child)
    done = bench._median_run("recompute", "sqlite:///x", 3)
    assert calls == ["recompute"] * 3
    assert done["seconds"] == 4.8
    assert done["peak_mb"] == 360.0
    assert done["each"] == [6.1, 4.2, 4.8]
