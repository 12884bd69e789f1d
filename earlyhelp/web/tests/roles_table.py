"""The roles table of DESIGN.md as a table of pages: what each demo role gets on each page.

Read a row as "this page, for a record (unit, district, place) inside the role's scope":
the record pages are asked for a case of Margate Early Help Unit (the demo staff's unit,
held by the demo practitioner), its family, a person of it, its notification (which the
demo partner sent), one of its plan's outcomes and actions, a consent of that family, the
unit, its district (Thanet) and one of Thanet's step-down proposals. `test_scope_matrix`
asks every page as every role and compares the status with this table; it also asks each
page for a record outside the role's scope and wants 403 or 404 there.

What the rows say, role by role (DESIGN.md, "Users (roles)"; the policies in
`earlyhelp/*/policies.py` and `performance/figures_policies.py`):

- practitioner: the cases, families and notifications of their unit, and writes to their
  own case (not allocation, re-opening or the access list); break-glass; their own figures
  (the outcome tracker, not the scorecard, which reports org units).
- unitleader: their unit; allocates, re-opens, manages access lists, reviews break-glass;
  the scorecard of their unit. No district page (their scope is the unit).
- districtmanager / areamanager: their district / area, with the audit pages and subject
  access of their own scope and the step-down panel.
- triage: the front door: queue, notifications, triage, new notifications, search and the
  family/person records county-wide for matching. No case, no figures.
- analyst: the indicators county-wide, targets and figures, pseudonymised data. No named
  record anywhere (the cases behind a number are not listed for them).
- auditor: the cases sampled for audit. Case audits are not built yet: nothing but their
  own account pages.
- dpo (data protection officer): the audit pages and subject access county-wide, the access
  lists of every family, pseudonymised data. No case content.
- partner: only what they submitted, on the partner portal (the old `partner-notifications`
  address leads there): their drafts (one owned by the demo partner), the notifications
  they sent (the demo unit's notification) and how far each has got. No record page of the
  staff's site, not even of their own notification's family. The portal's start and
  sign-in pages are open to anyone; its other pages are for partner accounts only (every
  other role gets 403), and another partner's draft or notification is not found (404).
- admin: targets and figures, the indicators county-wide, the Django admin's organisation
  and users. No case content, no personal data (in the Django admin neither).
"""

from __future__ import annotations

