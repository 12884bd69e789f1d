"""Forms of the unit meeting's filters and of the district step-down panel."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms

from earlyhelp.domain.casestate import STAGE_LABELS, Stage
from earlyhelp.domain.duedates import DRIFT_LABELS
from earlyhelp.frontdoor.models import StepDownProposal
from earlyhelp.organisation.models import OrgUnit, Worker
from earlyhelp.people.selectors import PersonMatch
from earlyhelp.web.fields import GovukDateField
from earlyhelp.web.forms_family import SEX_LABELS

UNALLOCATED = "none"
OPEN_STAGES = [(s.value, STAGE_LABELS[s]) for s in Stage if s != Stage.CLOSED]
DRIFT_CHOICES = [(d.value, text) for d, text in DRIFT_LABELS.items()]
NEW_PERSON = "new"


class MeetingFilterForm(forms.Form):
    """The unit meeting's filters (a GET form: every choice is optional)."""

    worker = forms.MultipleChoiceField(
        label="Lead practitioner", required=False, widget=forms.CheckboxSelectMultiple
    )
    stage = forms.MultipleChoiceField(
        label="Stage", required=False, choices=OPEN_STAGES, widget=forms.CheckboxSelectMultiple
    )
    drift = forms.MultipleChoiceField(
        label="Drift", required=False, choices=DRIFT_CHOICES, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args: Any, workers: Iterable[Worker], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["worker"].choices = [(str(w.pk), w.name) for w in workers] + [
            (UNALLOCATED, "Not allocated")
        ]

    def worker_ids(self) -> list[int | None]:
        chosen = self.cleaned_data.get("worker") or []
        return [None if value == UNALLOCATED else int(value) for value in chosen]

    def selected(self) -> list[tuple[str, list[tuple[str, str, str]]]]:
        """(heading, [(field, value, words)]) of each filter in use: the removable tags."""
        groups = []
        for name, bound in ((n, self[n]) for n in ("worker", "stage", "drift")):
            words = dict(bound.field.choices)
            values = self.cleaned_data.get(name) or []
            if values:
                groups.append((bound.label, [(name, v, str(words[v])) for v in values]))
        return groups


class ProposalForm(forms.Form):
    district = forms.ModelChoiceField(
        label="District panel",
        queryset=OrgUnit.objects.none(),
        empty_label="Choose the district",
        error_messages={"required": "Choose the district whose panel will decide."},
    )
    given_name = forms.CharField(
        label="Child's given name",
        max_length=100,
        error_messages={"required": "Enter the child's given name."},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    family_name = forms.CharField(
        label="Child's family name",
        max_length=100,
        error_messages={"required": "Enter the child's family name."},
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    date_of_birth = GovukDateField(
        label="Date of birth",
        help_text="For example, 27 3 2012",
        error_messages={"required": "Enter the child's date of birth."},
    )
    sex = forms.ChoiceField(
        label="Sex",
        choices=list(SEX_LABELS.items()),
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the child's sex, or 'Not known'."},
    )
    postcode = forms.CharField(
        label="Postcode",
        max_length=10,
        error_messages={
            "required": "Enter the postcode where the child lives.",
            "max_length": "Enter a real UK postcode, like ME14 1XQ.",
        },
        widget=forms.TextInput(attrs={"width": "10", "autocomplete": "off"}),
    )
    scs_worker = forms.CharField(
        label="SCS worker",
        max_length=200,
        help_text="The social worker proposing the step-down",
        error_messages={"required": "Enter the name of the SCS worker."},
    )
    summary = forms.CharField(
        label="Reason for step-down and summary of SCS involvement",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": "Say why the child is proposed for step-down and what SCS did."
        },
    )
    proposed_on = GovukDateField(
        label="Proposed step-down date",
        help_text="For example, 15 7 2016",
        error_messages={"required": "Enter the proposed step-down date."},
    )

    def __init__(self, *args: Any, districts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="The panel's decision",
        choices=[
            (StepDownProposal.Status.ACCEPTED, "Accepted: the child steps down to early help"),
            (StepDownProposal.Status.DECLINED, "Declined"),
            (StepDownProposal.Status.DEFERRED, "Deferred to a later panel"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the panel's decision."},
    )
    reason = forms.CharField(
        label="Reason for the decision",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Give the reason for the panel's decision."},
    )
    person = forms.ChoiceField(
        label="If accepted: who is the child?",
        required=False,
        widget=forms.RadioSelect,
        help_text="Records already known that may be this child, the most likely first",
    )
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args: Any, matches: Iterable[PersonMatch], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [(str(m.person.pk), _match_words(m)) for m in matches] + [
            (NEW_PERSON, "None of these: record a new child and family")
        ]

    def person_choice(self) -> tuple[int | None, bool]:
        """(id of a known person, whether to record a new one)."""
        value = self.cleaned_data.get("person") or ""
        if value == NEW_PERSON:
            return None, True
        return (int(value), False) if value else (None, False)


def _match_words(match: PersonMatch) -> str:
    person = match.person
    born = f", born {person.date_of_birth:%-d %B %Y}" if person.date_of_birth else ""
    where = f", {person.family.postcode}" if person.family.postcode else ""
    return f"{person.full_name} ({person.person_ref}{born}{where})"
