"""What the API reads and writes. A submission's fields are those of `Answers`."""

from __future__ import annotations

import copy
import functools
from collections.abc import Mapping
from typing import Any

from rest_framework import serializers

from earlyhelp.api.fields import StrictBooleanField, StrictCharField, StrictDateField
from earlyhelp.domain.codes import Category, Sex, Source
from earlyhelp.domain.submissions import LIMITS, PARTNER_CATEGORIES, PARTNER_SOURCES, Answers

REQUIRED = (
    "child_given_name", "child_family_name", "child_sex", "postcode", "concerns",
    "referrer_name", "referrer_organisation", "referrer_email", "source", "family_consent",
)  # fmt: skip
HELP = {
    "child_date_of_birth": "YYYY-MM-DD, or null when not known.",
    "child_sex": "F, M or U (not known).",
    "family_consent": "Whether the family agreed to this notification.",
    "share_outcome_consent": "The family agreed that you are told the outcome.",
    "district_code": "The district, when you know it (else placed by the postcode).",
    "child_upn": "The child's unique pupil number, if known.",
}


def _choice(name: str, values: list[str], default: str | None = None) -> serializers.ChoiceField:
    kwargs: dict[str, Any] = {"choices": values, "help_text": HELP.get(name, "")}
    if default is not None:
        kwargs.update(required=False, default=default)
    field = serializers.ChoiceField(**kwargs)
    field.error_messages["invalid_choice"] = f"Choose one of: {', '.join(values)}."
    return field


def _text(name: str) -> StrictCharField:
    required = name in REQUIRED
    return StrictCharField(
        max_length=LIMITS.get(name),
        required=required,
        default=serializers.empty if required else "",
        help_text=HELP.get(name, ""),
    )


class StrictSerializer(serializers.Serializer):
    """Refuses a body that is not an object, and every field it does not know (by name)."""

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, Mapping):
            raise serializers.ValidationError({"body": ["Send a JSON object."]})
        if not data:
            raise serializers.ValidationError({"body": ["The body is empty: send a JSON object."]})
        unknown = sorted(set(data) - set(self.fields))
        if unknown:
            raise serializers.ValidationError(
                {name: ["Unknown field: check its name."] for name in unknown}
            )
        return super().to_internal_value(data)


def _submission_fields(categories: list[str], sources: list[str]) -> dict[str, serializers.Field]:
    fields: dict[str, serializers.Field] = {name: _text(name) for name in LIMITS}
    fields["child_date_of_birth"] = StrictDateField(
        allow_null=True, required=False, default=None, help_text=HELP["child_date_of_birth"]
    )
    fields["child_sex"] = _choice("child_sex", [s.value for s in Sex])
    fields["source"] = _choice("source", sources, default=sources[0] if len(sources) == 1 else None)
    fields["category"] = _choice("category", categories, default=categories[0])
    fields["family_consent"] = StrictBooleanField(help_text=HELP["family_consent"])
    fields["urgent"] = StrictBooleanField(required=False, default=False)
    fields["share_outcome_consent"] = StrictBooleanField(
        required=False, default=False, help_text=HELP["share_outcome_consent"]
    )
    return fields


POLICE_CATEGORIES = [Category.MISSING_CHILD.value, Category.E_YOT.value]


@functools.cache
def _partner_fields() -> dict[str, serializers.Field]:
    return _submission_fields(
        [c.value for c in PARTNER_CATEGORIES], [s.value for s in PARTNER_SOURCES]
    )


@functools.cache
def _police_fields() -> dict[str, serializers.Field]:
    fields = _submission_fields(POLICE_CATEGORIES, [Source.POLICE.value])
    fields["category"] = _choice("category", POLICE_CATEGORIES)
    fields["referrer_organisation"] = StrictCharField(
        max_length=LIMITS["referrer_organisation"],
        required=False,
        default="",
        help_text="Defaults to the account's organisation.",
    )
    fields["incident_reference"] = StrictCharField(
        max_length=64,
        help_text="The police's own reference: a record sent again with it creates nothing.",
    )
    return fields