ROLES = (
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

OK = 200  # the page (or the download)
GO = 302  # a redirect: to the role's own page, or (Django admin) to its sign-in
NO = 403  # refused: the role never does this
NF = 404  # not found: a record, unit or place the role may not see (or none for it)
XX = 405  # GET not allowed: the URL takes only a POST

# fmt: off
EXPECTED: dict[str, tuple[int, ...]] = {
    #                          prac unit dist area tria anal audi dpo  part admin
    # signing in, the home page, the account
    # (a partner's home is the partner portal's: what they sent)
    "home":                   (OK,  OK,  OK,  OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "login":                  (OK,  OK,  OK,  OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "logout":                 (XX,  XX,  XX,  XX,  XX,  XX,  XX,  XX,  XX,  XX),
    "healthz":                (OK,  OK,  OK,  OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "two-factor-verify":      (GO,  GO,  GO,  GO,  GO,  GO,  GO,  GO,  GO,  GO),
    "account":                (OK,  OK,  OK,  OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "two-factor-setup":       (OK,  OK,  OK,  OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "account-recovery-codes": (GO,  GO,  GO,  GO,  GO,  GO,  GO,  GO,  GO,  GO),
    # the front door
    "triage-queue":           (NO,  NO,  NO,  NO,  OK,  NO,  NO,  NO,  NO,  NO),
    "notification-new":       (NO,  NO,  NO,  NO,  OK,  NO,  NO,  NO,  NO,  NO),
    "notification":           (OK,  OK,  OK,  OK,  OK,  NF,  NF,  NF,  NF,  NF),
    "notification-link":      (XX,  XX,  XX,  XX,  XX,  XX,  XX,  XX,  XX,  XX),
    "notification-triage":    (NO,  NO,  NO,  NO,  OK,  NO,  NO,  NO,  NO,  NO),
    "notification-informed":  (NO,  NO,  NO,  NO,  OK,  NO,  NO,  NO,  NO,  NO),
    "search":                 (OK,  OK,  OK,  OK,  OK,  NO,  NO,  NO,  NO,  NO),
    # the case
    "case":                   (OK,  OK,  OK,  OK,  NF,  NF,  NF,  NF,  NF,  NF),
    "case-assessment":        (OK,  OK,  OK,  OK,  NF,  NF,  NF,  NF,  NF,  NF),
    "case-plan":              (OK,  OK,  OK,  OK,  NF,  NF,  NF,  NF,  NF,  NF),
    "case-plan-outcome-add":  (OK,  OK,  OK,  OK,  NF,  NF,  NF,  NF,  NF,  NF),
    "case-plan-action-add":   (OK,  OK,  OK,  OK,  NF,  NF,  NF,  NF,  NF,  NF),
    "case-plan-action":       (OK,  OK,  OK,  OK,  NF,  NF,  NF,  NF,  NF,  NF),
    "case-reviews":           (OK,  OK,  OK,  OK,  NF,  NF,  NF,  NF,  NF,  NF),
    "case-notes":             (OK,  OK,  OK,  OK,  NF,  NF,  NF,  NF,  NF,  NF),
    "case-close":             (OK,  OK,  OK,  OK,  NF,  NF,  NF,  NF,  NF,  NF),
    "case-step-up":           (OK,  OK,  OK,  OK,  NF,  NF,  NF,  NF,  NF,  NF),
    "case-allocate":          (NO,  OK,  OK,  OK,  NF,  NF,  NF,  NF,  NF,  NF),
    "case-reopen":            (NO,  OK,  OK,  OK,  NF,  NF,  NF,  NF,  NF,  NF),
    "case-history":           (OK,  OK,  OK,  OK,  NF,  NF,  NF,  NF,  NF,  NF),
    # families and people
    "family":                 (OK,  OK,  OK,  OK,  OK,  NF,  NF,  NF,  NF,  NF),
    "person":                 (OK,  OK,  OK,  OK,  OK,  NF,  NF,  NF,  NF,  NF),
    "person-edit":            (OK,  OK,  OK,  OK,  OK,  NF,  NF,  NF,  NF,  NF),
    "person-merge":           (OK,  OK,  OK,  OK,  OK,  NF,  NF,  NF,  NF,  NF),
    # keeping work moving
    "unit-meeting":           (OK,  OK,  OK,  OK,  NF,  NF,  NF,  NF,  NF,  NF),
    "my-unit":                (GO,  GO,  GO,  GO,  GO,  GO,  GO,  GO,  NF,  GO),
    "district":               (NF,  NF,  OK,  OK,  NF,  NF,  NF,  NF,  NF,  NF),
    "step-down-panel":        (NF,  OK,  OK,  OK,  OK,  NF,  NF,  NF,  NF,  NF),
    "step-down-propose":      (NF,  OK,  OK,  OK,  OK,  NF,  NF,  NF,  NF,  NF),
    "step-down-decide":       (NF,  OK,  OK,  OK,  OK,  NF,  NF,  NF,  NF,  NF),
    # the outcome tracker and the scorecard
    "scorecard":              (NO,  OK,  OK,  OK,  NO,  OK,  NO,  NO,  NO,  OK),
    "scorecard-csv":          (NO,  OK,  OK,  OK,  NO,  OK,  NO,  NO,  NO,  OK),
    "scorecard-xlsx":         (NO,  OK,  OK,  OK,  NO,  OK,  NO,  NO,  NO,  OK),
    "tracker-start":          (GO,  GO,  GO,  GO,  NO,  GO,  NO,  NO,  NO,  GO),
    "outcome-tracker":        (OK,  OK,  OK,  OK,  NO,  OK,  NO,  NO,  NO,  OK),
    "indicator":              (OK,  OK,  OK,  OK,  NO,  OK,  NO,  NO,  NO,  OK),
    "indicator-cases":        (OK,  OK,  OK,  OK,  NO,  OK,  NO,  NO,  NO,  OK),
    "methodology":            (OK,  OK,  OK,  OK,  NO,  OK,  NO,  NO,  NO,  OK),
    "methodology-download":   (OK,  OK,  OK,  OK,  NO,  OK,  NO,  NO,  NO,  OK),
    # targets and figures
    "targets":                (NO,  NO,  NO,  NO,  NO,  OK,  NO,  NO,  NO,  OK),
    "target-edit":            (NO,  NO,  NO,  NO,  NO,  OK,  NO,  NO,  NO,  OK),
    "figures-upload":         (NO,  NO,  NO,  NO,  NO,  OK,  NO,  NO,  NO,  OK),
    "figures-signoff":        (NO,  NO,  NO,  NO,  NO,  OK,  NO,  NO,  NO,  OK),
    # data protection
    "record-access-log":      (NO,  NO,  OK,  OK,  NO,  NO,  NO,  OK,  NO,  NO),
    "user-access-log":        (NO,  NO,  OK,  OK,  NO,  NO,  NO,  OK,  NO,  NO),
    "subject-access":         (NO,  NO,  OK,  OK,  NO,  NO,  NO,  OK,  NO,  NO),
    "break-glass-review":     (NO,  OK,  OK,  OK,  NO,  NO,  NO,  OK,  NO,  NO),
    "break-glass":            (OK,  OK,  OK,  OK,  NO,  NO,  NO,  NO,  NO,  NO),
    "consent-new":            (OK,  OK,  OK,  OK,  OK,  NF,  NF,  NF,  NF,  NF),
    "consent-withdraw":       (OK,  OK,  OK,  OK,  OK,  NF,  NF,  NF,  NF,  NF),
    "family-access-list":     (NO,  OK,  OK,  OK,  NO,  NF,  NF,  OK,  NF,  NF),
    "pseudonymised-data":     (NO,  NO,  NO,  NO,  NO,  OK,  NO,  OK,  NO,  NO),
    # the old address of the partners' list: it leads to the partner portal's list
    "partner-notifications":  (GO,  GO,  GO,  GO,  GO,  GO,  GO,  GO,  GO,  GO),
    # the partner portal: the start and sign-in pages are open to anyone; the rest is for
    # partner accounts only, and only their own drafts and notifications
    "portal-start":           (OK,  OK,  OK,  OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "portal-sign-in":         (OK,  OK,  OK,  OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "portal-code-request":    (OK,  OK,  OK,  OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "portal-code-enter":      (OK,  OK,  OK,  OK,  OK,  OK,  OK,  OK,  OK,  OK),
    "portal-organisation":    (NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  OK,  NO),
    "portal-home":            (NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  OK,  NO),
    "portal-new":             (NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  OK,  NO),
    "portal-about-you":       (NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  OK,  NO),
    "portal-child":           (NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  OK,  NO),
    "portal-family":          (NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  OK,  NO),
    "portal-concerns":        (NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  OK,  NO),
    "portal-tried":           (NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  OK,  NO),
    "portal-consent":         (NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  OK,  NO),
    "portal-urgency":         (NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  OK,  NO),
    "portal-check":           (NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  OK,  NO),
    "portal-draft-delete":    (NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  OK,  NO),
    "portal-restore":         (NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  OK,  NO),
    "portal-sent":            (NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  OK,  NO),
    "portal-notifications":   (NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  OK,  NO),
    "portal-notification":    (NO,  NO,  NO,  NO,  NO,  NO,  NO,  NO,  OK,  NO),
    # the Django admin: the organisation and users, never personal data or case content
    "admin:index":                          (GO, GO, GO, GO, GO, GO, GO, GO, GO, OK),
    "admin:organisation_orgunit_changelist": (GO, GO, GO, GO, GO, GO, GO, GO, GO, OK),
    "admin:organisation_user_changelist":   (GO, GO, GO, GO, GO, GO, GO, GO, GO, OK),
    "admin:performance_target_changelist":  (GO, GO, GO, GO, GO, GO, GO, GO, GO, OK),
    "admin:casework_case_changelist":       (GO, GO, GO, GO, GO, GO, GO, GO, GO, NO),
    "admin:casework_scsreferral_changelist": (GO, GO, GO, GO, GO, GO, GO, GO, GO, NO),
    "admin:frontdoor_notification_changelist": (GO, GO, GO, GO, GO, GO, GO, GO, GO, NO),
    "admin:people_family_changelist":       (GO, GO, GO, GO, GO, GO, GO, GO, GO, NO),
    "admin:people_person_changelist":       (GO, GO, GO, GO, GO, GO, GO, GO, GO, NO),
    "admin:people_relationship_changelist": (GO, GO, GO, GO, GO, GO, GO, GO, GO, NO),
    "admin:audit_caseevent_changelist":     (GO, GO, GO, GO, GO, GO, GO, GO, GO, NO),
    "admin:audit_accesslog_changelist":     (GO, GO, GO, GO, GO, GO, GO, GO, GO, NO),
    "admin:audit_changerecord_changelist":  (GO, GO, GO, GO, GO, GO, GO, GO, GO, NO),
}
# fmt: on

# The query a page is asked with, when the page shows a record only when asked for one
# (formatted with the references of the records inside the role's scope).
QUERIES = {
    "search": "?q={family_ref}",
    "record-access-log": "?ref={family_ref}",
    "user-access-log": "?username=practitioner",
    "subject-access": "?ref={person_ref}",
}

# Pages of personal data, and the field of the access-log row that must name the record
# when the page is shown (None: a row naming the user, for a list of several records).
LOGGED: dict[str, str | None] = {
    "notification": "family_id",
    "notification-triage": "family_id",
    "notification-informed": "family_id",
    "search": None,
    **{
        name: "case_id"
        for name in EXPECTED
        if name.startswith("case") and name != "case-plan-outcome-add"
    },
    "case-plan-outcome-add": "case_id",
    "family": "family_id",
    "person": "person_id",
    "person-edit": "person_id",
    "person-merge": "person_id",
    "unit-meeting": None,
    "step-down-decide": None,  # the proposal's child may not be matched to a person yet
    "indicator-cases": None,
    "record-access-log": "family_id",
    "user-access-log": None,
    "subject-access": "person_id",
    "break-glass-review": None,
    "consent-new": "family_id",
    "consent-withdraw": "family_id",
    # the partner portal: each child shown to the partner (the name as they typed it)
    "portal-home": None,
    "portal-notifications": None,
    "portal-notification": "family_id",
    "portal-sent": "family_id",
}
SHOWN = {OK}
# (role, page) shown without any personal data: the cases behind a number are not listed
# for analysts and administrators (a message says so), so nothing is logged.
UNNAMED = {("analyst", "indicator-cases"), ("admin", "indicator-cases")}

# (role, page) whose scope for that page is the whole county: no record is outside it.
BEYOND_SCOPE = {
    ("dpo", "family-access-list"),  # the DPO keeps every restricted family's access list
    ("triage", "consent-withdraw"),  # triage records consent for any family it matches
    ("triage", "step-down-decide"),  # triage sits on every district's step-down panel
    ("analyst", "outcome-tracker"),  # the indicators, county-wide
    ("admin", "outcome-tracker"),
}

# (role, page) that must not show the case's reference (no case content for the role) or
# the child's name (no named record for the role), on every page shown to the role.
CASE_BLIND = {
    (role, name)
    for role in ("triage", "analyst", "auditor", "dpo", "partner", "admin")
    for name in EXPECTED
} - {
    # which case a notification became is the outcome of triage, not the case's content
    ("triage", "notification"),
    ("triage", "notification-triage"),
    ("triage", "notification-informed"),
    # the audit names the records looked at
    ("dpo", "record-access-log"),
    ("dpo", "user-access-log"),
}
NAME_BLIND = {
    (role, name)
    for role in ("analyst", "auditor", "partner", "admin")
    for name in EXPECTED
    if (role, name) not in {("partner", "home")}  # the partner portal: what the partner sent
}

# Pages the table lists from the Django admin (its other pages are the admin's own).
ADMIN_PAGES = frozenset(name for name in EXPECTED if name.startswith("admin:"))
# URL patterns with a roles matrix of their own: the REST API's endpoints
# (earlyhelp/api/tests/test_api_scope_matrix.py).
ELSEWHERE = ("api",)


def is_unclassified_elsewhere(name: str, path: str) -> bool:
    """The REST API's endpoints (earlyhelp/api/tests/test_api_scope_matrix.py classifies them)."""
    return any(
        name.startswith((f"{prefix}-", f"{prefix}:")) or path.startswith(f"{prefix}/")
        for prefix in ELSEWHERE
    )
