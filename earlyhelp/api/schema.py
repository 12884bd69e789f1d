"""The OpenAPI schema: every operation also documents its refusals, all of one shape."""

from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from rest_framework import serializers

ERROR_CODES = {
    "400": "A field of the request is wrong (named in `errors`).",
    "401": "No key, or a key that is not known, revoked or expired (`Authorization`).",
    "403": "The token lacks the scope, or the account's role may not do this.",
    "404": "No such record within the token's scope (`reference`), or no such page.",
    "405": "The address does not take this method.",
    "406": "Ask for `application/json`.",
    "415": "Send `application/json` (or `text/csv` to the police feed).",
    "429": "Too many requests for this token (`rate`): see `Retry-After`.",
}
WRITE_CODES = {
    "413": "The body (or the number of rows) is over the limit named in `errors`.",
    "422": "The `Idempotency-Key` was already used for different answers.",
}


class ErrorSerializer(serializers.Serializer):
    errors = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Each field (body field, header, query parameter) and what is wrong with it.",
    )
    detail = serializers.CharField(help_text="The refusal in one sentence.")


class ApiAutoSchema(AutoSchema):
    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        codes = dict(ERROR_CODES)
        if self.method in {"POST", "PUT", "PATCH"}:
            codes.update(WRITE_CODES)
        for code, description in codes.items():
            if code not in responses:
                response = self._get_response_for_code(ErrorSerializer, code, direction=direction)
                response["description"] = description
                responses[code] = response
        return responses
