"""Form fields in the GOV.UK Design System's patterns."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms


class DateWidget(forms.MultiWidget):
    """Day, month and year inputs (the GOV.UK date input pattern)."""

    def __init__(self) -> None:
        super().__init__([forms.TextInput(), forms.TextInput(), forms.TextInput()])

    def decompress(self, value: date | None) -> list[int | None]:
        if value:
            return [value.day, value.month, value.year]
        return [None, None, None]


class GovukDateField(forms.MultiValueField):
    widget = DateWidget

    def __init__(self, **kwargs: Any) -> None:
        fields = (forms.CharField(), forms.CharField(), forms.CharField())
        name = str(kwargs.get("label") or "The date")
        messages = {
            "required": f"Enter {name[0].lower()}{name[1:]}.",
            "incomplete": f"{name} must include a day, month and year.",
            **(kwargs.pop("error_messages", None) or {}),
        }
        super().__init__(fields=fields, require_all_fields=False, error_messages=messages, **kwargs)

    def compress(self, data_list: list[str]) -> date | None:
        if not data_list or not any(part.strip() for part in data_list if part):
            return None
        name = self.label or "The date"
        if not all(part and part.strip() for part in data_list):
            raise forms.ValidationError(f"{name} must include a day, month and year.")
        try:
            day, month, year = (int(part) for part in data_list)
        except ValueError:
            raise forms.ValidationError(f"{name} must be a real date, in numbers.") from None
        if year < 1900:
            raise forms.ValidationError(f"{name} must have a 4-digit year, like 2018.")
        try:
            return date(year, month, day)
        except (ValueError, OverflowError):
            raise forms.ValidationError(f"{name} must be a real date.") from None

    def validate(self, value: date | None) -> None:
        if self.required and value is None:
            raise forms.ValidationError(self.error_messages["required"], code="required")
