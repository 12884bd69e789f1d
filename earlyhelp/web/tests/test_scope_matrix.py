"""Every role against records outside its scope: never a page, never a leak.

On a small synthetic county, each demo user requests every URL pattern that takes a
family, person, case or notification, once with a record inside its scope (when it has
one) and once with a record outside it. Outside its scope a role gets 404 or 403, never
the page; and every personal-data page it is shown writes an access-log row for that
record and that user.
"""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from earlyhelp.audit.models import AccessLog
from earlyhelp.casework import selectors as casework
from earlyhelp.casework.models import Case
from earlyhelp.demo.users import DEMO_USERNAMES
from earlyhelp.frontdoor import selectors as frontdoor
from earlyhelp.frontdoor.models import Notification
from earlyhelp.organisation.models import User
from earlyhelp.people import selectors as people
from earlyhelp.people.models import Family, Person

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

RECORD_PARAMETERS = {"case_id", "family_id", "person_id", "notification_id"}
LOGGED_PAGES = {
    "case": "case_id",
    "family": "family_id",
    "person": "person_id",
    "notification": "notification_id",
}
POST_ONLY = {"notification-link"}
# The data protection officer keeps the named access lists of restricted families for the
# whole county: that page (and no page of case content) is theirs beyond any scope.
BEYOND_SCOPE = {("dpo", "family-access-list")}


def _record_patterns() -> list[URLPattern]:
    found: list[URLPattern] = []

    def walk(resolver: URLResolver) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                if not str(pattern.pattern).startswith("admin/"):
                    walk(pattern)
            elif pattern.name and pattern.name not in POST_ONLY:
                params = set(pattern.pattern.converters)
                if params and params <= RECORD_PARAMETERS:
                    found.append(pattern)

    walk(get_resolver())
    return found


def _visible_ids(user: User) -> dict[str, set[int]]:
    return {
        "case_id": set(casework.case_list(user=user).values_list("pk", flat=True)),
        "family_id": set(people.family_list(user=user).values_list("pk", flat=True)),
        "person_id": set(people.person_list(user=user).values_list("pk", flat=True)),
        "notification_id": set(frontdoor.notification_list(user=user).values_list("pk", flat=True)),
    }


ALL = {
    "case_id": Case,
    "family_id": Family,
    "person_id": Person,
    "notification_id": Notification,
}


def _outside(visible: set[int], model: type) -> int | None:
    return model.objects.exclude(pk__in=visible).order_by("pk").values_list("pk", flat=True).first()


def _inside(visible: set[int]) -> int | None:
    return min(visible) if visible else None


def test_out_of_scope_records_are_never_shown(settings):
    call_command("demo", "--families", "150", "--seed", "11", verbosity=0)
    settings.EARLYHELP_TODAY = "2018-03-31"
    problems = {name: _problems(name) for name in DEMO_USERNAMES}
    assert {name: found for name, found in problems.items() if found} == {}
    assert AccessLog.objects.filter(action="VIEW").values("actor_id").distinct().count() >= 4


def _problems(username: str) -> list[str]:
    user = User.objects.get(username=username)
    client = Client()
    client.force_login(user)
    visible = _visible_ids(user)
    shown_outside: list[str] = []
    unlogged: list[str] = []
    for pattern in _record_patterns():
        (param,) = pattern.pattern.converters
        outside = _outside(visible[param], ALL[param])
        if outside is not None and (username, pattern.name) not in BEYOND_SCOPE:
            url = reverse(pattern.name, kwargs={param: outside})
            status = client.get(url).status_code
            if status not in (403, 404):
                shown_outside.append(f"{url} answered {status}")
        inside = _inside(visible[param])
        if inside is None or pattern.name not in LOGGED_PAGES:
            continue
        url = reverse(pattern.name, kwargs={param: inside})
        before = AccessLog.objects.filter(actor_id=user.pk).count()
        if client.get(url).status_code == 200:
            field = {"case_id": "case_id", "family_id": "family_id", "person_id": "person_id"}
            logged = AccessLog.objects.filter(actor_id=user.pk).count() > before
            if param in field:
                logged = (
                    logged
                    and AccessLog.objects.filter(
                        actor_id=user.pk, **{field[param]: inside}
                    ).exists()
                )
            if not logged:
                unlogged.append(f"{url} was shown but not logged")
    return shown_outside + unlogged
