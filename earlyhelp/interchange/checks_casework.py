"""Checks of notifications.csv, cases.csv and reviews.csv."""

from __future__ import annotations

from datetime import date

from earlyhelp.common import clock
from earlyhelp.domain.codes import OrgKind, RoleInFamily
from earlyhelp.interchange.checks import FileCheck, stamp
from earlyhelp.interchange.history_rules import case_warnings, review_warning
from earlyhelp.interchange.issues import FileIssues
from earlyhelp.interchange.known import CaseInfo, Known, NotificationInfo, PersonInfo
from earlyhelp.interchange.overlaps import open_case_overlaps
from earlyhelp.interchange.reader import Row
from earlyhelp.interchange.spec import CASES, NOTIFICATIONS, REVIEWS

TRIAGE = ("triaged_at", "triage_decision", "threshold_level")
CASE_STEPS = ("assessment_started_on", "assessment_completed_on", "plan_agreed_on", "closed_on")


class NotificationsCheck(FileCheck):
    spec = NOTIFICATIONS

    def __init__(self, known: Known, issues: FileIssues) -> None:
        super().__init__(known, issues)
        self.now = clock.now()

    def prefetch(self, rows: list[Row]) -> None:
        self.known.people.prefetch(row["person_id"] for row in rows)

    def check(self, row: Row) -> None:
        before = self.errors_found
        person = self.resolve(row, "person_id", self.known.people, "people.csv")
        self._check_triage(row)
        if self.is_clean(row, before):
            self._warn(row, person)
        received = row["received_at"]
        self.known.notifications.add(
            row["notification_id"],
            NotificationInfo(
                person.family_ref if person else None,
                clock.local_date(received) if received else None,
            ),
        )

    def _check_triage(self, row: Row) -> None:
        if not row.ok(*TRIAGE):
            return
        given = [column for column in TRIAGE if row[column] is not None]
        if 0 < len(given) < len(TRIAGE):
            for column in TRIAGE:
                if row[column] is None:
                    self.error(
                        row,
                        column,
                        "a value is required: triaged_at, triage_decision and "
                        "threshold_level are all set or all empty",
                    )
        received, triaged = row["received_at"], row["triaged_at"]
        if received is not None and triaged is not None and triaged < received:
            self.error(
                row, "triaged_at", f"{stamp(triaged)} is before received_at ({stamp(received)})"
            )

    def _warn(self, row: Row, person: PersonInfo | None) -> None:
        if person is not None and person.role_in_family not in ("", RoleInFamily.CHILD):
            self.warning(
                row, f"person_id {row['person_id']} is a {person.role_in_family}, not a CHILD"
            )
        for column in ("received_at", "triaged_at"):
            if row[column] is not None and row[column] > self.now:
                self.warning(row, f"{column} {stamp(row[column])} is in the future")


