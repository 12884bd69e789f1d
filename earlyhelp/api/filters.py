"""Query filters of the list endpoints (django-filter): a bad value is a 400 naming it."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db.models import QuerySet
from django_filters import rest_framework as filters

from earlyhelp.casework.models import Case
from earlyhelp.domain.indicators.compute import DEFAULT_WINDOWS
from earlyhelp.domain.indicators.definitions import INDICATORS, Level
from earlyhelp.people.models import Person
from earlyhelp.performance.models import IndicatorValue

_MONTH = RegexValidator(r"^[0-9]{4}-(0[1-9]|1[0-2])$", "Give a month as YYYY-MM, like 2018-03.")
_TEXT = {"max_length": 100}


class StrictFilterSet(filters.FilterSet):
    """An empty value (`?status=`) is refused, not taken as "any"."""

    def is_valid(self) -> bool:
        valid = super().is_valid()
        for name in self.filters:
            if name in self.data and not str(self.data.get(name, "")).strip():
                self.form.add_error(name, "Give a value, or leave the parameter out.")
                valid = False
        return valid


class PersonFilter(StrictFilterSet):
    given_name = filters.CharFilter(
        lookup_expr="istartswith", help_text="First name starts with", **_TEXT
    )
    family_name = filters.CharFilter(
        lookup_expr="istartswith", help_text="Last name starts with", **_TEXT
    )
    date_of_birth = filters.DateFilter(help_text="YYYY-MM-DD")
    postcode = filters.CharFilter(
        method="by_postcode", help_text="The household's postcode", max_length=10
    )
    family_reference = filters.CharFilter(field_name="family__family_ref", max_length=64)

    class Meta:
        model = Person
        fields: list[str] = []

    def by_postcode(self, queryset: QuerySet[Person], name: str, value: str) -> QuerySet[Person]:
        compact = "".join(value.split()).upper()
        spaced = f"{compact[:-3]} {compact[-3:]}" if len(compact) > 3 else compact
        return queryset.filter(family__postcode=spaced)


class CaseFilter(StrictFilterSet):
    status = filters.ChoiceFilter(
        choices=[("open", "open"), ("closed", "closed")], method="by_status"
    )
    unit = filters.CharFilter(field_name="unit__code", help_text="The unit's code", **_TEXT)
    opened_after = filters.DateFilter(field_name="opened_on", lookup_expr="gte")
    opened_before = filters.DateFilter(field_name="opened_on", lookup_expr="lte")
    family_reference = filters.CharFilter(field_name="family__family_ref", max_length=64)

    class Meta:
        model = Case
        fields: list[str] = []

    def by_status(self, queryset: QuerySet[Case], name: str, value: str) -> QuerySet[Case]:
        return queryset.filter(closed_on__isnull=value == "open")


class IndicatorValueFilter(StrictFilterSet):
    indicator = filters.ChoiceFilter(
        field_name="indicator_code", choices=[(c, c) for c in INDICATORS]
    )
    month = filters.CharFilter(field_name="period", validators=[_MONTH], help_text="YYYY-MM")
    level = filters.ChoiceFilter(choices=[(lv.value, lv.value) for lv in Level])
    org_code = filters.CharFilter(help_text="An org unit's code (or a worker's)", **_TEXT)
    window = filters.TypedChoiceFilter(
        field_name="window_months",
        choices=[(str(w), str(w)) for w in DEFAULT_WINDOWS],
        coerce=int,
        help_text="Months in the rolling window",
    )

    class Meta:
        model = IndicatorValue
        fields: list[str] = []
