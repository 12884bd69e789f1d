"""Background tasks: run once the transaction commits, in this process by default."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from earlyhelp.common import clock
from earlyhelp.common.models import ImportBatch
from earlyhelp.performance import tasks
from earlyhelp.performance.models import FillState, Target

pytestmark = pytest.mark.django_db


def test_a_task_runs_after_the_commit(example: Path, django_capture_on_commit_callbacks) -> None:
    Target.objects.create(indicator_code="EH01", year=2016, target=20)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        tasks.enqueue("snapshots_refresh", batch_id=None)
    assert len(callbacks) == 1
    assert FillState.objects.get().signature != ""
    assert callbacks[0]().startswith("recomputed: 27 months")


def test_an_import_of_casework_is_a_recompute_even_with_a_signature(example: Path) -> None:
    batch = ImportBatch.objects.create(
        started_at=clock.now(), source="test", checksum="0",
        counts={"cases.csv": {"created": 1, "updated": 0, "unchanged": 0}},
    )  # fmt: skip
    assert tasks.snapshots_refresh(batch_id=batch.pk, signature_before="x") == (
        "already up to date"
    )


def test_only_the_inline_backend_is_built_in(settings) -> None:
    settings.EARLYHELP_TASKS = "celery"
    with pytest.raises(ImproperlyConfigured, match="decision 0010"):
        tasks.enqueue("snapshots_refresh", batch_id=1)
