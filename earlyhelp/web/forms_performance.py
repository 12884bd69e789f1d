"""The month picker of the scorecard, the outcome tracker and an indicator's page."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.http import QueryDict

from earlyhelp.domain.indicators.periods import InvalidPeriod, parse_period
from earlyhelp.web.views.performance_charts import month_label

WINDOW_CHOICES = [("12", "12 months to the month"), ("1", "The month alone")]


class MonthForm(forms.Form):
    """A GET form: the month (`YYYY-MM`) and the window (12 or 1 months)."""

    month = forms.CharField(label="Month", widget=forms.Select)
    window = forms.TypedChoiceField(
        label="Window",
        choices=WINDOW_CHOICES,
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": "Choose a window of 12 months or the month alone"},
    )

    def __init__(
        self, query: QueryDict, *, periods: Sequence[str], default: str, **kwargs: Any
    ) -> None:
        data = {"month": default, "window": "12"}
        data.update({k: query[k] for k in ("month", "window") if query.get(k)})
        super().__init__(data, **kwargs)
        choices = [(p, month_label(p)) for p in reversed(periods)]
        if data["month"] not in periods:
            choices.insert(0, (data["month"], data["month"]))
        self.fields["month"].widget.choices = choices

    def clean_month(self) -> str:
        month = self.cleaned_data["month"].strip()
        try:
            parse_period(month)
        except InvalidPeriod:
            raise forms.ValidationError(
                "Enter the month as a year and month, like 2018-03", code="invalid"
            ) from None
        return month
