"""Pseudonymised data for analysts: no names, addresses, postcodes or identifiers.

Every record is known by a stable pseudonym, HMAC-SHA256 of its kind and id under the
secret `PSEUDONYM_KEY` (the same record has the same pseudonym in every extract while the
key is unchanged; without the key it cannot be turned back into the id). Ages are bands,
at the date of the extract for people and at the date received for notifications. Dates
of casework (opened, reviewed, closed) stay: analysts measure with them. The LSOA (an area
of about 1,500 people) stays, for the reach into the most deprived areas; postcodes never.
Unit and worker codes stay (the scorecard is by unit and practitioner).
"""

from __future__ import annotations

import csv
import hashlib
import hmac
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from django.db.models import Count

from earlyhelp.audit.models import AccessAction
from earlyhelp.audit.services import Actor, Refs, access_record
from earlyhelp.casework.models import Case, Review
from earlyhelp.common import clock
from earlyhelp.dataprotection.conf import pseudonym_key
from earlyhelp.frontdoor.models import Notification
from earlyhelp.people.models import Family, Person

CHUNK = 2000
AGE_BANDS = (
    (0, 4, "0-4"),
    (5, 10, "5-10"),
    (11, 15, "11-15"),
    (16, 17, "16-17"),
    (18, 24, "18-24"),
)
OLDEST_BAND = "25+"
UNKNOWN = "unknown"


def pseudonym(kind: str, pk: int | None, key: bytes | None = None) -> str:
    """A stable pseudonym: the kind's letter and 16 hex digits of HMAC-SHA256(kind:id)."""
    if pk is None:
        return ""
    digest = hmac.new(key or pseudonym_key(), f"{kind}:{pk}".encode(), hashlib.sha256)
    return f"{kind[0].upper()}-{digest.hexdigest()[:16]}"


