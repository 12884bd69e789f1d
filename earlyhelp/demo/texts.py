"""Synthetic wording for notifications, assessments, plans, reviews and case notes.

Plain practice language in the Kent Family Support Framework's own terms (the family's
view, the voice of the child, worries / what's working well / what needs to happen, a
0–10 scale). It does not use the wording of any licensed outcome-measurement tool.
`{child}` and `{parent}` are filled with the family's synthetic first names.
"""

from __future__ import annotations

import random

REASONS = {
    "SCHOOL": (
        "{child}'s attendance has fallen to {pct}% this term and {child} is often late.",
        "{child} has become withdrawn in class and has told staff that home is difficult.",
        "Staff are worried about {child}'s behaviour: two fixed-term exclusions this year.",
        "{parent} asked the school for help with {child}'s behaviour at home.",
    ),
    "EARLY_YEARS": (
        "{child} is not meeting expected milestones in speech and language.",
        "{parent} seems isolated and low in mood at drop-off; the setting suggested support.",
    ),
    "HEALTH": (
        "The health visitor is concerned about {parent}'s low mood and {child}'s routines.",
        "{child} has missed several appointments; the school nurse suggested early help.",
        "GP reports {parent} is struggling to cope following a bereavement.",
    ),
    "POLICE": (
        "Police attended a verbal argument at the address; {child} was present.",
        "Neighbour dispute and anti-social behaviour involving {child}.",
    ),
    "SCS": ("Contact to the Central Duty Team did not meet the threshold for social care.",),
    "SELF_OR_FAMILY": (
        "{parent} is asking for help with {child}'s anger and with family arguments.",
        "{parent} would like support with routines and boundaries at home.",
    ),
    "LA_SERVICE": ("Housing arrears and a risk of eviction; the family asked for support.",),
    "VOLUNTARY": (
        "The food bank referred the family: debt and low income are affecting the children.",
    ),
    "HOUSING": (
        "Overcrowded accommodation; the family is under stress and the children share one room.",
    ),
    "OTHER": ("A family friend raised concerns about {child}'s wellbeing.",),
}
CATEGORY_REASONS = {
    "MISSING_CHILD": ("{child} was reported missing overnight and returned the next morning.",),
    "E_YOT": ("{child} was arrested for shoplifting; police referred through e-YOT.",),
    "SCS_STEP_DOWN": (
        "Stepped down from Specialist Children's Services at the district panel: "
        "the child in need plan has ended and the family agreed to early help.",
    ),
}
TRIED = (
    "Conversations with {parent}; pastoral support in school.",
    "School nurse appointments; a parenting leaflet.",
    "Nothing formal yet.",
    "Attendance meetings with {parent}.",
)

