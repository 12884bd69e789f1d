"""Fields that take only the JSON type they say: no number where text is asked, no "yes"
where a boolean is."""

from __future__ import annotations

import datetime as dt
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

# Characters that reorder how text is displayed (a name shown back to front): never typed.
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


class StrictCharField(serializers.CharField):
    default_error_messages = {
        "invalid": "Give text (a JSON string).",
        "bidi": (
            "Remove the text-direction control characters (U+202A to U+202E, U+2066 to U+2069)."
        ),
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("allow_blank", True)
        kwargs.setdefault("trim_whitespace", False)
        super().__init__(**kwargs)

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            self.fail("invalid")
        if not BIDI_CONTROLS.isdisjoint(data):
            self.fail("bidi")
        return super().to_internal_value(data)


class StrictBooleanField(serializers.BooleanField):
    default_error_messages = {"invalid": "Give true or false."}

    def to_internal_value(self, data: Any) -> bool:
        if not isinstance(data, bool):
            self.fail("invalid")
        return data


@extend_schema_field(OpenApiTypes.DATE)
class StrictDateField(serializers.DateField):
    default_error_messages = {
        "invalid": "Give a real date as YYYY-MM-DD (like 2012-06-30).",
        "datetime": "Give a date as YYYY-MM-DD, without a time.",
    }

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("input_formats", ["%Y-%m-%d"])
        super().__init__(**kwargs)

    def to_internal_value(self, value: Any) -> dt.date:
        if not isinstance(value, str) or len(value) != 10:
            self.fail("invalid")
        return super().to_internal_value(value)
