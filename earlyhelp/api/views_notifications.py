"""Notifications: submit one (exactly once per `Idempotency-Key`), read its progress, and
list the ones this account sent."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from earlyhelp.api.base import StrictQuery
from earlyhelp.api.references import clean_reference
from earlyhelp.api.serializers import (
    PartnerViewSerializer,
    ReceiptSerializer,
    SubmissionSerializer,
)
from earlyhelp.api.throttling import ReadThrottle, SubmitThrottle
from earlyhelp.casework.selectors_partner import (
    partner_status,
    partner_submission_list,
    partner_views,
)
from earlyhelp.domain.submissions import Stage, partner_stage
from earlyhelp.frontdoor.models import PartnerSubmission
from earlyhelp.frontdoor.submissions import (
    IDEMPOTENCY_FIELD,
    Submitted,
    partner_submission_create,
    partner_submission_receive,
)

REFERENCE = OpenApiParameter(
    "reference",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="The notification's reference, as the submission's answer gave it.",
)
IDEMPOTENCY = OpenApiParameter(
    IDEMPOTENCY_FIELD,
    OpenApiTypes.STR,
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "Any unique string (a UUID) of up to 255 printable ASCII characters: a retry with "
        "the same key and body answers 200 with the first reference and creates nothing."
    ),
)


def _queued() -> bool:
    """`EARLYHELP_SUBMISSIONS=queued`: the API takes submissions into the queue, and
    `earlyhelp submissions --record` records them (decision 0017)."""
    return bool(settings.EARLYHELP_SUBMISSIONS == "queued")


def receipt(sent: Submitted) -> dict[str, str]:
    ref = sent.reference
    return {
        "reference": ref,
        "status": Stage.RECEIVED.value if sent.created else _stage(sent),
        "status_url": reverse("api:notification", kwargs={"reference": ref}),
    }


def _stage(sent: Submitted) -> str:
    """How far a replayed submission has got, short of where it went (the status page
    tells that, under the family's consent)."""
    n = sent.notification
    if n is None:
        return Stage.RECEIVED.value  # queued: not recorded yet
    return partner_stage(
        screening_started=n.screening_started_at is not None,
        triaged=n.triaged_at is not None,
        allocated=False,
        closed=False,
    ).value


class NotificationList(StrictQuery, ListAPIView):
    scopes = {"GET": "notifications:read", "POST": "notifications:write"}
    throttle_classes = [ReadThrottle, SubmitThrottle]
    serializer_class = SubmissionSerializer

    def get_queryset(self) -> Any:
        return partner_submission_list(user=self.request.user)

    @extend_schema(
        operation_id="notifications_list",
        responses=PartnerViewSerializer(many=True),
        filters=False,
        summary="The notifications this account sent, newest first",
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        views = partner_views(user=request.user, notifications=page)
        return self.get_paginated_response(PartnerViewSerializer(views, many=True).data)

    @extend_schema(
        operation_id="notifications_create",
        parameters=[IDEMPOTENCY],
        request=SubmissionSerializer,
        responses={201: ReceiptSerializer, 200: ReceiptSerializer},
        summary="Submit a notification (exactly once per Idempotency-Key)",
    )
    def post(self, request: Request) -> Response:
        serializer = SubmissionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        submit = partner_submission_receive if _queued() else partner_submission_create
        sent = submit(
            user=request.user,
            answers=serializer.answers(),
            channel=PartnerSubmission.Channel.API,
            idempotency_key=request.headers.get(IDEMPOTENCY_FIELD, ""),
        )
        if sent.created:
            return Response(receipt(sent), status=201)
        return Response(receipt(sent), status=200, headers={"Idempotent-Replayed": "true"})


class NotificationDetail(StrictQuery, GenericAPIView):
    scopes = {"GET": "notifications:read"}
    throttle_classes = [ReadThrottle]
    serializer_class = PartnerViewSerializer
    pagination_class = None

    @extend_schema(
        operation_id="notifications_retrieve",
        parameters=[REFERENCE],
        responses=PartnerViewSerializer,
        summary="The progress of a notification this account sent",
    )
    def get(self, request: Request, reference: str) -> Response:
        ref = clean_reference(reference, what="notification")
        view = partner_status(user=request.user, notification_ref=ref)
        return Response(PartnerViewSerializer(view).data)
