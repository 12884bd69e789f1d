"""The API's reference page (generated from the schema) and the API's "nothing here"."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET
from rest_framework.request import Request
from rest_framework.response import Response

from earlyhelp.api.docs import api_reference
from earlyhelp.api.exceptions import FieldError


@require_GET
def api_docs(request: HttpRequest) -> HttpResponse:
    """`/api/docs/`: open to all (the schema holds no data)."""
    info, operations = api_reference()
    context = {"title": "Early Help API reference", "info": info, "operations": operations}
    return render(request, "api/docs.html", context)


def not_found(request: Request, *args: Any, **kwargs: Any) -> Response:
    raise FieldError("path", "There is nothing at this address of the API.", status_code=404)
