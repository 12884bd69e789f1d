"""Code lists of the interchange format (spec/interchange.md) and of the live workflow.

Each list is a `StrEnum` so that a code is its own string in the database and in files.
`LABELS` gives the words shown to people.
"""

from __future__ import annotations

from enum import StrEnum


class OrgKind(StrEnum):
    COUNTY = "COUNTY"
    AREA = "AREA"
    DISTRICT = "DISTRICT"
    UNIT = "UNIT"


class Service(StrEnum):
    EARLY_HELP_UNIT = "EARLY_HELP_UNIT"
    TRIAGE = "TRIAGE"
    YOUTH_JUSTICE = "YOUTH_JUSTICE"
    YOUTH_HUB = "YOUTH_HUB"
    CHILDRENS_CENTRE = "CHILDRENS_CENTRE"
    INCLUSION_ATTENDANCE = "INCLUSION_ATTENDANCE"
    COMMISSIONED = "COMMISSIONED"


class WorkerRole(StrEnum):
    PRACTITIONER = "PRACTITIONER"
    SENIOR_PRACTITIONER = "SENIOR_PRACTITIONER"
    UNIT_LEADER = "UNIT_LEADER"
    TRIAGE_OFFICER = "TRIAGE_OFFICER"
    BUSINESS_SUPPORT = "BUSINESS_SUPPORT"
    MANAGER = "MANAGER"


CASEHOLDING_ROLES = frozenset({WorkerRole.PRACTITIONER, WorkerRole.SENIOR_PRACTITIONER})


class UserRole(StrEnum):
    """What a signed-in person may do: the roles table of DESIGN.md."""

    TRIAGE_OFFICER = "TRIAGE_OFFICER"
    PRACTITIONER = "PRACTITIONER"
    UNIT_LEADER = "UNIT_LEADER"
    MANAGER = "MANAGER"
    ANALYST = "ANALYST"
    QA_AUDITOR = "QA_AUDITOR"
    PARTNER = "PARTNER"
    ADMINISTRATOR = "ADMINISTRATOR"
    DATA_PROTECTION_OFFICER = "DATA_PROTECTION_OFFICER"


class Sex(StrEnum):
    F = "F"
    M = "M"
    U = "U"


class RoleInFamily(StrEnum):
    CHILD = "CHILD"
    PARENT_CARER = "PARENT_CARER"
    OTHER_ADULT = "OTHER_ADULT"


class Ethnicity(StrEnum):
    WBRI = "WBRI"
    WIRI = "WIRI"
    WIRT = "WIRT"
    WOTH = "WOTH"
    WROM = "WROM"
    MWBC = "MWBC"
    MWBA = "MWBA"
    MWAS = "MWAS"
    MOTH = "MOTH"
    AIND = "AIND"
    APKN = "APKN"
    ABAN = "ABAN"
    AOTH = "AOTH"
    BCRB = "BCRB"
    BAFR = "BAFR"
    BOTH = "BOTH"
    CHNE = "CHNE"
    OOTH = "OOTH"
    REFU = "REFU"
    NOBT = "NOBT"


class RelationshipKind(StrEnum):
    PARENT_OF = "PARENT_OF"
    STEP_PARENT_OF = "STEP_PARENT_OF"
    SIBLING_OF = "SIBLING_OF"
    PARTNER_OF = "PARTNER_OF"
    GRANDPARENT_OF = "GRANDPARENT_OF"
    CARER_OF = "CARER_OF"
    OTHER = "OTHER"


class Source(StrEnum):
    SCHOOL = "SCHOOL"
    EARLY_YEARS = "EARLY_YEARS"
    HEALTH = "HEALTH"
    POLICE = "POLICE"
    SCS = "SCS"
    SELF_OR_FAMILY = "SELF_OR_FAMILY"
    LA_SERVICE = "LA_SERVICE"
    VOLUNTARY = "VOLUNTARY"
    HOUSING = "HOUSING"
    OTHER = "OTHER"


class Category(StrEnum):
    STANDARD = "STANDARD"
    MISSING_CHILD = "MISSING_CHILD"
    E_YOT = "E_YOT"
    SCS_STEP_DOWN = "SCS_STEP_DOWN"


SAME_DAY_CATEGORIES = frozenset({Category.MISSING_CHILD, Category.E_YOT})


class TriageDecision(StrEnum):
    ASSESS_EHU = "ASSESS_EHU"
    ASSESS_OPEN_ACCESS = "ASSESS_OPEN_ACCESS"
    OPEN_ACCESS = "OPEN_ACCESS"
    COMMISSIONED = "COMMISSIONED"
    STEP_UP_SCS = "STEP_UP_SCS"
    ALREADY_OPEN = "ALREADY_OPEN"
    NFA = "NFA"


ASSESSMENT_DECISIONS = frozenset({TriageDecision.ASSESS_EHU, TriageDecision.ASSESS_OPEN_ACCESS})


class ClosureReason(StrEnum):
    OUTCOMES_ACHIEVED = "OUTCOMES_ACHIEVED"
    OUTCOMES_ACHIEVED_OPEN_ACCESS = "OUTCOMES_ACHIEVED_OPEN_ACCESS"
    OUTCOMES_PARTLY_ACHIEVED = "OUTCOMES_PARTLY_ACHIEVED"
    OUTCOMES_NOT_ACHIEVED = "OUTCOMES_NOT_ACHIEVED"
    STEP_UP_SCS = "STEP_UP_SCS"
    CONSENT_WITHDRAWN = "CONSENT_WITHDRAWN"
    MOVED_AWAY = "MOVED_AWAY"
    TRANSFERRED = "TRANSFERRED"
    CLOSED_IN_ERROR = "CLOSED_IN_ERROR"


