"""Forms of the front door: the queue's filters, triage, telling the referrer, new notifications.

They check the shape of the input and name each field in their messages; the services
decide the rest (and their refusals come back onto the same fields).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms

from earlyhelp.casework.selectors import TriageAllocationChoices
from earlyhelp.domain.codes import (
    ASSESSMENT_DECISIONS,
    THRESHOLD_LEVELS,
    Category,
    Sex,
    Source,
    TriageDecision,
    choices,
)
from earlyhelp.organisation.models import OrgUnit
from earlyhelp.web.fields import GovukDateField
from earlyhelp.web.forms_case import VersionedForm

LEVEL_CHOICES = [(n, f"Level {n}: {name}") for n, name in THRESHOLD_LEVELS.items()]
SEX_CHOICES = [(Sex.F, "Female"), (Sex.M, "Male"), (Sex.U, "Not known")]
CONSENT_CHOICES = [("yes", "Yes"), ("no", "No"), ("unknown", "Not asked or not known")]
CONSENT_VALUES = {"yes": True, "no": False, "unknown": None}
TOLD_BY = [("email", "Email"), ("phone", "Phone"), ("letter", "Letter")]
KNOWN, NEW = "known", "new"


class DateField(GovukDateField):
    """A GOV.UK date whose part-filled input gets the date's own message, naming the field.

    (`GovukDateField`'s parts are required fields, so Django would answer a missing part
    with its generic "Enter a complete value." before `compress` could name the date.)
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        for part in self.fields:
            part.required = False


def _required(label: str, message: str, **kwargs: Any) -> dict[str, Any]:
    return {"label": label, "error_messages": {"required": message}, **kwargs}