ASSESSMENT = {
    "child_development": (
        "{child} is healthy and growing well; sleep is poor and {child} is often tired.",
        "{child} is behind with reading and finds friendships hard.",
        "{child} has a speech delay and is waiting for a speech and language appointment.",
    ),
    "parenting_capacity": (
        "{parent} loves the children and wants help with routines and boundaries.",
        "{parent} finds it hard to say no and the evenings often end in arguments.",
        "{parent} is managing but is tired and sometimes overwhelmed.",
    ),
    "family_environment": (
        "The family lives in a two-bedroom flat; money is tight and there are debts.",
        "Extended family live nearby and help with school runs.",
        "{parent} has few friends locally since moving to the area.",
    ),
    "family_view": (
        "{parent} says: 'We need things to calm down at home.'",
        "{parent} wants {child} back in school every day and feels let down in the past.",
    ),
    "child_voice": (
        "{child} said: 'I want my mum to be less stressed.'",
        "{child} drew the family together at the park and said weekends are the best.",
        "{child} said school is boring but likes seeing friends at lunchtime.",
    ),
    "worries": (
        "Arguments at home are frequent and {child} sees them.",
        "{child} is missing school and falling behind.",
        "{parent}'s low mood means the children's routines slip.",
    ),
    "working_well": (
        "{parent} is open with us and keeps appointments.",
        "The children are warm and close to each other.",
        "The school knows the family well and wants to help.",
    ),
    "needs_to_happen": (
        "A clear morning routine so that {child} gets to school on time.",
        "{parent} to see the GP about low mood and join a parenting group.",
        "Help with budgeting and the rent arrears.",
    ),
}
OUTCOMES = (
    "{child} goes to school every day and on time.",
    "Calmer evenings at home with a bedtime routine that works.",
    "{parent} feels more confident handling {child}'s behaviour.",
    "The family's money is under control and the rent is paid.",
    "{child} has a trusted adult at school to talk to.",
    "{parent} gets support for their own wellbeing.",
)
ACTIONS = (
    ("Go to an 8-week parenting group at the children's centre", "{parent}"),
    ("Set up a morning routine chart with {child}", "{parent}"),
    ("Weekly check-in with {child}", "School"),
    ("Book a GP appointment", "{parent}"),
    ("Refer to debt advice", "Early Help worker"),
    ("One-to-one sessions with {child}", "Early Help worker"),
    ("Attend the youth hub's Thursday group", "{child}"),
    ("Attendance meeting with {parent}", "School"),
)
REVIEW = (
    "Good progress: attendance up and mornings calmer. Plan continues.",
    "Some progress; arrears plan agreed. Two actions carried forward.",
    "Little change yet; family keen to keep going. Plan adjusted.",
    "Outcomes mostly met; we agreed to plan the ending of our work.",
)
NOTES = {
    "HOME_VISIT": (
        "Home visit: saw {parent} and {child}; talked through the week.",
        "Home visit: worked on the routine chart with {child}.",
    ),
    "OFFICE_VISIT": ("{parent} came to the office; went through the budget together.",),
    "PHONE_CALL": (
        "Phone call with {parent}: mornings better this week.",
        "Phone call with {parent}: a difficult weekend; visit booked.",
    ),
    "SCHOOL_VISIT": ("Saw {child} at school: says things are a bit better at home.",),
    "PROFESSIONAL_CONTACT": ("Spoke to the school's family liaison officer about attendance.",),
    "MEETING": ("Team around the family meeting held; actions agreed.",),
    "CASE_RECORDING": ("Chronology updated.",),
    "MANAGEMENT_OVERSIGHT": ("Case discussed in supervision: plan on track; next review booked.",),
}
CLOSURE = {
    "OUTCOMES_ACHIEVED": "The family's outcomes were met; they know how to ask for help again.",
    "OUTCOMES_ACHIEVED_OPEN_ACCESS": (
        "Outcomes met; {child} continues at the youth hub / children's centre sessions."
    ),
    "OUTCOMES_PARTLY_ACHIEVED": "Most outcomes met; the school will keep supporting {child}.",
    "OUTCOMES_NOT_ACHIEVED": "Outcomes not met; the family was signposted to other services.",
    "STEP_UP_SCS": "Worries escalated; referred to Specialist Children's Services.",
    "CONSENT_WITHDRAWN": "{parent} withdrew consent; the unit leader agreed the closure.",
    "MOVED_AWAY": "The family moved out of Kent; details sent to the new authority.",
    "TRANSFERRED": "Transferred to another service that can better meet the family's needs.",
    "CLOSED_IN_ERROR": "Opened in error: duplicate of another record.",
}
DECISIONS = {
    "ASSESS_EHU": "Level 3 needs; allocate to the Early Help Unit for assessment.",
    "ASSESS_OPEN_ACCESS": "Level 2 needs; targeted open access support with an assessment.",
    "OPEN_ACCESS": "Signposted to open access sessions and universal services.",
    "COMMISSIONED": "Referred to a commissioned family support service.",
    "STEP_UP_SCS": "Level 4 needs: referred to Specialist Children's Services.",
    "ALREADY_OPEN": "The family is already open to early help: linked to the open case.",
    "NFA": "No further action: the school's support is enough for now.",
}
SCS_REASON = "Significant harm cannot be ruled out; referred to the Central Duty Team."


def fill(template: str, child: str, parent: str, rng: random.Random | None = None) -> str:
    pct = rng.randint(70, 88) if rng is not None and "{pct}" in template else 80
    return template.format(child=child, parent=parent, pct=pct)


def pick(rng: random.Random, options: tuple[str, ...], child: str, parent: str) -> str:
    return fill(options[int(rng.random() * len(options))], child, parent, rng)