POSITIVE_CLOSURES = frozenset(
    {ClosureReason.OUTCOMES_ACHIEVED, ClosureReason.OUTCOMES_ACHIEVED_OPEN_ACCESS}
)
ADMINISTRATIVE_CLOSURES = frozenset(
    {ClosureReason.MOVED_AWAY, ClosureReason.TRANSFERRED, ClosureReason.CLOSED_IN_ERROR}
)
CLOSURES_NEEDING_AUTHORISATION = frozenset({ClosureReason.CONSENT_WITHDRAWN})


class ContextMeasure(StrEnum):
    SCS_CLOSURES = "SCS_CLOSURES"


class NoteKind(StrEnum):
    """Case notes: the first four are contact with the family (they stop drift)."""

    HOME_VISIT = "HOME_VISIT"
    OFFICE_VISIT = "OFFICE_VISIT"
    PHONE_CALL = "PHONE_CALL"
    SCHOOL_VISIT = "SCHOOL_VISIT"
    PROFESSIONAL_CONTACT = "PROFESSIONAL_CONTACT"
    MEETING = "MEETING"
    CASE_RECORDING = "CASE_RECORDING"
    MANAGEMENT_OVERSIGHT = "MANAGEMENT_OVERSIGHT"


CONTACT_NOTE_KINDS = frozenset(
    {NoteKind.HOME_VISIT, NoteKind.OFFICE_VISIT, NoteKind.PHONE_CALL, NoteKind.SCHOOL_VISIT}
)


class ActionStatus(StrEnum):
    NOT_STARTED = "NOT_STARTED"
    IN_PROGRESS = "IN_PROGRESS"
    DONE = "DONE"
    NO_LONGER_NEEDED = "NO_LONGER_NEEDED"


class ConsentPurpose(StrEnum):
    """What a family has agreed may be shared, and with whom (consent per family and purpose)."""

    SHARE_WITH_REFERRER = "SHARE_WITH_REFERRER"
    SHARE_WITH_PARTNERS = "SHARE_WITH_PARTNERS"
    SHARE_WITH_SCHOOL = "SHARE_WITH_SCHOOL"
    SHARE_WITH_HEALTH = "SHARE_WITH_HEALTH"


class ThresholdLevel(int):
    """KSCB Inter-Agency Threshold levels of need 1-4."""


THRESHOLD_LEVELS = {1: "Universal", 2: "Additional", 3: "Intensive", 4: "Specialist"}


LABELS: dict[str, str] = {
    # services
    "EARLY_HELP_UNIT": "Early Help Unit",
    "TRIAGE": "Early Help Triage",
    "YOUTH_JUSTICE": "Youth Justice",
    "YOUTH_HUB": "Youth Hub",
    "CHILDRENS_CENTRE": "Children's Centre",
    "INCLUSION_ATTENDANCE": "PRU, Inclusion and Attendance",
    "COMMISSIONED": "Commissioned service",
    # sources
    "SCHOOL": "School",
    "EARLY_YEARS": "Early years setting",
    "HEALTH": "Health",
    "POLICE": "Police",
    "SCS": "Specialist Children's Services",
    "SELF_OR_FAMILY": "Self or family",
    "LA_SERVICE": "Local authority service",
    "VOLUNTARY": "Voluntary organisation",
    "HOUSING": "Housing",
    "OTHER": "Other",
    # categories
    "STANDARD": "Standard",
    "MISSING_CHILD": "Missing child (police)",
    "E_YOT": "e-YOT (police)",
    "SCS_STEP_DOWN": "Step-down from SCS",
    # triage decisions
    "ASSESS_EHU": "Early Help Unit casework, with assessment",
    "ASSESS_OPEN_ACCESS": "Targeted open access, with assessment",
    "OPEN_ACCESS": "Signposted to open access or universal services",
    "STEP_UP_SCS": "Step up to Specialist Children's Services",
    "ALREADY_OPEN": "Linked to a case already open",
    "NFA": "No further action",
    # closure reasons
    "OUTCOMES_ACHIEVED": "Outcomes achieved",
    "OUTCOMES_ACHIEVED_OPEN_ACCESS": "Outcomes achieved, support continues in open access",
    "OUTCOMES_PARTLY_ACHIEVED": "Outcomes partly achieved",
    "OUTCOMES_NOT_ACHIEVED": "Outcomes not achieved",
    "CONSENT_WITHDRAWN": "Consent withdrawn",
    "MOVED_AWAY": "Moved away",
    "TRANSFERRED": "Transferred",
    "CLOSED_IN_ERROR": "Closed in error",
    # consent purposes
    "SHARE_WITH_REFERRER": "Tell the referrer what happened to the notification",
    "SHARE_WITH_PARTNERS": "Share information with named partner agencies",
    "SHARE_WITH_SCHOOL": "Share information with the children's school",
    "SHARE_WITH_HEALTH": "Share information with health services",
}


def label(code: str) -> str:
    return LABELS.get(code, code.replace("_", " ").capitalize())


def choices(enum: type[StrEnum]) -> list[tuple[str, str]]:
    """(value, label) pairs for a model or form field."""
    return [(member.value, label(member.value)) for member in enum]