def _copies(made: dict[str, serializers.Field]) -> dict[str, serializers.Field]:
    """Fresh, unbound copies of fields made once. Shallow copies are enough for these
    leaf fields: binding sets attributes of the copy's own, and nothing in validating
    changes what the copies share (validators, choices, messages). DRF's deep copy calls
    each field's constructor again, which was a tenth of a submission's time."""
    return {name: copy.copy(field) for name, field in made.items()}


class SubmissionSerializer(StrictSerializer):
    """A partner's notification (the fields of `earlyhelp.domain.submissions.Answers`)."""

    def get_fields(self) -> dict[str, serializers.Field]:
        return _copies(_partner_fields())

    def answers(self) -> Answers:
        data = dict(self.validated_data)
        return Answers(**{name: data[name] for name in Answers.field_names()})


class PoliceRowSerializer(SubmissionSerializer):
    """One record of the police feed: a missing-child or e-YOT notification, keyed by the
    police's own incident reference."""

    def get_fields(self) -> dict[str, serializers.Field]:
        return _copies(_police_fields())


class ReceiptSerializer(serializers.Serializer):
    reference = serializers.CharField()
    status = serializers.CharField(help_text="RECEIVED, BEING_SCREENED, DECIDED, ALLOCATED, CLOSED")
    status_url = serializers.CharField()


class FeedRecordSerializer(ReceiptSerializer):
    row = serializers.IntegerField(help_text="The record's place in the feed, from 0.")
    incident_reference = serializers.CharField()
    created = serializers.BooleanField(help_text="False when it had been received before.")


class FeedReceiptSerializer(serializers.Serializer):
    received = serializers.IntegerField()
    created = serializers.IntegerField()
    notifications = FeedRecordSerializer(many=True)


class PartnerViewSerializer(serializers.Serializer):
    """What the sender may know of a notification's progress (never case content)."""

    reference = serializers.CharField(source="notification_ref")
    received_at = serializers.DateTimeField()
    due_on = serializers.DateField()
    stage = serializers.CharField()
    stage_label = serializers.CharField()
    outcome = serializers.CharField(help_text="Only when the family agreed to share it.")
    unit_name = serializers.CharField(help_text="Only when the family agreed to share it.")
    closed_on = serializers.DateField(allow_null=True)
    decided_in_time = serializers.BooleanField(allow_null=True)


class PersonSerializer(serializers.Serializer):
    reference = serializers.CharField(source="person_ref")
    given_name = serializers.CharField()
    family_name = serializers.CharField()
    date_of_birth = serializers.DateField(allow_null=True)
    sex = serializers.CharField()
    role_in_family = serializers.CharField()
    family_reference = serializers.CharField(source="family.family_ref")
    postcode = serializers.CharField(source="family.postcode")


class CaseSerializer(serializers.Serializer):
    reference = serializers.CharField(source="case_ref")
    family_reference = serializers.CharField(source="family.family_ref")
    unit_code = serializers.CharField(source="unit.code")
    unit_name = serializers.CharField(source="unit.name")
    lead_practitioner = serializers.CharField(source="worker.name", allow_null=True, default=None)
    opened_on = serializers.DateField()
    assessment_completed_on = serializers.DateField(allow_null=True)
    plan_agreed_on = serializers.DateField(allow_null=True)
    last_review_on = serializers.DateField(allow_null=True)
    closed_on = serializers.DateField(allow_null=True)
    closure_reason = serializers.CharField()


class IndicatorValueSerializer(serializers.Serializer):
    indicator = serializers.CharField(source="indicator_code")
    month = serializers.CharField(source="period")
    level = serializers.CharField()
    org_code = serializers.CharField()
    window_months = serializers.IntegerField(allow_null=True)
    numerator = serializers.IntegerField(allow_null=True)
    denominator = serializers.DecimalField(max_digits=16, decimal_places=4, allow_null=True)
    value = serializers.DecimalField(max_digits=16, decimal_places=4, allow_null=True)
    target = serializers.DecimalField(max_digits=14, decimal_places=4, allow_null=True)
    rag = serializers.CharField()
