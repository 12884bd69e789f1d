"""Forms of the family and person record: editing a person, merging two records."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core import signing

from earlyhelp.common.snapshots import snapshot
from earlyhelp.people.models import Person
from earlyhelp.web.fields import GovukDateField

SEX_LABELS = {"F": "Female", "M": "Male", "U": "Not known"}
# The Department for Education's ethnicity codes, in words.
ETHNICITY_LABELS = {
    "WBRI": "White – British",
    "WIRI": "White – Irish",
    "WIRT": "Traveller of Irish heritage",
    "WOTH": "Any other White background",
    "WROM": "Gypsy or Roma",
    "MWBC": "White and Black Caribbean",
    "MWBA": "White and Black African",
    "MWAS": "White and Asian",
    "MOTH": "Any other mixed background",
    "AIND": "Indian",
    "APKN": "Pakistani",
    "ABAN": "Bangladeshi",
    "AOTH": "Any other Asian background",
    "BCRB": "Black Caribbean",
    "BAFR": "Black African",
    "BOTH": "Any other Black background",
    "CHNE": "Chinese",
    "OOTH": "Any other ethnic group",
    "REFU": "Refused",
    "NOBT": "Information not yet obtained",
}
EDITABLE = ("given_name", "family_name", "date_of_birth", "sex", "ethnicity", "upn", "nhs_number")
FIELD_LABELS = {
    "given_name": "Given name",
    "family_name": "Family name",
    "date_of_birth": "Date of birth",
    "sex": "Sex",
    "ethnicity": "Ethnicity",
    "upn": "Unique pupil number (UPN)",
    "nhs_number": "NHS number",
}
_SEEN_SALT = "earlyhelp.web.person-edit.seen"


def seen_token(person: Person) -> str:
    """The values the user is shown, signed: a refused stale save compares them with now."""
    return signing.dumps(snapshot(person, EDITABLE), salt=_SEEN_SALT)


def seen_values(token: str) -> dict[str, object]:
    try:
        values = signing.loads(token, salt=_SEEN_SALT)
    except signing.BadSignature:
        return {}
    return {k: v for k, v in values.items() if k in EDITABLE}


class PersonForm(forms.Form):
    given_name = forms.CharField(
        label="Given name",
        max_length=100,
        error_messages={
            "required": "Enter the given name.",
            "max_length": "Given name is too long.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    family_name = forms.CharField(
        label="Family name",
        max_length=100,
        error_messages={
            "required": "Enter the family name.",
            "max_length": "Family name is too long.",
        },
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    date_of_birth = GovukDateField(
        label="Date of birth", required=False, help_text="For example, 27 3 2012"
    )
    sex = forms.ChoiceField(
        label="Sex",
        choices=list(SEX_LABELS.items()),
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the person's sex, or 'Not known'."},
    )
    ethnicity = forms.ChoiceField(
        label="Ethnicity",
        required=False,
        choices=[("", "Not recorded"), *ETHNICITY_LABELS.items()],
    )
    upn = forms.CharField(
        label="Unique pupil number (UPN)",
        required=False,
        max_length=20,
        help_text="13 characters, like A801200001001",
        widget=forms.TextInput(attrs={"width": "20", "autocomplete": "off"}),
    )
    nhs_number = forms.CharField(
        label="NHS number",
        required=False,
        max_length=20,
        help_text="10 digits, like 943 476 5919",
        widget=forms.TextInput(attrs={"width": "10", "inputmode": "numeric"}),
    )
    version = forms.IntegerField(widget=forms.HiddenInput)
    seen = forms.CharField(widget=forms.HiddenInput, required=False)

    @classmethod
    def for_person(cls, person: Person) -> PersonForm:
        initial: dict[str, Any] = {name: getattr(person, name) for name in EDITABLE}
        return cls(initial={**initial, "version": person.version, "seen": seen_token(person)})

    def changes(self) -> dict[str, object]:
        return {name: self.cleaned_data[name] for name in EDITABLE}


class MergeChooseForm(forms.Form):
    duplicate = forms.CharField(
        label="Reference of the other record",
        max_length=64,
        help_text="The person reference shown on the other record, like P0000123",
        error_messages={"required": "Enter the reference of the other record."},
        widget=forms.TextInput(attrs={"width": "10", "autocomplete": "off"}),
    )

    def clean_duplicate(self) -> str:
        return self.cleaned_data["duplicate"].strip().upper()


class MergeConfirmForm(forms.Form):
    duplicate = forms.CharField(widget=forms.HiddenInput, max_length=64)
    version_keep = forms.IntegerField(widget=forms.HiddenInput)
    version_duplicate = forms.IntegerField(widget=forms.HiddenInput)
    confirm = forms.BooleanField(
        label="I have checked that these two records are the same person",
        error_messages={"required": "Confirm that the two records are the same person."},
    )
