"""Forms of the partner portal: signing in with a code, and the notification's questions.

The notification is asked one topic a page (`STEPS`). Each page's form only checks the
shape of what was typed (a real date, a known choice); what is required and what is
wrong comes from `domain.submissions.answer_errors` through `portal_errors`, for one page
or for all of them before sending, so the pages and the final check always agree.

A draft keeps the answers as JSON (`to_draft`): text as typed, a date as ISO (or its
three parts as typed while it is not a real date), yes/no as true/false (null if not
answered yet).
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms

from earlyhelp.domain.codes import Category, Sex, Source, label
from earlyhelp.domain.submissions import PARTNER_SOURCES, Answers, answer_errors
from earlyhelp.web.forms_triage import DateField

YES_NO = [("yes", "Yes"), ("no", "No")]
SEX_CHOICES = [(Sex.F.value, "Female"), (Sex.M.value, "Male"), (Sex.U.value, "Not known")]
SOURCE_CHOICES = [(s.value, label(s)) for s in PARTNER_SOURCES if s is not Source.SELF_OR_FAMILY]
CATEGORY_CHOICES = [
    (Category.STANDARD.value, "A request for early help"),
    (Category.MISSING_CHILD.value, "A child who has been missing (return interview)"),
    (Category.E_YOT.value, "A young person referred by the youth offending team (e-YOT)"),
]
# Messages that read better on these pages than the ones shared with the API.
PAGE_MESSAGES = {
    "child_sex": "Choose the child's sex, or Not known.",
    "family_consent": "Say whether the family agreed to this notification.",
}
UNANSWERED = {
    "share_outcome_consent": "Say whether the family agreed that we may tell you the outcome.",
    "urgent": "Say whether the child needs to be screened today.",
}
MAX_DRAFT_TEXT = 10_001  # one over the longest answer allowed: the page then says so


def _text(label_text: str, *, hint: str = "", width: int | None = None, **attrs: str) -> Any:
    widget_attrs = {**attrs, **({"width": str(width)} if width else {})}
    return forms.CharField(
        label=label_text,
        required=False,
        help_text=hint,
        strip=False,
        widget=forms.TextInput(attrs=widget_attrs),
    )


def _textarea(label_text: str, *, hint: str = "", rows: int = 8) -> Any:
    return forms.CharField(
        label=label_text,
        required=False,
        help_text=hint,
        strip=False,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _radios(label_text: str, choices: list[tuple[str, str]], *, hint: str = "") -> Any:
    return forms.ChoiceField(
        label=label_text,
        choices=choices,
        required=False,
        help_text=hint,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose one of the options."},
    )


class AboutYouForm(forms.Form):
    referrer_name = _text("Your full name", autocomplete="name")
    referrer_role = _text(
        "Your job title or role", hint="For example, designated safeguarding lead"
    )
    referrer_organisation = _text("The organisation you work for", autocomplete="organization")
    source = _radios("What kind of organisation is it?", SOURCE_CHOICES)
    referrer_email = _text(
        "Your email address",
        hint="We will tell you what happens to the notification at this address.",
        autocomplete="email",
    )
    referrer_phone = _text(
        "Your telephone number (optional)", width=20, autocomplete="tel", inputmode="tel"
    )


class ChildForm(forms.Form):
    child_given_name = _text("First name", autocomplete="off")
    child_family_name = _text("Last name", autocomplete="off")
    child_date_of_birth = DateField(
        label="Date of birth",
        required=False,
        help_text="For example, 27 3 2012. Leave it blank if you do not know it.",
    )
    child_sex = _radios("Sex", SEX_CHOICES)
    child_upn = _text(
        "Unique pupil number (optional)",
        hint="13 characters, from the school's records, for example A123456789012",
        width=20,
        autocomplete="off",
    )


class FamilyForm(forms.Form):
    parent_carer_name = _text(
        "Name of a parent or carer (optional)",
        hint="The person with parental responsibility we should contact",
        autocomplete="off",
    )
    address_line_1 = _text("Address line 1 (optional)", autocomplete="off")
    town = _text("Town or city (optional)", width=20, autocomplete="off")
    postcode = _text(
        "Postcode", hint="We use it to send the notification to the right district", width=10
    )


class ConcernsForm(forms.Form):
    category = _radios("What kind of notification is this?", CATEGORY_CHOICES)
    concerns = _textarea(
        "What are you worried about?",
        hint="Describe what you have seen or been told, how long it has been happening and "
        "how it affects the child. Do not include other children's details.",
    )


class TriedForm(forms.Form):
    what_has_been_tried = _textarea(
        "What has been tried so far? (optional)",
        hint="Support your organisation or others have already offered, and what happened.",
    )


class ConsentForm(forms.Form):
    family_consent = _radios(
        "Has the family agreed to this notification?",
        YES_NO,
        hint="Families should know about and agree to a request for early help, unless "
        "telling them would put a child at risk.",
    )
    share_outcome_consent = _radios(
        "Has the family agreed that we may tell you the outcome?",
        YES_NO,
        hint="If not, we will tell you when a decision is made, but not what it is.",
    )


class UrgencyForm(forms.Form):
    urgent = _radios(
        "Does the child need to be screened today?",
        YES_NO,
        hint="Notifications are screened within 2 working days. Say yes only if waiting "
        "would leave the child at risk of harm.",
    )


@dataclass(frozen=True, slots=True)
class Step:
    slug: str
    title: str
    form: type[forms.Form]

    @property
    def url_name(self) -> str:
        return f"portal-{self.slug}"

    @property
    def fields(self) -> list[str]:
        return list(self.form.base_fields)


STEPS = [
    Step("about-you", "About you", AboutYouForm),
    Step("child", "The child", ChildForm),
    Step("family", "The child's family", FamilyForm),
    Step("concerns", "Your concerns", ConcernsForm),
    Step("tried", "What has been tried", TriedForm),
    Step("consent", "Consent", ConsentForm),
    Step("urgency", "How urgent it is", UrgencyForm),
]
STEP_BY_SLUG = {s.slug: s for s in STEPS}
STEP_OF_FIELD = {name: s for s in STEPS for name in s.fields}
BOOLEAN_FIELDS = {"family_consent", "share_outcome_consent", "urgent"}
DATE_FIELDS = {"child_date_of_birth"}


# --- answers in a draft ------------------------------------------------------------------


def _draft_value(form: forms.Form, name: str) -> object:
    field = form.fields[name]
    raw = form[name].data
    if name in DATE_FIELDS:
        parts = [str(p or "").strip()[:10] for p in (raw or ["", "", ""])]
        if not any(parts):
            return None
        try:
            value = field.clean(parts)
        except forms.ValidationError:
            return parts
        return value.isoformat() if value else None
    if name in BOOLEAN_FIELDS:
        return {"yes": True, "no": False}.get(str(raw or ""))
    return _storable(str(raw or ""))[:MAX_DRAFT_TEXT]


def _storable(text: str) -> str:
    """Without NUL and other control characters (PostgreSQL's JSON refuses NUL): a draft
    keeps what can be kept; the page still says what is wrong when it is checked."""
    return "".join(c for c in text if c in "\n\r\t" or unicodedata.category(c) not in {"Cc", "Cs"})


def to_draft(form: forms.Form) -> dict[str, object]:
    """What the page's form holds, as the draft keeps it (valid or not: nothing is lost)."""
    return {name: _draft_value(form, name) for name in form.fields}


def initial_from_draft(step: Step, answers: dict[str, object]) -> dict[str, object]:
    initial: dict[str, object] = {}
    for name in step.fields:
        value = answers.get(name)
        if name in DATE_FIELDS and isinstance(value, str):
            initial[name] = _date(value)
        elif name in BOOLEAN_FIELDS:
            initial[name] = {True: "yes", False: "no"}.get(value)  # type: ignore[call-overload]
        elif value is not None:
            initial[name] = value
    return initial


def _date(value: object) -> date | None:
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return None


def answers_of(data: dict[str, object]) -> Answers:
    """The draft's answers as the service takes them (what is missing left empty)."""

    def text(name: str) -> str:
        value = data.get(name)
        return value if isinstance(value, str) else ""

    return Answers(
        **{name: text(name) for name in TEXT_FIELDS},
        child_date_of_birth=_date(data.get("child_date_of_birth"))
        if isinstance(data.get("child_date_of_birth"), str)
        else None,
        family_consent=data.get("family_consent")
        if isinstance(data.get("family_consent"), bool)
        else None,
        share_outcome_consent=data.get("share_outcome_consent") is True,
        urgent=data.get("urgent") is True,
        category=text("category") or Category.STANDARD.value,
    )


TEXT_FIELDS = [
    name
    for name in Answers.field_names()
    if name not in BOOLEAN_FIELDS | DATE_FIELDS | {"category", "district_code"}
]


def portal_errors(data: dict[str, object], *, today: date) -> dict[str, str]:
    """Every answer of the draft that is missing or wrong, in the order of the pages."""
    errors = {
        name: PAGE_MESSAGES.get(name, message)
        for name, message in answer_errors(answers_of(data), today=today).items()
    }
    if isinstance(data.get("child_date_of_birth"), list):
        errors["child_date_of_birth"] = "Date of birth must be a real date, like 27 3 2012."
    if not data.get("category"):
        errors["category"] = "Choose what kind of notification this is."
    for name, message in UNANSWERED.items():
        if not isinstance(data.get(name), bool):
            errors[name] = message
    order = [name for s in STEPS for name in s.fields]
    return {name: errors[name] for name in order if name in errors}


# --- signing in with a code and the organisation ------------------------------------------


class CodeRequestForm(forms.Form):
    email = forms.CharField(
        label="Email address",
        help_text="Use your work email address.",
        max_length=254,
        error_messages={
            "required": "Enter your email address.",
            "max_length": "Use 254 characters or fewer.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "email"}),
    )


class CodeEnterForm(forms.Form):
    code = forms.CharField(
        label="Code",
        help_text="The 6 numbers in the email, for example 123456",
        max_length=20,
        error_messages={"required": "Enter the code from the email."},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "width": "5"}
        ),
    )


class OrganisationForm(forms.Form):
    partner_organisation = forms.CharField(
        label="The organisation you work for",
        help_text="For example, Margate Academy or Kent Police",
        required=False,
        strip=False,
        widget=forms.TextInput(attrs={"autocomplete": "organization"}),
    )
    partner_source = _radios("What kind of organisation is it?", SOURCE_CHOICES)
