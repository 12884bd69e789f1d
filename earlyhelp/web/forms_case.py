"""Forms of the case pages: they check the shape of the input; the services decide the rest."""

from __future__ import annotations

import copy
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.core import signing
from django.db import models
from django.utils.formats import date_format

from earlyhelp.casework.services.plan import ActionInput, OutcomeInput
from earlyhelp.common.snapshots import snapshot
from earlyhelp.domain.codes import ActionStatus, ClosureReason, NoteKind, choices
from earlyhelp.domain.codes import label as code_label
from earlyhelp.web.fields import GovukDateField

SCALE_CHOICES = [(n, str(n)) for n in range(11)]
SCALE_HINT = (
    "0 means the family needs children's social care; 10 means the child's wellbeing "
    "and safety are secure. Record the number only."
)
ACTION_ROWS = 3  # blank action rows offered under each outcome of a new plan
MAX_OUTCOMES = 10
_SEEN_SALT = "earlyhelp.web.seen"


class CaseDateField(GovukDateField):
    """A GOV.UK date whose messages read "Enter the date …" and can name the row it is in."""

    def __init__(self, *, called: str = "", **kwargs: Any) -> None:
        label = str(kwargs.get("label") or "date")
        self.called = called or f"the {label[0].lower()}{label[1:]}"
        kwargs["error_messages"] = {
            "required": f"Enter {self.called}.",
            "incomplete": f"{self._called()} must include a day, month and year.",
        }
        super().__init__(**kwargs)

    def _called(self) -> str:
        return self.called[0].upper() + self.called[1:]

    def compress(self, data_list: list[str]) -> date | None:
        label, self.label = self.label, self._called()
        try:
            return super().compress(data_list)
        finally:
            self.label = label

    def validate(self, value: date | None) -> None:
        if self.required and value is None:
            raise forms.ValidationError(f"Enter {self.called}.")


def _text(label: str, message: str = "", *, help_text: str = "", rows: int = 5) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=bool(message),
        error_messages={"required": message},
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _scale(label: str) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=SCALE_CHOICES,
        coerce=int,
        empty_value=None,
        required=False,
        help_text=SCALE_HINT,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose a number from 0 to 10."},
    )


@dataclass(frozen=True)
class StaleRow:
    """One field someone else changed: its name, what the user saw, what is there now."""

    label: str
    seen: str
    now: str


class VersionedForm(forms.Form):
    """A form that edits a record: the version it was read at, and the values then seen.

    The values seen travel signed in one hidden field, so that when someone else saved
    first the page can show what they changed (what you saw, what is there now).
    """

    version = forms.IntegerField(widget=forms.HiddenInput)
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    @staticmethod
    def versioned_initial(record: models.Model, **initial: object) -> dict[str, object]:
        version = record.version  # type: ignore[attr-defined]
        values = {"version": version, "values": snapshot(record)}
        return {
            "version": version,
            "seen": signing.dumps(values, salt=_SEEN_SALT, compress=True),
            **initial,
        }

    def as_seen(self, record: models.Model) -> models.Model:
        """`record` as the user saw it, when their version is not the current one.

        Only then: the service refuses a stale version whatever the copy says, and lists
        the differences between the copy and what is stored now.
        """
        version = self.cleaned_data["version"]
        if version == record.version:  # type: ignore[attr-defined]
            return record
        try:
            seen = signing.loads(self.cleaned_data.get("seen") or "", salt=_SEEN_SALT)
        except signing.BadSignature:
            return record
        if seen.get("version") != version:
            return record
        copied = copy.copy(record)
        for name, value in seen["values"].items():
            setattr(copied, name, value)
        return copied

    def after_refusal(self, record: models.Model) -> None:
        """After a stale save: keep what was typed, now based on `record`, and list changes."""
        changes = getattr(self, "stale_changes", None)
        if changes is None:
            return
        fresh = self.versioned_initial(record)
        self.data = self.data.copy()
        self.data["version"] = str(fresh["version"])
        self.data["seen"] = str(fresh["seen"])
        self.stale_rows = [
            StaleRow(
                self._label(type(record), name), *(_shown(type(record), name, v) for v in pair)
            )
            for name, pair in changes.items()
        ]

    def _label(self, model: type[models.Model], name: str) -> str:
        if name in self.fields:
            return str(self.fields[name].label)
        field = _model_field(model, name)
        text = str(field.verbose_name) if field else name.replace("_", " ")
        return text[0].upper() + text[1:]