def age_in_years(born: date, on: date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def age_band(born: date | None, on: date) -> str:
    if born is None or born > on:
        return UNKNOWN
    years = age_in_years(born, on)
    for low, high, name in AGE_BANDS:
        if low <= years <= high:
            return name
    return OLDEST_BAND


def _day(value: object) -> str:
    if value is None:
        return ""
    if hasattr(value, "tzinfo"):
        return clock.local_date(value).isoformat()  # type: ignore[arg-type]
    return value.isoformat()  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Table:
    name: str
    header: tuple[str, ...]
    rows: Callable[[bytes, date], Iterator[tuple[object, ...]]]


def _families(key: bytes, _on: date) -> Iterator[tuple[object, ...]]:
    rows = Family.objects.annotate(people=Count("members")).order_by("pk")
    for f in rows.values_list(
        "pk", "district__code", "lsoa_code", "people", "anonymised_on"
    ).iterator(chunk_size=CHUNK):
        pk, district, lsoa, members, anonymised = f
        yield (pseudonym("family", pk, key), district, lsoa, members, "yes" if anonymised else "no")


def _people(key: bytes, on: date) -> Iterator[tuple[object, ...]]:
    rows = Person.objects.order_by("pk").values_list(
        "pk", "family_id", "sex", "ethnicity", "role_in_family", "date_of_birth", "merged_into_id"
    )
    for pk, family, sex, ethnicity, role, born, merged in rows.iterator(chunk_size=CHUNK):
        yield (
            pseudonym("person", pk, key),
            pseudonym("family", family, key),
            sex,
            ethnicity,
            role,
            age_band(born, on),
            pseudonym("person", merged, key),
        )


def _notifications(key: bytes, _on: date) -> Iterator[tuple[object, ...]]:
    rows = Notification.objects.order_by("pk").values_list(
        "pk",
        "person_id",
        "family_id",
        "person__date_of_birth",
        "received_at",
        "source",
        "category",
        "due_on",
        "triaged_at",
        "threshold_level",
        "triage_decision",
        "referrer_informed_at",
    )
    for row in rows.iterator(chunk_size=CHUNK):
        pk, person, family, born, received, *rest = row
        source, category, due_on, triaged, level, decision, informed = rest
        received_on = clock.local_date(received)
        yield (
            pseudonym("notification", pk, key),
            pseudonym("person", person, key),
            pseudonym("family", family, key),
            age_band(born, received_on),
            received_on.isoformat(),
            source,
            category,
            _day(due_on),
            _day(triaged),
            level or "",
            decision,
            _day(informed),
        )


def _cases(key: bytes, _on: date) -> Iterator[tuple[object, ...]]:
    rows = (
        Case.objects.annotate(reviews_held=Count("reviews"))
        .order_by("pk")
        .values_list(
            "pk",
            "family_id",
            "notification_id",
            "unit__code",
            "worker__code",
            "opened_on",
            "assessment_started_on",
            "assessment_completed_on",
            "plan_agreed_on",
            "last_review_on",
            "reviews_held",
            "closed_on",
            "closure_reason",
            "reopened_from_id",
        )
    )
    for row in rows.iterator(chunk_size=CHUNK):
        pk, family, notification, unit, worker, *dates, reviews, closed, reason, reopened = row
        yield (
            pseudonym("case", pk, key),
            pseudonym("family", family, key),
            pseudonym("notification", notification, key),
            unit,
            worker or "",
            *(_day(d) for d in dates),
            reviews,
            _day(closed),
            reason,
            pseudonym("case", reopened, key),
        )


def _reviews(key: bytes, _on: date) -> Iterator[tuple[object, ...]]:
    rows = Review.objects.order_by("case_id", "review_date", "pk").values_list(
        "case_id", "review_date", "scale"
    )
    for case, on, scale in rows.iterator(chunk_size=CHUNK):
        yield (pseudonym("case", case, key), _day(on), "" if scale is None else scale)


TABLES = {
    t.name: t
    for t in (
        Table(
            "families",
            ("family", "district", "lsoa_code", "members", "anonymised"),
            _families,
        ),
        Table(
            "people",
            ("person", "family", "sex", "ethnicity", "role_in_family", "age_band", "merged_into"),
            _people,
        ),
        Table(
            "notifications",
            (
                "notification",
                "person",
                "family",
                "age_band_when_received",
                "received_on",
                "source",
                "category",
                "due_on",
                "triaged_on",
                "threshold_level",
                "triage_decision",
                "referrer_informed_on",
            ),
            _notifications,
        ),
        Table(
            "cases",
            (
                "case",
                "family",
                "notification",
                "unit",
                "worker",
                "opened_on",
                "assessment_started_on",
                "assessment_completed_on",
                "plan_agreed_on",
                "last_review_on",
                "reviews",
                "closed_on",
                "closure_reason",
                "reopened_from",
            ),
            _cases,
        ),
        Table("reviews", ("case", "review_date", "scale"), _reviews),
    )
}


def table_lines(name: str, *, on: date | None = None) -> Iterable[tuple[object, ...]]:
    """The header and the rows of one table of the extract."""
    table = TABLES[name]
    yield table.header
    yield from table.rows(pseudonym_key(), on or clock.today())


def log_extract(*, actor: Actor, what: str, ip_address: str | None = None) -> None:
    access_record(
        actor=actor,
        action=AccessAction.EXPORT,
        what=f"pseudonymised extract: {what}"[:200],
        refs=Refs(),
        ip_address=ip_address,
    )


def write_extract(directory: Path, *, actor: Actor, on: date | None = None) -> list[Path]:
    """Every table as `<name>.csv` in `directory` (UTF-8, RFC 4180), logged as one export."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name in TABLES:
        path = directory / f"{name}.csv"
        with path.open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, lineterminator="\n").writerows(table_lines(name, on=on))
        written.append(path)
    log_extract(actor=actor, what=f"{', '.join(TABLES)} to {directory}")
    return written
