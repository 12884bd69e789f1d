"""Every role against every URL pattern: exactly what the roles table allows, and logged.

On a small synthetic county, each demo user (one a role, `earlyhelp.demo.users`) requests
every URL pattern of the site:

- inside its scope (the records of Margate Early Help Unit, where the demo's staff
  accounts work, and the partner's own notification and draft), it gets exactly the
  status written in `roles_table.EXPECTED`, the readable roles × pages table derived from
  DESIGN.md's roles table and the policies;
- outside its scope (a record, unit, district, proposal or place it may not see; for the
  partner portal, another partner's draft and notification) it gets 404 or 403, never
  the page;
- every page of personal data it is shown writes an access-log row naming that user (and
  that record, for the pages of one record).

A URL pattern missing from the table fails `test_every_url_pattern_is_classified`: a new
page must say who may see it. The only patterns left out are those with a matrix of their
own: the API's endpoints: earlyhelp/api/tests/test_api_scope_matrix.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.core.management import call_command
from django.db.models import Model, QuerySet
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from earlyhelp.audit.models import AccessLog
from earlyhelp.casework import selectors as casework
from earlyhelp.casework.models import Case, PlanAction
from earlyhelp.casework.selectors_partner import partner_submission_list
from earlyhelp.demo.users import (
    DEMO_AREA,
    DEMO_DISTRICT,
    DEMO_UNIT,
    DEMO_USERNAMES,
    create_partner_submissions,
)
from earlyhelp.domain.codes import ConsentPurpose, OrgKind
from earlyhelp.frontdoor import selectors as frontdoor
from earlyhelp.frontdoor.models import Notification, StepDownProposal
from earlyhelp.frontdoor.submissions import draft_save, partner_submission_create
from earlyhelp.organisation.models import OrgUnit, User
from earlyhelp.people import selectors as people
from earlyhelp.people.models import Family, FamilyConsent, Person
from earlyhelp.testing import factories as f
from earlyhelp.web.forms_portal import STEPS
from earlyhelp.web.tests.roles_table import (
    ADMIN_PAGES,
    BEYOND_SCOPE,
    CASE_BLIND,
    EXPECTED,
    LOGGED,
    NAME_BLIND,
    OK,
    QUERIES,
    ROLES,
    SHOWN,
    UNNAMED,
    XX,
    is_unclassified_elsewhere,
)

RECORD_MODELS: dict[str, type[Model]] = {
    "case_id": Case,
    "family_id": Family,
    "person_id": Person,
    "notification_id": Notification,
}
REFUSED = {403, 404}
INDICATOR = "EH01"
TARGET_YEAR = 2018


@dataclass(frozen=True)
class Route:
    name: str  # with its namespace, as `reverse` takes it
    path: str  # the route's text, prefixes included
    params: tuple[str, ...]


def all_routes() -> list[Route]:
    """Every named URL pattern of the site (of the Django admin, those the table lists)."""
    routes: list[Route] = []

    def walk(resolver: URLResolver, prefix: str, namespace: str) -> None:
        for pattern in resolver.url_patterns:
            text = prefix + str(pattern.pattern)
            if isinstance(pattern, URLResolver):
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern, text, inner)
            elif isinstance(pattern, URLPattern):
                name = f"{namespace}{pattern.name}" if pattern.name else f"<unnamed {text}>"
                if namespace == "admin:" and name not in ADMIN_PAGES:
                    continue
                routes.append(Route(name, text, tuple(pattern.pattern.converters)))

    walk(get_resolver(), "", "")
    return routes


def test_every_url_pattern_is_classified():
    """A new page fails here until `roles_table.EXPECTED` says who may see it."""
    names = {r.name for r in all_routes() if not is_unclassified_elsewhere(r.name, r.path)}
    assert sorted(names - EXPECTED.keys()) == [], "pages missing from roles_table.EXPECTED"
    assert sorted(EXPECTED.keys() - names) == [], "roles_table.EXPECTED names no such page"
    assert all(len(row) == len(ROLES) for row in EXPECTED.values())
    assert tuple(ROLES) == DEMO_USERNAMES


# --- the county and its records ---------------------------------------------------------------


@dataclass
class Places:
    """The parameters of every URL pattern: inside the demo unit, and outside its area."""

    inside: dict[str, object] = field(default_factory=dict)
    outside: dict[str, object] = field(default_factory=dict)
    practitioner_worker: str = ""


def _org(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def _far_unit() -> OrgUnit:
    """An Early Help Unit in another area than the demo accounts' (out of every scope),
    with an open case that has a plan."""
    area = _org(DEMO_AREA)
    districts = OrgUnit.objects.filter(kind=OrgKind.DISTRICT).exclude(parent=area)
    return _case_with_plan(OrgUnit.objects.filter(kind=OrgKind.UNIT, parent__in=districts)).unit


def _case_with_plan(units: QuerySet[OrgUnit]) -> Case:
    """An open case held by one of the units, with an agreed plan that has an action."""
    action = (
        PlanAction.objects.filter(
            outcome__plan__case__unit__in=units,
            outcome__plan__case__closed_on__isnull=True,
            outcome__plan__case__family__restricted=False,
        )
        .select_related("outcome__plan__case__unit")
        .order_by("pk")
        .first()
    )
    assert action is not None, "the demo county has no open case with a plan there"
    return action.outcome.plan.case


def _consent(family: Family) -> FamilyConsent:
    return FamilyConsent.objects.create(
        family=family, purpose=list(ConsentPurpose)[0], given_on="2018-01-15"
    )


def _records(unit: OrgUnit, *, owner: User | None, partner: User | None) -> dict[str, object]:
    case = _case_with_plan(OrgUnit.objects.filter(parent=unit.parent))
    if owner is not None:  # the practitioner's own case (the lead practitioner writes to it)
        Case.objects.filter(pk=case.pk).update(unit_id=unit.pk, worker_id=owner.worker_id)
    notification = Notification.objects.filter(family_id=case.family_id).order_by("pk").first()
    assert notification is not None
    if partner is not None:  # the partner's own notification
        Notification.objects.filter(pk=notification.pk).update(submitted_by_id=partner.pk)
    action = PlanAction.objects.filter(outcome__plan__case=case).order_by("pk").first()
    proposal = StepDownProposal.objects.filter(district=unit.parent).order_by("pk").first()
    assert proposal is not None, f"the demo county has no step-down proposal in {unit.parent}"
    person = Person.objects.filter(family_id=case.family_id).order_by("pk")[0]
    return {
        "case_id": case.pk,
        "family_id": case.family_id,
        "person_id": person.pk,
        "person_ref": person.person_ref,
        "person_name": person.full_name,
        "case_ref": case.case_ref,
        "family_ref": case.family.family_ref,
        "notification_id": notification.pk,
        "outcome_id": action.outcome_id,
        "action_id": action.pk,
        "consent_id": _consent(case.family).pk,
        "unit_id": unit.pk,
        "org_id": unit.parent_id,
        "proposal_id": proposal.pk,
        "level": "unit",
        "org_code": unit.code,
        "indicator_code": INDICATOR,
        "year": TARGET_YEAR,
    }


def _portal(partner: User, notification_id: int) -> dict[str, object]:
    """The partner portal's parameters: a draft the partner owns, and a notification they
    sent (the demo unit's, so that its page logs that family)."""
    if not partner_submission_list(user=partner).exists():
        create_partner_submissions()
    sent = partner_submission_list(user=partner).filter(pk=notification_id).first()
    assert sent is not None, "the partner's notification is not in their portal's list"
    draft = draft_save(
        user=partner, answers={"referrer_name": partner.get_full_name()}, step=STEPS[0].slug
    )
    return {"draft_id": draft.pk, "notification_ref": sent.notification_ref}


def _other_partner(district: OrgUnit) -> dict[str, object]:
    """Another partner's draft and notification (sent through the portal's services)."""
    other = f.partner("Another Academy", username="other-partner")
    sent = partner_submission_create(
        user=other, answers=f.answers(district_code=district.code), idempotency_key="other-1"
    ).notification
    draft = draft_save(user=other, answers={"child_given_name": "Other"}, step=STEPS[0].slug)
    return {"draft_id": draft.pk, "notification_ref": sent.notification_ref}


def _places() -> Places:
    users = {u.username: u for u in User.objects.filter(username__in=DEMO_USERNAMES)}
    demo_unit = _org(DEMO_UNIT)
    assert demo_unit.parent == _org(DEMO_DISTRICT)
    inside = _records(demo_unit, owner=users["practitioner"], partner=users["partner"])
    notification_id = inside["notification_id"]
    assert isinstance(notification_id, int)
    inside.update(_portal(users["partner"], notification_id))
    far_unit = _far_unit()
    outside = _records(far_unit, owner=None, partner=None)
    outside.update(_other_partner(far_unit.parent))
    return Places(inside, outside, users["practitioner"].worker.code)


def _kwargs(route: Route, values: dict[str, object], username: str, places: Places) -> dict:
    kwargs = {p: values[p] for p in route.params}
    if username == "practitioner" and "level" in kwargs and values is places.inside:
        kwargs.update(level="worker", org_code=places.practitioner_worker)  # their own figures
    return kwargs


def _url(route: Route, kwargs: dict, values: dict[str, object]) -> str:
    return reverse(route.name, kwargs=kwargs) + QUERIES.get(route.name, "").format(**values)


# --- the matrix -------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.slow
def test_every_role_gets_exactly_what_the_roles_table_allows(settings):
    call_command("demo", "--families", "150", "--seed", "11", verbosity=0)
    settings.EARLYHELP_TODAY = "2018-03-31"
    places = _places()
    call_command("scorecard", "--recompute", verbosity=0)  # the figures pages need them
    routes = [r for r in all_routes() if r.name in EXPECTED]
    problems = [
        f"{name}: {found}" for name in DEMO_USERNAMES for found in _check(name, routes, places)
    ]
    assert not problems, "\n".join(["", *problems])
    assert AccessLog.objects.filter(action="VIEW").values("actor_id").distinct().count() >= 4


def _check(username: str, routes: list[Route], places: Places) -> list[str]:
    user = User.objects.get(username=username)
    client = Client()
    client.force_login(user)
    column = ROLES.index(username)
    visible = _visible_ids(user)
    problems: list[str] = []
    for route in routes:
        expected = EXPECTED[route.name][column]
        url = _url(route, _kwargs(route, places.inside, username, places), places.inside)
        before = _last_log()
        response = client.get(url)
        status = response.status_code
        problems += _leaks(username, route, url, response, places.inside)
        if status != expected:
            problems.append(f"{route.name} {url}: expected {expected}, got {status}")
        elif status in SHOWN and route.name in LOGGED and (username, route.name) not in UNNAMED:
            problems += _unlogged(user, route, url, places.inside, before)
        problems += _outside(client, username, route, places, visible)
    return problems


def _leaks(username: str, route: Route, url: str, response, values: dict[str, object]) -> list[str]:
    """Case content or a name on a page of a role that may not see it."""
    if response.status_code != OK or response.streaming:
        return []
    content = response.content.decode(errors="replace")
    secrets = {
        "the case reference": (values["case_ref"], CASE_BLIND),
        "the child's name": (values["person_name"], NAME_BLIND),
    }
    return [
        f"{route.name} {url} shows {what} to {username}"
        for what, (secret, blind) in secrets.items()
        if (username, route.name) in blind and secret in content
    ]


def _last_log() -> int:
    return AccessLog.objects.order_by("-pk").values_list("pk", flat=True).first() or 0


def _unlogged(
    user: User, route: Route, url: str, values: dict[str, object], before: int
) -> list[str]:
    ref = LOGGED[route.name]
    rows = AccessLog.objects.filter(pk__gt=before, actor_id=user.pk)
    if ref is not None:
        rows = rows.filter(**{ref: values[ref]})
    return [] if rows.exists() else [f"{route.name} {url} was shown but not logged"]


def _outside(
    client: Client, username: str, route: Route, places: Places, visible: dict[str, set[int]]
) -> list[str]:
    """The same page for a record the role may not see (the first one its own selectors do
    not list), or for the records, unit, district and places of another area."""
    if not route.params or set(route.params) <= {"indicator_code", "year"}:
        return []
    if XX in EXPECTED[route.name]:  # a POST-only URL: its own tests post to it
        return []
    if (username, route.name) in BEYOND_SCOPE:
        return []
    if len(route.params) == 1 and route.params[0] in RECORD_MODELS:
        (param,) = route.params
        outside = (
            RECORD_MODELS[param]
            .objects.exclude(pk__in=visible[param])
            .order_by("pk")
            .values_list("pk", flat=True)
            .first()
        )
        if outside is None:  # the role sees every such record (triage: every family)
            return []
        kwargs: dict = {param: outside}
    else:
        kwargs = _kwargs(route, places.outside, username, places)
    url = _url(route, kwargs, places.outside)
    status = client.get(url).status_code
    return [] if status in REFUSED else [f"{route.name} {url} (outside) answered {status}"]


def _visible_ids(user: User) -> dict[str, set[int]]:
    """What the role's own selectors list: every other record is outside its scope."""
    return {
        "case_id": set(casework.case_list(user=user).values_list("pk", flat=True)),
        "family_id": set(people.family_list(user=user).values_list("pk", flat=True)),
        "person_id": set(people.person_list(user=user).values_list("pk", flat=True)),
        "notification_id": set(frontdoor.notification_list(user=user).values_list("pk", flat=True)),
    }
