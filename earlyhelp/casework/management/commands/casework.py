"""Drive the Kent Family Support Framework from the command line, as a named user.

    earlyhelp casework notify --as triage1 --person P0000012 --source SCHOOL --reason "…"
    earlyhelp casework triage --as triage1 N0000042 --level 3 --decision ASSESS_EHU --unit EHU-MA1
    earlyhelp casework start-assessment --as prac1 C0000007 --on 2018-03-01
    earlyhelp casework worklist --as prac1
    earlyhelp casework unit-meeting --as leader1

Every action calls the same services as the pages, with the same checks and audit.
"""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from earlyhelp.casework import selectors, services
from earlyhelp.casework.models import Assessment, Case
from earlyhelp.casework.services.assessment import ASSESSMENT_FIELDS
from earlyhelp.casework.services.plan import ActionInput, OutcomeInput
from earlyhelp.common import clock
from earlyhelp.domain.codes import Category, ClosureReason, NoteKind, Source, TriageDecision
from earlyhelp.domain.errors import DomainError
from earlyhelp.frontdoor import selectors as frontdoor
from earlyhelp.frontdoor.services import notification_create, notification_referrer_informed
from earlyhelp.organisation.models import OrgUnit, User, Worker
from earlyhelp.people import selectors as people

ASSESSMENT_OPTIONS = tuple(f for f in ASSESSMENT_FIELDS if f != "scale")


