"""People, cases and indicator values, read within the account's scope.

People and cases are personal data: every record returned (in a list or on its own) is
written to the access log under the account that read it, as the pages do.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.request import Request
from rest_framework.response import Response

from earlyhelp.api.base import StrictQuery
from earlyhelp.api.filters import CaseFilter, IndicatorValueFilter, PersonFilter
from earlyhelp.api.references import clean_reference
from earlyhelp.api.selectors import indicator_value_list
from earlyhelp.api.serializers import CaseSerializer, IndicatorValueSerializer, PersonSerializer
from earlyhelp.audit.services import Actor, Refs, access_record
from earlyhelp.casework.models import Case
from earlyhelp.casework.selectors import case_by_ref, case_list
from earlyhelp.people.models import Person
from earlyhelp.people.selectors import person_by_ref, person_list
from earlyhelp.performance.models import IndicatorValue


def _reference(what: str) -> OpenApiParameter:
    return OpenApiParameter(
        "reference", OpenApiTypes.STR, OpenApiParameter.PATH, description=f"The {what}'s reference"
    )


def log_reads(request: Request, records: Iterable[Person | Case]) -> None:
    """One access-log row for each person or case the caller was sent."""
    actor = Actor.of(request.user)
    address = request.META.get("REMOTE_ADDR")
    for record in records:
        if isinstance(record, Person):
            what, refs = (
                f"API: person {record.person_ref}",
                Refs(family_id=record.family_id, person_id=record.pk),
            )
        else:
            what, refs = (
                f"API: case {record.case_ref}",
                Refs(family_id=record.family_id, case_id=record.pk),
            )
        access_record(actor=actor, action="VIEW", what=what, refs=refs, ip_address=address)


class _ListView(ListAPIView):
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        log_reads(request, page)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)


class PersonList(StrictQuery, _ListView):
    scopes = {"GET": "people:read"}
    serializer_class = PersonSerializer
    filterset_class = PersonFilter

    def get_queryset(self) -> Any:
        people = person_list(user=self.request.user).filter(merged_into__isnull=True)
        return people.order_by("family_name", "given_name", "pk")

    @extend_schema(operation_id="people_list", summary="People within the token's scope")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class PersonDetail(StrictQuery, GenericAPIView):
    scopes = {"GET": "people:read"}
    serializer_class = PersonSerializer

    @extend_schema(
        operation_id="people_retrieve", parameters=[_reference("person")], summary="A person"
    )
    def get(self, request: Request, reference: str) -> Response:
        ref = clean_reference(reference, what="person")
        person = person_by_ref(user=request.user, ref=ref)
        log_reads(request, [person])
        return Response(PersonSerializer(person).data)


class CaseList(StrictQuery, _ListView):
    scopes = {"GET": "cases:read"}
    serializer_class = CaseSerializer
    filterset_class = CaseFilter

    def get_queryset(self) -> Any:
        return case_list(user=self.request.user).order_by("-opened_on", "-pk")

    @extend_schema(operation_id="cases_list", summary="Cases within the token's scope")
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)


class CaseDetail(StrictQuery, GenericAPIView):
    scopes = {"GET": "cases:read"}
    serializer_class = CaseSerializer

    @extend_schema(operation_id="cases_retrieve", parameters=[_reference("case")], summary="A case")
    def get(self, request: Request, reference: str) -> Response:
        ref = clean_reference(reference, what="case")
        case = case_by_ref(user=request.user, ref=ref)
        log_reads(request, [case])
        return Response(CaseSerializer(case).data)


class IndicatorValueList(StrictQuery, ListAPIView):
    scopes = {"GET": "indicators:read"}
    serializer_class = IndicatorValueSerializer
    queryset = IndicatorValue.objects.none()  # the model, for the schema
    filterset_class = IndicatorValueFilter

    def get_queryset(self) -> Any:
        return indicator_value_list(user=self.request.user)

    @extend_schema(
        operation_id="indicators_list",
        summary="Stored monthly indicator values within the token's scope",
    )
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().get(request, *args, **kwargs)

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        return self.get_paginated_response(self.get_serializer(page, many=True).data)
