"""Forms of the data protection pages: audit filters, break-glass, consent, access lists."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from earlyhelp.domain.codes import ConsentPurpose, choices
from earlyhelp.people.models import Person
from earlyhelp.web.fields import GovukDateField

REF_HINT = "A reference like P0001234 (person), F0000567 (family) or C0000089 (case)."


def _date(label: str, *, required: bool = False, help_text: str = "") -> GovukDateField:
    return GovukDateField(label=label, required=required, help_text=help_text)


class PeriodForm(forms.Form):
    """From and to dates (both optional) of an audit page."""

    since = _date("From", help_text="For example, 1 4 2017. Leave empty for the beginning.")
    until = _date("To", help_text="For example, 31 3 2018. Leave empty for today.")

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", "The ‘to’ date must be the same as or after the ‘from’ date.")
        return data

    @property
    def period(self) -> tuple[date | None, date | None]:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return data.get("since"), data.get("until")


class RecordLogForm(PeriodForm):
    ref = forms.CharField(
        label="Reference of the record",
        max_length=20,
        help_text=REF_HINT,
        error_messages={"required": "Enter the reference of the person, family or case."},
    )
    field_order = ["ref", "since", "until"]


class UserLogForm(PeriodForm):
    username = forms.CharField(
        label="Username",
        max_length=150,
        error_messages={"required": "Enter the username of the member of staff."},
    )
    field_order = ["username", "since", "until"]


class PersonRefForm(forms.Form):
    ref = forms.CharField(
        label="Reference of the person",
        max_length=20,
        help_text="For example, P0001234.",
        error_messages={"required": "Enter the reference of the person."},
    )


class BreakGlassRefForm(forms.Form):
    ref = forms.CharField(
        label="Reference of the record",
        max_length=20,
        help_text=REF_HINT,
        error_messages={"required": "Enter the reference of the record you need to open."},
    )


class BreakGlassForm(forms.Form):
    ref = forms.CharField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label="Why do you need to open this record?",
        help_text=(
            "Your reason, your name and the time are recorded and shown to the unit leader "
            "responsible for the family. Access lasts 8 hours."
        ),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Say why you need to open this record."},
    )


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(
        label="What has the family agreed to?",
        choices=choices(ConsentPurpose),
        widget=forms.RadioSelect,
        error_messages={"required": "Choose what the family has agreed to."},
    )
    partner_name = forms.CharField(
        label="Partner (optional)",
        required=False,
        max_length=200,
        help_text=(
            "The organisation the family agreed information may go to. Leave empty if the "
            "consent is not limited to one (needed when sharing with named partners)."
        ),
    )
    given_on = _date("Date consent was given", required=True, help_text="For example, 27 3 2018.")
    given_by = forms.TypedChoiceField(
        label="Who gave consent",
        coerce=int,
        empty_value=None,
        required=False,
    )
    notes = forms.CharField(
        label="Notes (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, members: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = {m.pk: m for m in members}
        self.fields["given_by"].choices = [("", "Not recorded")] + [
            (m.pk, f"{m.full_name} ({m.person_ref})") for m in members
        ]
        self.fields["given_on"].error_messages["required"] = "Enter the date consent was given."

    def person(self) -> Person | None:
        chosen = self.cleaned_data.get("given_by")
        return self.members.get(chosen) if chosen else None


class WithdrawForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    withdrawn_on = _date(
        "Date consent was withdrawn", required=True, help_text="For example, 27 3 2018."
    )
    reason = forms.CharField(
        label="What the family said (optional)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["withdrawn_on"].error_messages["required"] = (
            "Enter the date consent was withdrawn."
        )


class RestrictForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    restricted = forms.TypedChoiceField(
        label="Who may see this family's records?",
        choices=[
            ("1", "Only the staff named below (a restricted record)"),
            ("0", "Staff responsible for the family, as usual"),
        ],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )


class AccessAddForm(forms.Form):
    username = forms.CharField(
        label="Username of the member of staff to name",
        max_length=150,
        error_messages={"required": "Enter the username of the member of staff."},
    )