def _day(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{value}' is not a date (YYYY-MM-DD)") from None


class Command(BaseCommand):
    help = "Record casework from the command line (notify, triage, assess, plan, review, close)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)

        def action(name: str, help_text: str, *, case: bool = True) -> CommandParser:
            p = sub.add_parser(name, help=help_text)
            p.add_argument("--as", dest="username", required=True, help="acting user")
            if case:
                p.add_argument("case_ref")
            return p

        p = action("notify", "receive a notification about a child", case=False)
        p.add_argument("--person", required=True, help="person reference (P…)")
        p.add_argument("--source", required=True, choices=[s.value for s in Source])
        p.add_argument("--category", default="STANDARD", choices=[c.value for c in Category])
        p.add_argument("--reason", required=True)
        p.add_argument("--referrer", default="")
        p = action("triage", "triage a notification and route it", case=False)
        p.add_argument("notification_ref")
        p.add_argument("--level", type=int, required=True, choices=[1, 2, 3, 4])
        p.add_argument("--decision", required=True, choices=[d.value for d in TriageDecision])
        p.add_argument("--reason", default="")
        p.add_argument("--unit", help="unit code for ASSESS_* decisions")
        p.add_argument("--worker", help="worker code of the lead practitioner")
        p = action("informed", "record that the referrer was told", case=False)
        p.add_argument("notification_ref")
        p.add_argument("--how", default="email")
        for name in ("start-assessment", "complete-assessment"):
            action(name, name.replace("-", " ")).add_argument("--on", type=_day)
        p = action("assess", "record the assessment's content")
        for name in ASSESSMENT_OPTIONS:
            p.add_argument(f"--{name.replace('_', '-')}", dest=name)
        p.add_argument("--scale", type=int, help="Signs of Safety scale 0-10")
        p = action("plan", "agree the family plan")
        p.add_argument("--on", type=_day)
        p.add_argument("--outcome", action="append", required=True, help="an outcome (repeat)")
        p.add_argument(
            "--action",
            dest="actions",
            action="append",
            default=[],
            help="'description|owner|YYYY-MM-DD' for the first outcome (repeat)",
        )
        p = action("review", "record a review")
        p.add_argument("--on", type=_day)
        p.add_argument("--summary", required=True)
        p.add_argument("--scale", type=int)
        p = action("note", "add a case note")
        p.add_argument("--on", type=_day)
        p.add_argument("--kind", default="HOME_VISIT", choices=[k.value for k in NoteKind])
        p.add_argument("--text", required=True)
        p = action("close", "close the case")
        p.add_argument("--on", type=_day)
        p.add_argument("--reason", required=True, help=", ".join(r.value for r in ClosureReason))
        p.add_argument("--summary", required=True)
        p.add_argument("--authorised-by", help="username of the authorising unit leader")
        p = action("reopen", "re-open a closed case")
        p.add_argument("--on", type=_day)
        p.add_argument("--reason", required=True)
        p = action("step-up", "refer to Specialist Children's Services and close")
        p.add_argument("--on", type=_day)
        p.add_argument("--reason", required=True)
        action("due", "what is due on the case and its drift flags")
        action("worklist", "the acting practitioner's work list", case=False)
        p = action("unit-meeting", "every open case of a unit with drift flags", case=False)
        p.add_argument("--unit", help="unit code (default: the user's unit)")

    def handle(self, *args: Any, **options: Any) -> None:
        user = User.objects.filter(username=options["username"], is_active=True).first()
        if user is None:
            raise CommandError(f"--as: no active user '{options['username']}'.")
        handler = getattr(self, "do_" + options["action"].replace("-", "_"))
        try:
            handler(user, options)
        except DomainError as error:
            field = f"{error.field}: " if error.field and error.field != "__all__" else ""
            raise CommandError(f"{field}{error.message}") from error

    def _case(self, user: User, options: dict[str, Any]) -> Case:
        return selectors.case_by_ref(user=user, ref=options["case_ref"])

    def _on(self, options: dict[str, Any]) -> date:
        return options.get("on") or clock.today()

    def do_notify(self, user: User, options: dict[str, Any]) -> None:
        person = people.person_list(user=user).filter(person_ref=options["person"]).first()
        if person is None:
            raise CommandError("--person: no such person in your scope.")
        created = notification_create(
            user=user,
            person=person,
            received_at=clock.now(),
            source=options["source"],
            category=options["category"],
            reason=options["reason"],
            referrer_name=options["referrer"],
        )
        self.stdout.write(f"{created.notification_ref} received; triage due {created.due_on}")

    def do_triage(self, user: User, options: dict[str, Any]) -> None:
        notification = frontdoor.notification_by_ref(user=user, ref=options["notification_ref"])
        unit = OrgUnit.objects.filter(code=options["unit"]).first() if options["unit"] else None
        worker = (
            Worker.objects.filter(code=options["worker"]).first() if options["worker"] else None
        )
        result = services.notification_route(
            user=user,
            notification=notification,
            version=notification.version,
            threshold_level=options["level"],
            decision=options["decision"],
            decision_reason=options["reason"],
            unit=unit,
            worker=worker,
        )
        outcome = result.case or result.linked_case or result.scs_referral or "recorded"
        self.stdout.write(f"{notification.notification_ref}: {options['decision']} → {outcome}")

    def do_informed(self, user: User, options: dict[str, Any]) -> None:
        notification = frontdoor.notification_by_ref(user=user, ref=options["notification_ref"])
        notification_referrer_informed(
            user=user,
            notification=notification,
            version=notification.version,
            how=options["how"],
        )
        self.stdout.write(f"{notification.notification_ref}: referrer informed")

    def do_start_assessment(self, user: User, options: dict[str, Any]) -> None:
        case = self._case(user, options)
        services.assessment_start(
            user=user, case=case, version=case.version, started_on=self._on(options)
        )
        self.stdout.write(f"{case.case_ref}: assessment started")

    def do_assess(self, user: User, options: dict[str, Any]) -> None:
        case = self._case(user, options)
        fields = {n: options[n] for n in (*ASSESSMENT_OPTIONS, "scale") if options[n] is not None}
        assessment = Assessment.objects.filter(case=case).first()
        if assessment is None:
            raise CommandError("Start the assessment first (start-assessment).")
        services.assessment_update(
            user=user, assessment=assessment, version=assessment.version, **fields
        )
        self.stdout.write(f"{case.case_ref}: assessment saved ({', '.join(sorted(fields))})")

    def do_complete_assessment(self, user: User, options: dict[str, Any]) -> None:
        case = self._case(user, options)
        services.assessment_complete(
            user=user, case=case, version=case.version, completed_on=self._on(options)
        )
        self.stdout.write(f"{case.case_ref}: assessment completed")

    def do_plan(self, user: User, options: dict[str, Any]) -> None:
        case = self._case(user, options)
        actions = [self._action(text) for text in options["actions"]]
        outcomes = [
            OutcomeInput(text, actions if i == 0 else [])
            for i, text in enumerate(options["outcome"])
        ]
        services.plan_agree(
            user=user,
            case=case,
            version=case.version,
            agreed_on=self._on(options),
            outcomes=outcomes,
        )
        self.stdout.write(f"{case.case_ref}: family plan agreed with {len(outcomes)} outcome(s)")

    def _action(self, text: str) -> ActionInput:
        parts = text.split("|")
        if len(parts) != 3:
            raise CommandError("--action: write 'description|owner|YYYY-MM-DD'.")
        try:
            return ActionInput(parts[0], parts[1], date.fromisoformat(parts[2]))
        except ValueError:
            raise CommandError(f"--action: '{parts[2]}' is not a date.") from None

    def do_review(self, user: User, options: dict[str, Any]) -> None:
        case = self._case(user, options)
        services.review_record(
            user=user,
            case=case,
            version=case.version,
            review_date=self._on(options),
            summary=options["summary"],
            scale=options["scale"],
        )
        self.stdout.write(f"{case.case_ref}: review recorded")

    def do_note(self, user: User, options: dict[str, Any]) -> None:
        case = self._case(user, options)
        services.case_note_add(
            user=user,
            case=case,
            occurred_on=self._on(options),
            kind=options["kind"],
            text=options["text"],
        )
        self.stdout.write(f"{case.case_ref}: note added")

    def do_close(self, user: User, options: dict[str, Any]) -> None:
        case = self._case(user, options)
        authoriser = None
        if options["authorised_by"]:
            authoriser = User.objects.filter(username=options["authorised_by"]).first()
            if authoriser is None:
                raise CommandError("--authorised-by: no such user.")
        services.case_close(
            user=user,
            case=case,
            version=case.version,
            closed_on=self._on(options),
            reason=options["reason"],
            summary=options["summary"],
            authorised_by=authoriser,
        )
        self.stdout.write(f"{case.case_ref}: closed ({options['reason']})")

    def do_reopen(self, user: User, options: dict[str, Any]) -> None:
        case = self._case(user, options)
        services.case_reopen(
            user=user,
            case=case,
            version=case.version,
            reopened_on=self._on(options),
            reason=options["reason"],
        )
        self.stdout.write(f"{case.case_ref}: re-opened")

    def do_step_up(self, user: User, options: dict[str, Any]) -> None:
        case = self._case(user, options)
        services.case_step_up(
            user=user,
            case=case,
            version=case.version,
            on=self._on(options),
            reason=options["reason"],
        )
        self.stdout.write(f"{case.case_ref}: stepped up to Specialist Children's Services")

    def do_due(self, user: User, options: dict[str, Any]) -> None:
        status = selectors.case_status(self._case(user, options))
        self._write_status_header()
        self._write_status(status)

    def do_worklist(self, user: User, options: dict[str, Any]) -> None:
        self._write_status_header()
        for status in selectors.work_list(user=user):
            self._write_status(status)

    def do_unit_meeting(self, user: User, options: dict[str, Any]) -> None:
        unit_id = user.org_unit_id
        if options["unit"]:
            unit = OrgUnit.objects.filter(code=options["unit"]).first()
            unit_id = unit.pk if unit else None
        if unit_id is None:
            raise CommandError("--unit: choose a unit.")
        meeting = selectors.unit_open_cases(user=user, unit_id=unit_id)
        self._write_status_header()
        for status in meeting.cases:
            self._write_status(status)
        self.stdout.write("\nCaseload:")
        for worker, count in meeting.caseload:
            self.stdout.write(f"  {worker.name:<30} {count:>4}")

    def _write_status_header(self) -> None:
        self.stdout.write(f"{'case':<10} {'stage':<12} {'days':>5}  {'next due':<28} flags")

    def _write_status(self, status: selectors.CaseStatus) -> None:
        due = f"{status.due.label} by {status.due.due_on}" if status.due else "-"
        late = " (overdue)" if status.overdue else ""
        flags = ", ".join(status.drift) or "-"
        self.stdout.write(
            f"{status.case.case_ref:<10} {status.stage:<12} {status.days_open:>5}  "
            f"{due + late:<28} {flags}"
        )