def _model_field(model: type[models.Model], attname: str) -> models.Field | None:
    return next((f for f in model._meta.concrete_fields if f.attname == attname), None)


def _shown(model: type[models.Model], name: str, value: object) -> str:
    """A stored value in words: codes as labels, dates written out, links by name."""
    if value is None or value == "":
        return "Not recorded"
    field = _model_field(model, name)
    if field is not None and field.choices:
        return code_label(str(value))
    if isinstance(field, models.DateField) and isinstance(value, str):
        return date_format(date.fromisoformat(value), "j F Y")
    if isinstance(field, models.ForeignKey):
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related else str(value)
    return str(value)


def unbound_copy(form: forms.Form, **kwargs: Any) -> forms.Form:
    """A fresh unbound form showing what was typed into `form` (no errors shown)."""
    initial = {
        name: field.widget.value_from_datadict(form.data, form.files, form.add_prefix(name))
        for name, field in form.fields.items()
    }
    return type(form)(initial=initial, **kwargs)


# --- assessment -----------------------------------------------------------------------------


class StartAssessmentForm(VersionedForm):
    started_on = CaseDateField(label="Date the assessment started")


ASSESSMENT_SECTIONS = (
    ("The family's needs", ("child_development", "parenting_capacity", "family_environment")),
    ("Views", ("family_view", "child_voice")),
    ("Signs of Safety mapping", ("worries", "working_well", "needs_to_happen", "scale")),
)


