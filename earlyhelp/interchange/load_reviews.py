"""Writing reviews.csv, then the closures of the cases the import closed (after their
reviews, so that a closing review held on the day of closure comes first on the timeline)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from earlyhelp.casework.models import Case, Review
from earlyhelp.interchange.checks import chunked
from earlyhelp.interchange.load_casework import REVIEWS, case_refs
from earlyhelp.interchange.load_context import LoadContext
from earlyhelp.interchange.reader import Row
from earlyhelp.interchange.upsert import Tally, upsert

CaseRow = tuple[int, int, int | None, int | None]  # pk, family, notification, person


def load_reviews(rows: Iterable[Row], ctx: LoadContext) -> Tally:
    tally = Tally()
    for chunk in chunked(rows):
        cases: dict[str, CaseRow] = {
            ref: (pk, family, notification, person)
            for ref, pk, family, notification, person in Case.objects.filter(
                case_ref__in={row["case_id"] for row in chunk}
            ).values_list(
                "case_ref", "pk", "family_id", "notification_id", "notification__person_id"
            )
        }
        records = [
            {"case_id": cases[row["case_id"]][0], "review_date": row["review_date"]}
            for row in chunk
        ]
        written = upsert(REVIEWS, records, ctx.stamp)
        by_pk = {case[0]: case for case in cases.values()}
        for review in written.created:
            pk, family, notification, person = by_pk[review.case_id]
            refs = case_refs(
                pk, family, notification, {notification: person} if notification else {}
            )
            ctx.timeline.review(review.review_date, refs)
        outside = {ref: cases[ref][0] for ref in cases if ref not in ctx.known.cases.dataset}
        _note_latest_review(written.created, set(outside.values()), ctx)
        tally.add(written)
    return tally


def _note_latest_review(created: list[Review], case_pks: set[int], ctx: LoadContext) -> None:
    """Reviews of cases not in the dataset move their `last_review_on` on, as live."""
    latest: dict[int, date] = {}
    for review in created:
        if review.case_id in case_pks:
            latest[review.case_id] = max(review.review_date, latest.get(review.case_id, date.min))
    changed = []
    for case in Case.objects.filter(pk__in=latest):
        if case.last_review_on is None or case.last_review_on < latest[case.pk]:
            case.last_review_on = latest[case.pk]
            case.version += 1
            case.updated_by_id = ctx.stamp.actor.id
            case.updated_at = ctx.stamp.now
            changed.append(case)
    Case.objects.bulk_update(changed, ["last_review_on", "version", "updated_by_id", "updated_at"])


def write_closures(ctx: LoadContext) -> None:
    """CASE_CLOSED on the timeline of each case the import closed."""
    for chunk in chunked(ctx.closed_cases):
        rows = Case.objects.filter(pk__in=chunk).values_list(
            "pk",
            "family_id",
            "notification_id",
            "notification__person_id",
            "closed_on",
            "closure_reason",
        )
        for pk, family, notification, person, closed_on, reason in rows:
            refs = case_refs(
                pk, family, notification, {notification: person} if notification else {}
            )
            ctx.timeline.case_closed(closed_on, reason, refs)
    ctx.closed_cases = []