def _textarea(label: str, message: str = "", *, help_text: str = "", rows: int = 4) -> Any:
    return forms.CharField(
        label=label,
        required=bool(message),
        error_messages={"required": message},
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class QueueFilterForm(forms.Form):
    """The triage queue's filters (a GET form)."""

    category = forms.MultipleChoiceField(
        label="Kind of notification",
        choices=choices(Category),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    overdue = forms.BooleanField(label="Overdue only", required=False)


class LinkForm(VersionedForm):
    """ "This is the same child": the known person chosen among the candidate matches."""

    person = forms.IntegerField(widget=forms.HiddenInput)


@dataclass(frozen=True)
class OptionGroup:
    """Options of a select under one heading (an optgroup), or none for the first ones."""

    label: str
    options: list[tuple[str, str, bool]]  # value, text, selected


def option_groups(field: forms.BoundField) -> list[OptionGroup]:
    chosen = "" if field.value() is None else str(field.value())
    groups: list[OptionGroup] = []
    for value, text in field.field.choices:
        if isinstance(text, list | tuple):
            options = [(str(v), str(t), str(v) == chosen) for v, t in text]
            groups.append(OptionGroup(str(value), options))
        else:
            groups.append(OptionGroup("", [(str(value), str(text), str(value) == chosen)]))
    return groups


def _unit_choices(allocation: TriageAllocationChoices, district: OrgUnit | None) -> list[Any]:
    def option(unit: OrgUnit) -> tuple[int, str]:
        where = f" ({unit.parent.name})" if unit.parent else ""
        return (unit.pk, f"{unit.name}{where}")

    groups: list[Any] = [("", "Choose a unit")]
    if allocation.district_units:
        named = f"Early Help Units in {district.name}" if district else "Early Help Units"
        groups.append((named, [option(u) for u in allocation.district_units]))
    groups.append(("All units", [option(u) for u in allocation.other_units]))
    return groups


def _worker_choices(allocation: TriageAllocationChoices) -> list[Any]:
    by_unit: dict[int, list[tuple[int, str]]] = {}
    for worker in allocation.workers:
        by_unit.setdefault(worker.unit_id, []).append((worker.pk, worker.name))
    groups: list[Any] = [("", "No one yet: the unit leader will allocate")]
    for unit in allocation.units:
        if unit.pk in by_unit:
            groups.append((unit.name, by_unit[unit.pk]))
    return groups


class TriageForm(VersionedForm):
    threshold_level = forms.TypedChoiceField(
        coerce=int,
        choices=LEVEL_CHOICES,
        widget=forms.RadioSelect,
        **_required("Level of need", "Choose the level of need, from 1 to 4."),
        help_text="The Kent Safeguarding Children Board's inter-agency threshold levels.",
    )
    decision = forms.ChoiceField(
        choices=choices(TriageDecision),
        widget=forms.RadioSelect,
        **_required("Decision", "Choose what happens next."),
    )
    decision_reason = _textarea("Reasons for the decision", "Give the reasons for the decision.")
    unit = forms.TypedChoiceField(
        coerce=int,
        empty_value=None,
        required=False,
        label="Unit that will hold the case",
        help_text="For a decision with an assessment. The family's district's units come first.",
        error_messages={"invalid_choice": "Choose a unit from the list."},
    )
    worker = forms.TypedChoiceField(
        coerce=int,
        empty_value=None,
        required=False,
        label="Lead practitioner (optional)",
        error_messages={"invalid_choice": "Choose a practitioner from the list."},
    )
    scs_reason = _textarea(
        "Why the family needs Specialist Children's Services",
        help_text="For a step-up to Specialist Children's Services.",
    )

    def __init__(
        self,
        *args: Any,
        allocation: TriageAllocationChoices,
        district: OrgUnit | None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.allocation = allocation
        self.fields["unit"].choices = _unit_choices(allocation, district)
        self.fields["worker"].choices = _worker_choices(allocation)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        decision = data.get("decision")
        opens_case = decision in ASSESSMENT_DECISIONS
        if opens_case and not data.get("unit"):
            self.add_error("unit", "Choose the unit that will hold the case.")
        if decision == TriageDecision.STEP_UP_SCS and not (data.get("scs_reason") or "").strip():
            self.add_error("scs_reason", "Say why the family needs Specialist Children's Services.")
        worker = self.chosen_worker()
        unit = self.chosen_unit()
        if opens_case and worker and unit and worker.unit_id != unit.pk:
            self.add_error(
                "worker", f"{worker.name} does not work in {unit.name}: choose someone who does."
            )
        return data

    @property
    def unit_groups(self) -> list[OptionGroup]:
        return option_groups(self["unit"])

    @property
    def worker_groups(self) -> list[OptionGroup]:
        return option_groups(self["worker"])

    def chosen_unit(self) -> OrgUnit | None:
        unit_id = self.cleaned_data.get("unit")
        return next((u for u in self.allocation.units if u.pk == unit_id), None)

    def chosen_worker(self) -> Any:
        worker_id = self.cleaned_data.get("worker")
        return next((w for w in self.allocation.workers if w.pk == worker_id), None)


class InformedForm(VersionedForm):
    how = forms.ChoiceField(
        choices=TOLD_BY,
        widget=forms.RadioSelect,
        **_required("How the referrer was told", "Choose how the referrer was told."),
    )
    note = _textarea(
        "What they were told (optional)",
        help_text="For example: who you spoke to, or what was agreed.",
        rows=3,
    )

    def told(self) -> str:
        how = self.cleaned_data["how"]
        note = " ".join(self.cleaned_data.get("note", "").split())
        return f"{how}: {note}" if note else how


class NewNotificationForm(forms.Form):
    """A notification keyed by a triage officer, about a known child or a new one."""

    who = forms.ChoiceField(
        choices=[(KNOWN, "A child already known (I have their reference)"), (NEW, "A new child")],
        widget=forms.RadioSelect,
        **_required("Who is the notification about?", "Choose whether the child is known."),
    )
    person_ref = forms.CharField(
        label="Reference of the known child",
        required=False,
        max_length=64,
        help_text="The person reference, like P0001234.",
    )
    given_name = forms.CharField(label="Child's given name", required=False, max_length=100)
    family_name = forms.CharField(label="Child's family name", required=False, max_length=100)
    date_of_birth = DateField(
        label="Child's date of birth",
        required=False,
        help_text="For example, 27 3 2012. Leave it blank if it is not known.",
    )
    sex = forms.ChoiceField(
        label="Child's sex", choices=SEX_CHOICES, widget=forms.RadioSelect, required=False
    )
    district = forms.TypedChoiceField(
        label="District the family lives in", coerce=int, empty_value=None, required=False
    )
    postcode = forms.CharField(label="Family's postcode", required=False, max_length=8)
    address_line_1 = forms.CharField(label="Address (optional)", required=False, max_length=200)
    town = forms.CharField(label="Town (optional)", required=False, max_length=100)
    received_on = DateField(
        label="Date the notification was received",
        help_text="For example, 27 3 2016. Today's date if it came in today.",
    )
    source = forms.ChoiceField(
        choices=[("", "Choose who it came from"), *choices(Source)],
        **_required("Who the notification came from", "Choose who the notification came from."),
    )
    category = forms.ChoiceField(
        choices=choices(Category),
        widget=forms.RadioSelect,
        **_required("Kind of notification", "Choose the kind of notification."),
        help_text="Missing-child and e-YOT notifications are triaged the same day.",
    )
    reason = _textarea("Why early help is needed", "Say why early help is needed.", rows=5)
    what_has_been_tried = _textarea("What has been tried already (optional)")
    family_consent = forms.ChoiceField(
        choices=CONSENT_CHOICES,
        widget=forms.RadioSelect,
        **_required("Has the family consented?", "Say whether the family has consented."),
    )
    referrer_name = forms.CharField(label="Referrer's name", required=False, max_length=200)
    referrer_organisation = forms.CharField(
        label="Referrer's organisation", required=False, max_length=200
    )
    referrer_email = forms.EmailField(
        label="Referrer's email address",
        required=False,
        error_messages={"invalid": "Enter the referrer's email address like name@example.org.uk."},
    )
    referrer_phone = forms.CharField(label="Referrer's phone number", required=False, max_length=30)

    CHILD_REQUIRED = {
        "given_name": "Enter the child's given name.",
        "family_name": "Enter the child's family name.",
        "sex": "Choose the child's sex (or not known).",
        "district": "Choose the district the family lives in.",
        "postcode": "Enter the family's postcode.",
    }

    def __init__(self, *args: Any, districts: list[OrgUnit], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.districts = districts
        self.fields["district"].choices = [("", "Choose a district")] + [
            (d.pk, d.name) for d in districts
        ]
        for name in ("referrer_email",):
            self.fields[name].widget.attrs["autocomplete"] = "off"

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("who") == KNOWN and not (data.get("person_ref") or "").strip():
            self.add_error("person_ref", "Enter the reference of the known child, like P0001234.")
        if data.get("who") == NEW:
            for name, message in self.CHILD_REQUIRED.items():
                if name not in self.errors and not data.get(name):
                    self.add_error(name, message)
        return data

    def chosen_district(self) -> OrgUnit | None:
        district_id = self.cleaned_data.get("district")
        return next((d for d in self.districts if d.pk == district_id), None)

    def consent(self) -> bool | None:
        return CONSENT_VALUES.get(self.cleaned_data["family_consent"])