class AssessmentForm(VersionedForm):
    child_development = _text("Child's developmental needs")
    parenting_capacity = _text("Parenting capacity")
    family_environment = _text("Family and environmental factors")
    family_view = _text(
        "The family's own view", help_text="What the family say they need, in their words."
    )
    child_voice = _text(
        "The voice of the child",
        help_text="What each child says or shows about their life, in their words where you can.",
    )
    worries = _text("What are we worried about?")
    working_well = _text("What's working well?")
    needs_to_happen = _text("What needs to happen?")
    scale = _scale("Signs of Safety scale")
    completed_on = CaseDateField(
        label="Date the assessment was completed",
        required=False,
        help_text="Only when you complete the assessment. For example, 27 3 2016",
    )

    def __init__(self, *args: Any, completing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.completing = completing

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.completing and "completed_on" in cleaned and cleaned["completed_on"] is None:
            self.add_error("completed_on", "Enter the date the assessment was completed.")
        return cleaned

    def content(self) -> dict[str, object]:
        return {n: self.cleaned_data[n] for n in self.fields if n not in _NOT_CONTENT}

    def sections(self) -> list[tuple[str, list[forms.BoundField]]]:
        return [(title, [self[n] for n in names]) for title, names in ASSESSMENT_SECTIONS]


_NOT_CONTENT = {"version", "seen", "completed_on"}


# --- the family plan ------------------------------------------------------------------------


@dataclass(frozen=True)
class ActionRow:
    legend: str
    description: forms.BoundField
    owner: forms.BoundField
    due_on: forms.BoundField


@dataclass(frozen=True)
class OutcomeRows:
    number: int
    description: forms.BoundField
    actions: list[ActionRow]


def _action_fields(prefix: str, called: str) -> dict[str, forms.Field]:
    return {
        f"{prefix}-description": forms.CharField(
            label="What will be done", required=False, widget=forms.Textarea(attrs={"rows": 2})
        ),
        f"{prefix}-owner": forms.CharField(
            label="Who will do it",
            required=False,
            help_text="A family member or an agency",
            max_length=200,
        ),
        f"{prefix}-due_on": CaseDateField(
            label="Date due", required=False, called=f"the date {called} is due"
        ),
    }


class OutcomesForm(VersionedForm):
    """Outcomes the family want, each with a few rows of actions (blank rows are ignored)."""

    outcome_count = forms.IntegerField(widget=forms.HiddenInput, required=False)
    action_rows = ACTION_ROWS

    def __init__(self, *args: Any, outcome_count: int = 1, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.outcome_count = max(1, min(outcome_count, MAX_OUTCOMES))
        self.initial["outcome_count"] = self.outcome_count
        for i in range(1, self.outcome_count + 1):
            self.fields[f"outcomes-{i}-description"] = _text(
                f"Outcome {i}", help_text="What the family want to achieve, in their words", rows=2
            )
            for j in range(1, self.action_rows + 1):
                self.fields.update(
                    _action_fields(f"outcomes-{i}-actions-{j}", f"action {j} of outcome {i}")
                )
        self.field_map: dict[str, str] = {}

    @staticmethod
    def count_in(data: Any) -> int:
        try:
            return int(data.get("outcome_count") or 1)
        except ValueError:
            return 1

    def rows(self) -> list[OutcomeRows]:
        return [
            OutcomeRows(
                number=i,
                description=self[f"outcomes-{i}-description"],
                actions=[
                    ActionRow(
                        legend=f"Action {j}"
                        if i == 1 and self.outcome_count == 1
                        else f"Action {j} of outcome {i}",
                        description=self[f"outcomes-{i}-actions-{j}-description"],
                        owner=self[f"outcomes-{i}-actions-{j}-owner"],
                        due_on=self[f"outcomes-{i}-actions-{j}-due_on"],
                    )
                    for j in range(1, self.action_rows + 1)
                ],
            )
            for i in range(1, self.outcome_count + 1)
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        for i in range(1, self.outcome_count + 1):
            self._clean_outcome(cleaned, i)
        return cleaned

    def _clean_outcome(self, cleaned: dict[str, Any], i: int) -> None:
        started = [j for j in range(1, self.action_rows + 1) if self._row_started(i, j)]
        described = bool(cleaned.get(f"outcomes-{i}-description", "").strip())
        if i > 1 and not described and not started:
            return  # a blank extra outcome
        if not described:
            self.add_error(f"outcomes-{i}-description", f"Describe outcome {i}.")
        if not started:
            self.add_error(
                f"outcomes-{i}-actions-1-description", f"Add at least one action to outcome {i}."
            )
        for j in started:
            self._clean_row(cleaned, i, j)

    def _row_started(self, i: int, j: int) -> bool:
        prefix = f"outcomes-{i}-actions-{j}"
        parts = [self.data.get(f"{prefix}-{n}", "") for n in ("description", "owner")]
        parts += [self.data.get(f"{prefix}-due_on_{k}", "") for k in range(3)]
        return any(str(p).strip() for p in parts)

    def _clean_row(self, cleaned: dict[str, Any], i: int, j: int) -> None:
        prefix = f"outcomes-{i}-actions-{j}"
        where = f"action {j} of outcome {i}"
        if not cleaned.get(f"{prefix}-description", "").strip():
            self.add_error(f"{prefix}-description", f"Describe {where}.")
        if not cleaned.get(f"{prefix}-owner", "").strip():
            self.add_error(f"{prefix}-owner", f"Say who will do {where}.")
        if f"{prefix}-due_on" in cleaned and cleaned[f"{prefix}-due_on"] is None:
            self.add_error(f"{prefix}-due_on", f"Enter the date {where} is due.")

    def outcomes(self) -> list[OutcomeInput]:
        """The outcomes typed, for the service; `field_map` maps its error keys to fields."""
        result: list[OutcomeInput] = []
        for i in range(1, self.outcome_count + 1):
            description = self.cleaned_data.get(f"outcomes-{i}-description", "")
            started = [j for j in range(1, self.action_rows + 1) if self._row_started(i, j)]
            if not description.strip() and not started:
                continue
            k = len(result) + 1
            self.field_map[f"outcomes-{k}-description"] = f"outcomes-{i}-description"
            actions = []
            for m, j in enumerate(started, start=1):
                for part in ("description", "owner"):
                    key = f"outcomes-{k}-actions-{m}-{part}"
                    self.field_map[key] = f"outcomes-{i}-actions-{j}-{part}"
                actions.append(self._action(f"outcomes-{i}-actions-{j}"))
            result.append(OutcomeInput(description, actions))
        self.field_map["outcomes"] = "outcomes-1-description"
        return result

    def _action(self, prefix: str) -> ActionInput:
        return ActionInput(
            description=self.cleaned_data[f"{prefix}-description"],
            owner=self.cleaned_data[f"{prefix}-owner"],
            due_on=self.cleaned_data[f"{prefix}-due_on"],
        )


class AgreePlanForm(OutcomesForm):
    agreed_on = CaseDateField(label="Date the plan was agreed with the family")


class AddOutcomeForm(OutcomesForm):
    pass


class AddActionForm(VersionedForm):
    description = _text("What will be done", "Describe the action.", rows=2)
    owner = forms.CharField(
        label="Who will do it",
        help_text="A family member or an agency",
        max_length=200,
        error_messages={"required": "Say who will do the action."},
    )
    due_on = CaseDateField(label="Date due", called="the date the action is due")

    field_map = {
        "outcomes-1-description": "description",
        "outcomes-1-actions-1-description": "description",
        "outcomes-1-actions-1-owner": "owner",
    }

    def action(self) -> ActionInput:
        data = self.cleaned_data
        return ActionInput(
            description=data["description"], owner=data["owner"], due_on=data["due_on"]
        )


class ActionUpdateForm(VersionedForm):
    status = forms.ChoiceField(
        label="Progress",
        choices=choices(ActionStatus),
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the action's progress.",
            "invalid_choice": "Choose the action's progress from the list.",
        },
    )
    progress = _text("What has happened", rows=3)
    due_on = CaseDateField(label="Date due", called="the date the action is due")


# --- reviews and notes ----------------------------------------------------------------------


class ReviewForm(VersionedForm):
    review_date = CaseDateField(label="Date of the review")
    summary = _text("What the review found", "Summarise what the review found.")
    scale = _scale("Signs of Safety scale at the review")


class NoteForm(forms.Form):
    occurred_on = CaseDateField(label="Date of the contact or event")
    kind = forms.ChoiceField(
        label="Kind of note",
        choices=choices(NoteKind),
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the kind of note.",
            "invalid_choice": "Choose the kind of note from the list.",
        },
    )
    text = _text("Note", "Write the note.", rows=6)


# --- closing, stepping up, allocating and re-opening ----------------------------------------

CLOSE_REASONS = [c for c in choices(ClosureReason) if c[0] != ClosureReason.STEP_UP_SCS]


class CloseForm(VersionedForm):
    reason = forms.ChoiceField(
        label="Why is the case closing?",
        choices=CLOSE_REASONS,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose a reason for closing the case.",
            "invalid_choice": "Choose one of the reasons listed.",
        },
    )
    authorised_by = forms.ChoiceField(
        label="Unit leader who authorised the closure",
        required=False,
        help_text="Only when consent was withdrawn: a unit leader must authorise the closure.",
        error_messages={"invalid_choice": "Choose one of the unit's leaders."},
    )
    summary = _text("Closing summary", "Write a closing summary.")
    closed_on = CaseDateField(label="Date the case closed")

    def __init__(self, *args: Any, authorisers: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["authorised_by"].choices = [("", "Choose a unit leader")] + [
            (str(pk), name) for pk, name in authorisers
        ]


class StepUpForm(VersionedForm):
    reason = _text(
        "Why does the family need Specialist Children's Services?",
        "Say why the family needs social care.",
    )
    on = CaseDateField(label="Date of the referral", called="the date of the referral")


class AllocateForm(VersionedForm):
    unit = forms.TypedChoiceField(
        label="Unit",
        coerce=int,
        error_messages={"required": "Choose the unit.", "invalid_choice": "Choose a unit listed."},
    )
    worker = forms.TypedChoiceField(
        label="Lead practitioner",
        coerce=int,
        required=False,
        empty_value=None,
        error_messages={"invalid_choice": "Choose a practitioner listed."},
    )
    on = CaseDateField(label="Date of the change")
    reason = _text("Reason", "Say why the case is being re-allocated.", rows=3)

    def __init__(
        self,
        *args: Any,
        units: list[tuple[int, str]],
        workers: list[tuple[int, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", "Choose a unit")] + units
        self.fields["worker"].choices = [("", "No lead practitioner yet")] + workers


class ReopenForm(VersionedForm):
    reopened_on = CaseDateField(label="Date the case re-opened")
    reason = _text("Why is the case re-opening?", "Say why the case is being re-opened.", rows=3)
