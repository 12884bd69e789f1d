"""Page-number pagination: `?page=N&page_size=M` (at most MAX_PAGE_SIZE a page)."""

from __future__ import annotations

from typing import Any

from django.core.paginator import InvalidPage
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request

from earlyhelp.api.exceptions import FieldError

PAGE_SIZE = 50
MAX_PAGE_SIZE = 100


def _positive(request: Request, name: str, default: int, maximum: int | None = None) -> int:
    text = request.query_params.get(name)
    if text is None:
        return default
    if not text.isascii() or not text.isdigit() or len(text) > 9 or int(text) < 1:
        raise FieldError(name, f"Give {name} as a whole number of 1 or more.")
    value = int(text)
    if maximum is not None and value > maximum:
        raise FieldError(name, f"Give {name} of at most {maximum}.")
    return value


class Pages(PageNumberPagination):
    page_size = PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = MAX_PAGE_SIZE

    def get_page_size(self, request: Request) -> int:
        return _positive(request, "page_size", PAGE_SIZE, MAX_PAGE_SIZE)

    def paginate_queryset(self, queryset: Any, request: Request, view: Any = None) -> Any:
        size = self.get_page_size(request)
        number = _positive(request, "page", 1)
        paginator = self.django_paginator_class(queryset, size)
        try:
            self.page = paginator.page(number)
        except InvalidPage as error:
            raise FieldError(
                "page",
                f"There is no page {number}: there are {paginator.num_pages}.",
                status_code=404,
            ) from error
        self.request = request
        return list(self.page)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        return [
            {
                "name": "page",
                "required": False,
                "in": "query",
                "description": "Page number (from 1).",
                "schema": {"type": "integer", "minimum": 1, "maximum": 999_999_999},
            },
            {
                "name": "page_size",
                "required": False,
                "in": "query",
                "description": f"Results a page (default {PAGE_SIZE}, at most {MAX_PAGE_SIZE}).",
                "schema": {"type": "integer", "minimum": 1, "maximum": MAX_PAGE_SIZE},
            },
        ]
