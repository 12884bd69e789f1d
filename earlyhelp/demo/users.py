"""The demo's sign-in accounts: one for each role, with one easy, documented password.

They are created through `organisation.services.user_create`, like any account. Staff
accounts are linked to a worker of the synthetic county (in Margate Early Help Unit,
Thanet, one of the busiest districts), so their names appear on that worker's casework.

Demo-only settings keep them easy to use (README, "Authentication and web security"):
`EARLYHELP_DEMO_SKIP_2FA` is on under `make run` (EARLYHELP_ENV=development), so the
password alone signs in even the roles that need two-factor sign-in elsewhere; settings
refuse it in production. Lockout still applies: `earlyhelp axes_reset` unlocks everyone.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from earlyhelp.audit.services import SYSTEM
from earlyhelp.casework.selectors_partner import partner_submission_list
from earlyhelp.casework.services import notification_route
from earlyhelp.common import clock
from earlyhelp.demo.organisation import County, StaffMember, Team
from earlyhelp.domain.codes import Category, Source, TriageDecision, UserRole, WorkerRole
from earlyhelp.domain.submissions import Answers
from earlyhelp.frontdoor.models import Notification
from earlyhelp.frontdoor.services import notification_screening_start
from earlyhelp.frontdoor.submissions import partner_submission_create
from earlyhelp.organisation.models import OrgUnit, User, Worker
from earlyhelp.organisation.services import user_create
from earlyhelp.organisation.signin_codes import partner_profile_update

DEMO_PASSWORD = "demo-password-2018"  # noqa: S105  # nosec B105  # the demo's documented password
DEMO_DISTRICT = "THA"
DEMO_AREA = "EAST"
DEMO_UNIT = "EHU-THA-1"
PARTNER_SCHOOL = "Margate Academy"
DEMO_USERNAMES = (
    "practitioner",
    "unitleader",
    "districtmanager",
    "areamanager",
    "triage",
    "analyst",
    "auditor",
    "dpo",
    "partner",
    "admin",
)


@dataclass(frozen=True, slots=True)
class DemoAccount:
    username: str
    role: str
    org_unit_code: str | None
    staff: StaffMember | None = None
    is_superuser: bool = False
    partner_organisation: str = ""


def demo_accounts(county: County) -> list[DemoAccount]:
    district = county.district_by_code(DEMO_DISTRICT)
    unit = next(u for u in district.early_help_units if u.code == DEMO_UNIT)
    practitioner = next(w for w in unit.caseholders if w.role == WorkerRole.PRACTITIONER)
    triage = next(w for w in county.triage.staff if w.role == WorkerRole.TRIAGE_OFFICER)
    return [
        DemoAccount("practitioner", UserRole.PRACTITIONER, DEMO_UNIT, practitioner),
        DemoAccount("unitleader", UserRole.UNIT_LEADER, DEMO_UNIT, unit.leader),
        DemoAccount("districtmanager", UserRole.MANAGER, DEMO_DISTRICT, district.manager),
        DemoAccount("areamanager", UserRole.MANAGER, DEMO_AREA, county.area_managers[DEMO_AREA]),
        DemoAccount("triage", UserRole.TRIAGE_OFFICER, "TRIAGE", triage),
        DemoAccount("analyst", UserRole.ANALYST, "KENT"),
        DemoAccount("auditor", UserRole.QA_AUDITOR, "KENT"),
        DemoAccount("dpo", UserRole.DATA_PROTECTION_OFFICER, "KENT"),
        DemoAccount("partner", UserRole.PARTNER, None, partner_organisation=PARTNER_SCHOOL),
        DemoAccount("admin", UserRole.ADMINISTRATOR, "KENT", is_superuser=True),
    ]


def create_demo_users(county: County, *, joined: datetime) -> dict[str, User]:
    """Create the accounts; link each staff account's worker in the county index."""
    units = {u.code: u for u in OrgUnit.objects.all()}
    users: dict[str, User] = {}
    for account in demo_accounts(county):
        staff = account.staff
        worker = Worker.objects.get(pk=staff.id) if staff else None
        first, _, last = (staff.name if staff else account.username.title()).partition(" ")
        users[account.username] = user_create(
            actor=SYSTEM,
            username=account.username,
            password=DEMO_PASSWORD,
            role=account.role,
            org_unit=units[account.org_unit_code] if account.org_unit_code else None,
            worker=worker,
            first_name=first,
            last_name=last or "Demo",
            email=f"{account.username}@example.org",
            is_staff=account.is_superuser,
            is_superuser=account.is_superuser,
            partner_organisation=account.partner_organisation,
        )
        if account.role == UserRole.PARTNER:
            partner_profile_update(
                user=users[account.username], organisation=PARTNER_SCHOOL, source=Source.SCHOOL
            )
        if staff is not None:
            staff.user_id, staff.username = users[account.username].pk, account.username
    User.objects.filter(pk__in=[u.pk for u in users.values()]).update(date_joined=joined)
    return users


