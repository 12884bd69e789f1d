"""What every page's template needs: the organisation, the role and the navigation."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from earlyhelp.common import clock
from earlyhelp.domain.codes import UserRole
from earlyhelp.domain.codes import label as code_label
from earlyhelp.performance.policies import PERFORMANCE_ROLES, SCORECARD_ROLES

# (text, url name, roles that see it; empty = everyone signed in)
NAV = [
    ("Home", "home", ()),
    (
        "Search",
        "search",
        (UserRole.PRACTITIONER, UserRole.UNIT_LEADER, UserRole.MANAGER, UserRole.TRIAGE_OFFICER),
    ),
    ("Triage queue", "triage-queue", (UserRole.TRIAGE_OFFICER,)),
    ("New notification", "notification-new", (UserRole.TRIAGE_OFFICER,)),
    ("Unit meeting", "my-unit", (UserRole.UNIT_LEADER,)),
    ("Units and drift", "my-unit", (UserRole.MANAGER,)),
    (
        "Step-down panel",
        "step-down-panel",
        (UserRole.MANAGER, UserRole.UNIT_LEADER, UserRole.TRIAGE_OFFICER),
    ),
    ("Targets and figures", "targets", (UserRole.ANALYST, UserRole.ADMINISTRATOR)),
    ("Scorecard", "scorecard", tuple(SCORECARD_ROLES)),
    ("Outcome tracker", "tracker-start", tuple(PERFORMANCE_ROLES)),
    ("Break-glass review", "break-glass-review", (UserRole.UNIT_LEADER,)),
    ("Data protection", "record-access-log", (UserRole.MANAGER, UserRole.DATA_PROTECTION_OFFICER)),
    (
        "Pseudonymised data",
        "pseudonymised-data",
        (UserRole.ANALYST, UserRole.DATA_PROTECTION_OFFICER),
    ),
    ("New notification", "portal-new", (UserRole.PARTNER,)),
    ("Your notifications", "portal-notifications", (UserRole.PARTNER,)),
]


def navigation(request: HttpRequest) -> dict[str, object]:
    user = request.user
    items = []
    if user.is_authenticated:
        for text, name, roles in NAV:
            if roles and user.role not in roles:
                continue
            try:
                href = reverse(name)
            except NoReverseMatch:  # a page not routed in this configuration
                continue
            items.append({"text": text, "href": href, "current": request.path == href})
    return {
        "organisation_name": settings.EARLYHELP_ORGANISATION_NAME,
        "nav_items": items,
        "role_label": code_label(user.role) if user.is_authenticated and user.role else "",
        "today": clock.today(),
    }
