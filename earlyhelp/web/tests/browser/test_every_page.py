"""Every page, as every role that may use it, passes axe-core (WCAG 2.2 AA).

The synthetic county (small) gives each role records in its own scope; each URL pattern is
filled with such records and visited in Chromium. A page a role may not use answers 403 or
404 and is not checked further; every pattern must be seen with a 200 by some role.
"""

from __future__ import annotations

import io
from collections.abc import Callable

import pytest
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from playwright.sync_api import Error as PlaywrightError

from earlyhelp.casework import selectors as casework
from earlyhelp.casework.models import PlanAction
from earlyhelp.casework.selectors_partner import partner_submission_list
from earlyhelp.common import clock
from earlyhelp.demo.users import DEMO_PASSWORD, DEMO_USERNAMES, create_partner_submissions
from earlyhelp.domain.codes import ConsentPurpose, UserRole
from earlyhelp.frontdoor import selectors as frontdoor
from earlyhelp.frontdoor.models import SubmissionDraft
from earlyhelp.frontdoor.submissions import draft_save
from earlyhelp.organisation.models import OrgUnit, User
from earlyhelp.organisation.selectors import scope_org_unit_ids
from earlyhelp.people import selectors as people
from earlyhelp.people.models import FamilyConsent
from earlyhelp.people.policies import may_record_consent
from earlyhelp.people.services import consent_record
from earlyhelp.performance import selectors as performance
from earlyhelp.web.tests.browser.conftest import axe_violations, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

ROLES = DEMO_USERNAMES
POST_ONLY = {"logout", "notification-link", "api:police-feed", "api:not-found"}


def _patterns(resolver: URLResolver, namespace: str = "") -> list[tuple[str, URLPattern]]:
    """(name, pattern) of every named pattern; names in a namespace as `api:docs`."""
    found: list[tuple[str, URLPattern]] = []
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            if str(pattern.pattern).startswith("admin/"):
                continue
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            found += _patterns(pattern, inner)
        elif pattern.name and f"{namespace}{pattern.name}" not in POST_ONLY:
            found.append((f"{namespace}{pattern.name}", pattern))
    return found


def _first(values: object) -> int | None:
    item = next(iter(values), None)  # type: ignore[call-overload]
    return getattr(item, "pk", item)


def _case_for(user: User, name: str) -> int | None:
    cases = casework.case_list(user=user)
    if name == "case-reopen":
        return _first(cases.filter(closed_on__isnull=False).order_by("pk"))
    if name.startswith("case-plan"):
        return _first(cases.filter(plan__outcomes__actions__isnull=False).order_by("pk"))
    mine = cases.filter(closed_on__isnull=True, worker_id=user.worker_id).order_by("pk")
    return _first(mine) or _first(cases.filter(closed_on__isnull=True).order_by("pk"))


def _consent_for(user: User) -> int | None:
    """A consent in force of a family the user records consent for (the demo has none: the
    first such family's is recorded, as the user, through the service)."""
    families = people.family_list(user=user).order_by("pk")
    consent = FamilyConsent.objects.filter(family__in=families, withdrawn_on__isnull=True).first()
    if consent is not None:
        return consent.pk
    family = next((f for f in families[:20] if may_record_consent(user, f)), None)
    if family is None:
        return None
    return consent_record(
        user=user, family=family, purpose=ConsentPurpose.SHARE_WITH_REFERRER, given_on=clock.today()
    ).pk


def _draft_for(user: User) -> int | None:
    """A partner's draft notification (the demo has none: one is started through the
    service, as the portal's "Start" does)."""
    if user.role != UserRole.PARTNER:
        return None
    draft = SubmissionDraft.objects.filter(owner=user).order_by("pk").first()
    return (draft or draft_save(user=user, answers={}, step="about-you")).pk


def _sent_by(user: User) -> str | None:
    """A notification the partner sent (those sent through the portal's services, as the
    demo partner's are, when the history gave them none)."""
    if user.role != UserRole.PARTNER:
        return None
    sent = partner_submission_list(user=user).first()
    if sent is None:
        create_partner_submissions()
        sent = partner_submission_list(user=user).first()
    return getattr(sent, "notification_ref", None)


