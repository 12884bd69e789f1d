"""What every endpoint shares: unknown query parameters are refused by name."""

from __future__ import annotations

from typing import Any

from rest_framework.mixins import ListModelMixin
from rest_framework.request import Request

from earlyhelp.api.exceptions import Invalid

ALWAYS_ALLOWED = frozenset({"format"})  # the browsable API's ?format=json


class StrictQuery:
    """A query parameter the endpoint does not take is a 400 naming it (a typo in a filter
    must not silently return everything)."""

    def allowed_query(self) -> set[str]:
        allowed = set(ALWAYS_ALLOWED)
        filterset = getattr(self, "filterset_class", None)
        if filterset is not None:
            allowed |= set(filterset.base_filters)
        if isinstance(self, ListModelMixin):
            allowed |= {"page", "page_size"}
        return allowed

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        unknown = sorted(set(request.query_params) - self.allowed_query())
        if unknown:
            raise Invalid(
                {name or "query": ["Unknown query parameter: check its name."] for name in unknown}
            )