def unit_with_leader_account(county: County) -> Team:
    district = county.district_by_code(DEMO_DISTRICT)
    return next(u for u in district.early_help_units if u.code == DEMO_UNIT)


def sign_in_table() -> list[tuple[str, str, str, str]]:
    """(username, role, scope, password) of the demo accounts that exist."""
    names = DEMO_USERNAMES
    found = {
        u.username: u
        for u in User.objects.filter(username__in=names).select_related("org_unit", "worker")
    }
    return [(n, found[n].role, scope_of(found[n]), DEMO_PASSWORD) for n in names if n in found]


def scope_of(user: User) -> str:
    if user.role == UserRole.PARTNER:
        return f"notifications submitted by {user.partner_organisation}"
    if user.org_unit is None:
        return "-"
    place = f"{user.org_unit.name} ({user.org_unit.kind.lower()})"
    worker = f", as worker {user.worker.code} {user.worker.name}" if user.worker else ""
    extra = " (Django admin too)" if user.is_superuser else ""
    return f"{place}{worker}{extra}"


# --- the demo partner's notifications sent through the portal ----------------------------

_PORTAL_CHILD = Answers(
    child_given_name="Ellie",
    child_family_name="Demoson",
    child_date_of_birth=date(2010, 9, 14),
    child_sex="F",
    address_line_1="12 Example Road",
    town="Margate",
    postcode="CT9 1AA",
    concerns="Attendance has fallen to 82% this term; she says she is tired and hungry.",
    what_has_been_tried="Breakfast club and a meeting with her mother.",
    referrer_name="Partner Demo",
    referrer_role="Designated safeguarding lead",
    referrer_organisation=PARTNER_SCHOOL,
    referrer_email="partner@example.org",
    source=Source.SCHOOL,
    family_consent=True,
    district_code=DEMO_DISTRICT,
)
# (first name, days before the end of the history, stage reached, family agreed to share)
PORTAL_SUBMISSIONS = (
    ("Ellie", 0, "received", False),
    ("Noah", 1, "screening", False),
    ("Maisie", 3, "decided", False),
    ("Oscar", 4, "allocated", True),
)


def create_partner_submissions() -> list[Notification]:
    """A handful of notifications the demo partner sent through the portal, in different
    stages (received, being screened, decided, allocated to the demo unit), written through
    the same services as the portal and the triage pages. Run after the history is written
    (the bulk writer chooses its own ids); run again, it adds nothing."""
    partner = User.objects.get(username="partner")
    triage = User.objects.get(username="triage")
    mine = partner_submission_list(user=partner)
    if mine.filter(partner_submission__idempotency_key__startswith="demo-").exists():
        return []
    unit = OrgUnit.objects.get(code=DEMO_UNIT)
    now = clock.now()
    sent = []
    for name, days, stage, shared in PORTAL_SUBMISSIONS:
        answers = replace(_PORTAL_CHILD, child_given_name=name, share_outcome_consent=shared)
        if stage == "received":
            answers = replace(answers, category=Category.STANDARD, urgent=True)
        received = now - timedelta(days=days, hours=2)
        notification = partner_submission_create(
            user=partner, answers=answers, idempotency_key=f"demo-{name}", received_at=received
        ).recorded()
        if stage != "received":
            notification_screening_start(user=triage, notification=notification)
        if stage in {"decided", "allocated"}:
            notification.refresh_from_db()
            decision = TriageDecision.ASSESS_EHU if stage == "allocated" else TriageDecision.NFA
            notification_route(
                user=triage,
                notification=notification,
                version=notification.version,
                threshold_level=2,
                decision=decision,
                decision_reason="Demo: screened by the front door.",
                unit=unit if stage == "allocated" else None,
                triaged_at=received + timedelta(days=1),
            )
        sent.append(notification)
    return sent