def _reference(user: User, name: str) -> str | None:
    """A reference for the API's record pages, among the records the user's token sees."""
    if name == "api:notification":
        return _sent_by(user)
    if name == "api:person":
        return getattr(people.person_list(user=user).order_by("pk").first(), "person_ref", None)
    if name == "api:case":
        return getattr(casework.case_list(user=user).order_by("pk").first(), "case_ref", None)
    return None


def _lookups(user: User, name: str) -> dict[str, Callable[[], int | str | None]]:
    """How to find a value for each parameter among records in the user's scope."""
    units = sorted(scope_org_unit_ids(user))
    return {
        "reference": lambda: _reference(user, name),
        "case_id": lambda: _case_for(user, name),
        "family_id": lambda: _first(people.family_list(user=user).order_by("pk")),
        "person_id": lambda: _first(people.person_list(user=user).order_by("pk")),
        "notification_id": lambda: _first(
            frontdoor.notification_list(user=user).order_by("triaged_at", "pk")
        ),
        "unit_id": lambda: _first(
            OrgUnit.objects.filter(pk__in=units, kind="UNIT").order_by("code")
        ),
        "org_id": lambda: _first(
            OrgUnit.objects.filter(pk__in=units, kind="DISTRICT").order_by("code")
        ),
        "proposal_id": lambda: _first(frontdoor.step_down_list(user=user).order_by("pk")),
        "level": lambda: getattr(performance.performance_home_or_none(user=user), "slug", None),
        "org_code": lambda: getattr(performance.performance_home_or_none(user=user), "code", None),
        "indicator_code": lambda: "EH05",
        "year": lambda: 2017,  # a target year (figures: target-edit)
        "consent_id": lambda: _consent_for(user),
        "draft_id": lambda: _draft_for(user),
        "notification_ref": lambda: _sent_by(user),
    }


def _fill(user: User, name: str, pattern: URLPattern) -> dict[str, int | str] | None:
    """Values for the pattern's parameters from records in the user's scope; None if none."""
    lookups = _lookups(user, name)
    values: dict[str, int | str] = {}
    for key in pattern.pattern.converters:
        if key in ("outcome_id", "action_id"):
            action = PlanAction.objects.filter(outcome__plan__case_id=values.get("case_id")).first()
            if action is None:
                return None
            value = action.outcome_id if key == "outcome_id" else action.pk
        else:
            value = lookups[key]()
        if value is None:
            return None
        values[key] = value
    return values


def test_every_page_as_every_role_passes_axe(page, settings):
    call_command("demo", "--families", "120", "--seed", "7", verbosity=0)
    settings.EARLYHELP_TODAY = "2018-03-31"
    call_command("scorecard", "--recompute", stdout=io.StringIO())  # pages read the snapshots
    patterns = _patterns(get_resolver())
    checked: dict[str, list[str]] = {name: [] for name, _ in patterns}
    failures: list[str] = []
    for username in ROLES:
        user = User.objects.get(username=username)
        page.context.clear_cookies()
        sign_in(page, username, DEMO_PASSWORD)
        for name, pattern in patterns:
            if name == "login":
                continue
            kwargs = _fill(user, name, pattern)
            if kwargs is None:
                continue
            url = reverse(name, kwargs=kwargs)
            try:
                response = page.goto(url)
            except PlaywrightError as error:  # a download (CSV, XLSX, a document)
                if "Download is starting" not in error.message:
                    raise
                if page.request.get(url).ok:
                    checked[name].append(username)
                continue
            if response is None or response.status != 200:
                continue
            if not response.headers.get("content-type", "").startswith("text/html"):
                checked[name].append(username)
                continue
            checked[name].append(username)
            violations = axe_violations(page)
            if violations:
                failures.append(f"{name} as {username}: {violations}")
    page.context.clear_cookies()
    page.goto(reverse("login"))
    checked["login"].append("anonymous")
    failures += [f"login: {v}" for v in axe_violations(page)]
    assert failures == [], "\n".join(failures)
    unvisited = sorted(name for name, roles in checked.items() if not roles)
    assert unvisited == []
