"""What the loaders of every file share while a dataset is written."""

from __future__ import annotations

from dataclasses import dataclass, field

from earlyhelp.interchange.known import Known
from earlyhelp.interchange.timeline import Timeline
from earlyhelp.interchange.upsert import Stamp
from earlyhelp.organisation.models import OrgUnit, Worker


@dataclass
class LoadContext:
    stamp: Stamp
    known: Known
    timeline: Timeline
    # The small tables, by code: (primary key, name); reloaded after they are written.
    org_units: dict[str, tuple[int, str]] = field(default_factory=dict)
    workers: dict[str, tuple[int, str]] = field(default_factory=dict)
    # Cases closed by this import: their closure goes on the timeline after their reviews.
    closed_cases: list[int] = field(default_factory=list)

    def reload_organisation(self) -> None:
        self.org_units = {
            code: (pk, name) for code, pk, name in OrgUnit.objects.values_list("code", "pk", "name")
        }
        self.workers = {
            code: (pk, name) for code, pk, name in Worker.objects.values_list("code", "pk", "name")
        }

    def org_unit_pk(self, code: str) -> int:
        return self.org_units[code][0]

    def worker_pk(self, code: str | None) -> int | None:
        return self.workers[code][0] if code else None
