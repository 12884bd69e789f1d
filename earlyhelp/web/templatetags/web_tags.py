"""Template helpers for GOV.UK form fields, querystrings and labels."""

from __future__ import annotations

from django import forms, template
from django.http import QueryDict

from earlyhelp.domain.codes import label as code_label
from earlyhelp.web.fields import GovukDateField

register = template.Library()


@register.filter
def field_kind(field: forms.BoundField) -> str:
    widget = field.field.widget
    if isinstance(field.field, GovukDateField):
        return "date"
    if isinstance(widget, forms.CheckboxSelectMultiple):  # a subclass of RadioSelect
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Textarea):
        return "textarea"
    if isinstance(widget, forms.Select):
        return "select"
    return "input"


@register.filter
def inline_choices(field: forms.BoundField) -> bool:
    return len(getattr(field.field, "choices", [])) <= 4 and all(
        len(str(c[1])) < 12 for c in field.field.choices
    )


@register.filter
def date_parts(field: forms.BoundField) -> list[tuple[object, str, int]]:
    """(value, label, width) for the day, month and year inputs of a date field."""
    value = field.value()
    if isinstance(value, list | tuple):
        parts = list(value) + [None] * (3 - len(value))
    elif value:
        parts = [value.day, value.month, value.year]
    else:
        parts = [None, None, None]
    return [(parts[0], "Day", 2), (parts[1], "Month", 2), (parts[2], "Year", 4)]


@register.simple_tag(takes_context=True)
def query_with(context: template.Context, **changes: object) -> str:
    """The current querystring with some parameters replaced (for sorting and paging)."""
    request = context.get("request")
    query = request.GET.copy() if request else QueryDict(mutable=True)
    for key, value in changes.items():
        if value is None:
            query.pop(key, None)
        else:
            query[key] = str(value)
    return query.urlencode()


@register.filter
def code(value: str) -> str:
    """The words for a code (`OUTCOMES_ACHIEVED` → "Outcomes achieved")."""
    return code_label(value) if value else ""
