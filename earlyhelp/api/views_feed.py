"""The police feed: missing-child and e-YOT notifications in bulk, as JSON or CSV.

All or nothing: every record is checked first and every error is named (`rows[3].postcode`);
then all are recorded in one transaction, each under the police's incident reference as
its idempotency key (a feed sent again creates nothing new). Both categories are due for
triage the same day.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from earlyhelp.api.base import StrictQuery
from earlyhelp.api.exceptions import FieldError, Invalid
from earlyhelp.api.parsers import CSVParser, StrictJSONParser
from earlyhelp.api.serializers import FeedReceiptSerializer, PoliceRowSerializer
from earlyhelp.api.throttling import FeedThrottle, ReadThrottle
from earlyhelp.api.views_notifications import receipt
from earlyhelp.common import clock
from earlyhelp.common.errors import InvalidInput
from earlyhelp.domain.submissions import Answers, answer_errors
from earlyhelp.frontdoor.models import PartnerSubmission
from earlyhelp.frontdoor.submissions import IDEMPOTENCY_FIELD, partner_submission_create
from earlyhelp.organisation.models import User

Errors = dict[str, list[str]]
_TRUE = {"true", "yes", "y", "1"}
_FALSE = {"false", "no", "n", "0"}
_BOOLEANS = ("family_consent", "urgent", "share_outcome_consent")


def _from_csv(row: dict[str, str]) -> dict[str, Any]:
    """A CSV record with JSON's types: booleans from true/false (yes/no, 1/0), an empty
    date of birth as null, empty optional values left out."""
    record: dict[str, Any] = {}
    for name, text in row.items():
        value = text.strip() if name in _BOOLEANS or name == "child_date_of_birth" else text
        if name in _BOOLEANS and value.lower() in _TRUE | _FALSE:
            record[name] = value.lower() in _TRUE
        elif name == "child_date_of_birth" and value == "":
            record[name] = None
        elif value != "" or name == "incident_reference":
            record[name] = value
    return record


def _checked(user: User, records: list[Any]) -> tuple[list[tuple[str, Answers]], Errors]:
    rows: list[tuple[str, Answers]] = []
    errors: Errors = {}
    for index, record in enumerate(records):
        serializer = PoliceRowSerializer(data=record)
        if not serializer.is_valid():
            for field, messages in serializer.errors.items():
                errors[f"rows[{index}].{field}"] = [str(m) for m in messages]
            continue
        data = dict(serializer.validated_data)
        key = data.pop("incident_reference").strip()
        if not key:
            errors[f"rows[{index}].incident_reference"] = ["Give the police's incident reference."]
            continue
        data["referrer_organisation"] = data["referrer_organisation"] or user.partner_organisation
        answers = Answers(**{n: data[n] for n in Answers.field_names()})
        for field, message in answer_errors(answers, today=clock.today()).items():
            errors[f"rows[{index}].{field}"] = [message]
        rows.append((key, answers))
    return rows, errors


def _row_errors(index: int, error: InvalidInput) -> Errors:
    return {
        f"rows[{index}].{'incident_reference' if f == IDEMPOTENCY_FIELD else f}": list(ms)
        for f, ms in error.errors.items()
    }


@transaction.atomic
def _record(user: User, rows: list[tuple[str, Answers]]) -> tuple[list[dict[str, Any]], Errors]:
    done: list[dict[str, Any]] = []
    errors: Errors = {}
    for index, (key, answers) in enumerate(rows):
        try:
            with transaction.atomic():
                sent = partner_submission_create(
                    user=user,
                    answers=answers,
                    channel=PartnerSubmission.Channel.POLICE_FEED,
                    idempotency_key=f"police:{key}",
                )
        except InvalidInput as error:
            errors.update(_row_errors(index, error))
            continue
        done.append(
            {"row": index, "incident_reference": key, "created": sent.created, **receipt(sent)}
        )
    if errors:
        transaction.set_rollback(True)
    return done, errors


class PoliceFeed(StrictQuery, APIView):
    scopes = {"POST": "police-feed:write"}
    throttle_classes = [ReadThrottle, FeedThrottle]
    parser_classes = [StrictJSONParser, CSVParser]

    @property
    def max_body_bytes(self) -> int:
        return settings.EARLYHELP_API_FEED_MAX_BYTES

    @extend_schema(
        operation_id="police_feed_create",
        request={
            "application/json": PoliceRowSerializer(many=True),
            "text/csv": {"type": "string", "description": "A header row of the field names."},
        },
        responses={201: FeedReceiptSerializer, 200: FeedReceiptSerializer},
        summary="The police feed: missing-child and e-YOT notifications, all or nothing",
        examples=[
            OpenApiExample(
                "CSV",
                media_type="text/csv",
                request_only=True,
                value=(
                    "incident_reference,category,child_given_name,child_family_name,"
                    "child_date_of_birth,child_sex,postcode,concerns,referrer_name,"
                    "referrer_email,family_consent\n"
                    "KP-2018-0412,MISSING_CHILD,Jordan,Example,2004-03-02,M,CT9 1AA,"
                    "Reported missing overnight,PC Example,pc.example@police.example,false\n"
                ),
            )
        ],
    )
    def post(self, request: Request) -> Response:
        records = self._records(request)
        rows, errors = _checked(request.user, records)
        if errors:
            raise Invalid(errors)
        done, errors = _record(request.user, rows)
        if errors:
            conflict = any(
                "Idempotency-Key" in m or "already used" in m[0] for m in errors.values()
            )
            raise Invalid(errors, status_code=422 if conflict else 400)
        created = sum(1 for d in done if d["created"])
        body = {"received": len(done), "created": created, "notifications": done}
        return Response(body, status=201 if created else 200)

    def _records(self, request: Request) -> list[Any]:
        data = request.data
        if isinstance(data, list) and data and all(isinstance(r, dict) for r in data):
            records = data
            if request.content_type.startswith("text/csv"):
                records = [_from_csv(r) for r in data]
        elif isinstance(data, list) and not data:
            raise FieldError("body", "The feed is empty: send at least one record.")
        else:
            raise FieldError("body", "Send a JSON array of records (or CSV with a header row).")
        limit = settings.EARLYHELP_API_FEED_MAX_ROWS
        if len(records) > limit:
            raise FieldError(
                "rows",
                f"Send at most {limit:,} records at a time (this has {len(records):,}).",
                status_code=413,
            )
        return records
