"""The schema's pages: Swagger UI from the sidecar's files, its start-up script served as a
file (the site's Content Security Policy allows no inline script or style)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response

from earlyhelp.api.exceptions import FieldError


class ApiDocs(SpectacularSwaggerSplitView):
    """`/api/docs/`: open to all (the schema holds no data); "Authorize" takes a key."""

    template_name = "api/swagger_ui.html"
    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []
    throttle_classes: list[Any] = []


def not_found(request: Request, *args: Any, **kwargs: Any) -> Response:
    raise FieldError("path", "There is nothing at this address of the API.", status_code=404)