class CasesCheck(FileCheck):
    spec = CASES

    def __init__(self, known: Known, issues: FileIssues) -> None:
        super().__init__(known, issues)
        self.today = clock.today()

    def prefetch(self, rows: list[Row]) -> None:
        self.known.notifications.prefetch(row["notification_id"] for row in rows)
        self.known.families.prefetch(row["family_id"] for row in rows)

    def check(self, row: Row) -> None:
        before = self.errors_found
        notification = self.resolve(
            row, "notification_id", self.known.notifications, "notifications.csv"
        )
        self.resolve(row, "family_id", self.known.families, "families.csv")
        self.org_unit(row, "unit_code", (OrgKind.UNIT,), "a UNIT")
        worker = self.resolve(row, "worker_code", self.known.workers, "workers.csv")
        self._check_dates(row)
        self._check_closure(row)
        if self.is_clean(row, before):
            self._warn(row, notification, worker.unit_code if worker else None)
        self.known.cases.add(
            row["case_id"],
            CaseInfo(
                row.line,
                row["family_id"],
                row["opened_on"],
                row["assessment_started_on"],
                row["plan_agreed_on"],
                row["closed_on"],
            ),
        )

    def _check_dates(self, row: Row) -> None:
        opened = row["opened_on"]
        for column in CASE_STEPS:
            if opened is not None and row[column] is not None and row[column] < opened:
                self.error(row, column, f"{row[column]} is before the case opened ({opened})")
        started, completed = row["assessment_started_on"], row["assessment_completed_on"]
        if completed is None or not row.ok("assessment_started_on"):
            return
        if started is None:
            self.error(
                row,
                "assessment_completed_on",
                "the assessment cannot be completed without a start: "
                "assessment_started_on is empty",
            )
        elif completed < started:
            self.error(
                row,
                "assessment_completed_on",
                f"{completed} is before the assessment started ({started})",
            )

    def _check_closure(self, row: Row) -> None:
        if not row.ok("closed_on", "closure_reason"):
            return
        if row["closed_on"] is not None and row["closure_reason"] is None:
            self.error(row, "closure_reason", "a value is required when closed_on is set")
        elif row["closed_on"] is None and row["closure_reason"] is not None:
            self.error(row, "closure_reason", "must be empty while closed_on is empty")

    def _warn(
        self, row: Row, notification: NotificationInfo | None, worker_unit: str | None
    ) -> None:
        """Rules of the live workflow this history breaks: the record is kept as it is."""
        history = {column: row[column] for column in ("opened_on", *CASE_STEPS, "closure_reason")}
        for message in case_warnings(**history):
            self.warning(row, message)
        if worker_unit is not None and worker_unit != row["unit_code"]:
            self.warning(
                row,
                f"worker_code {row['worker_code']} works in {worker_unit}, "
                f"not in {row['unit_code']}",
            )
        if notification is not None:
            self._warn_notification(row, notification)
        for column in ("opened_on", "closed_on"):
            if row[column] is not None and row[column] > self.today:
                self.warning(row, f"{column} {row[column]} is in the future")

    def _warn_notification(self, row: Row, notification: NotificationInfo) -> None:
        ref = row["notification_id"]
        if notification.family_ref and notification.family_ref != row["family_id"]:
            self.warning(
                row, f"notification {ref} is about family {notification.family_ref}, not this one"
            )
        received: date | None = notification.received_on
        if received is not None and row["opened_on"] < received:
            self.warning(
                row,
                f"opened_on {row['opened_on']} is before notification {ref} was received "
                f"({received})",
            )

    def finish(self) -> None:
        for line, message in open_case_overlaps(self.known.cases.dataset):
            self.issues.warning(line, message)


class ReviewsCheck(FileCheck):
    spec = REVIEWS

    def __init__(self, known: Known, issues: FileIssues) -> None:
        super().__init__(known, issues)
        self.today = clock.today()

    def prefetch(self, rows: list[Row]) -> None:
        self.known.cases.prefetch(row["case_id"] for row in rows)

    def check(self, row: Row) -> None:
        before = self.errors_found
        case = self.resolve(row, "case_id", self.known.cases, "cases.csv")
        on = row["review_date"]
        if case is None or on is None:
            return
        if case.opened_on is not None and on < case.opened_on:
            self.error(row, "review_date", f"{on} is before the case opened ({case.opened_on})")
        if case.closed_on is not None and on > case.closed_on:
            self.error(row, "review_date", f"{on} is after the case closed ({case.closed_on})")
        if self.is_clean(row, before) and case.opened_on is not None:
            warning = review_warning(
                opened_on=case.opened_on, plan_agreed_on=case.plan_agreed_on, review_date=on
            )
            if warning:
                self.warning(row, warning)
            if on > self.today:
                self.warning(row, f"review_date {on} is in the future")
        latest = self.known.latest_review.get(row["case_id"])
        if latest is None or on > latest:
            self.known.latest_review[row["case_id"]] = on
