"""Every 4xx of the API has one shape: `{"errors": {field: [message, ...]}, "detail": ...}`.

`errors` names what was wrong — a field of the body (`postcode`, `rows[3].postcode` in the
police feed), `body` for the body as a whole, a header (`Authorization`,
`Idempotency-Key`, `Content-Type`), a query parameter, `reference` for a record not found,
`rate` for throttling — and `detail` says it in one sentence.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_handler

from earlyhelp.common.errors import InvalidInput, NotFound, PermissionRefused
from earlyhelp.frontdoor.submissions import IDEMPOTENCY_FIELD

Errors = dict[str, list[str]]


class FieldError(exceptions.APIException):
    """A refusal that names its field (and its status)."""

    def __init__(self, field: str, message: str, *, status_code: int = 400) -> None:
        super().__init__(message)
        self.status_code = status_code
        self.errors: Errors = {field: [message]}


class Invalid(exceptions.APIException):
    """Several fields wrong at once (400, or 422 for a reused Idempotency-Key)."""

    def __init__(self, errors: Errors, *, status_code: int = 400) -> None:
        super().__init__(_first(errors))
        self.status_code = status_code
        self.errors = errors


def not_found(field: str, what: str) -> FieldError:
    return FieldError(field, f"No {what} was found with that {field}.", status_code=404)


def from_invalid_input(error: InvalidInput) -> Invalid:
    """400; 422 when an Idempotency-Key was already used for other answers."""
    reused = any("already used" in m for m in error.errors.get(IDEMPOTENCY_FIELD, []))
    code = 422 if reused else 400
    return Invalid({k: list(v) for k, v in error.errors.items()}, status_code=code)


def flatten(detail: Any, prefix: str = "") -> Errors:
    """DRF's nested error detail as `{"rows[3].postcode": [...]}`."""
    if isinstance(detail, Mapping):
        out: Errors = {}
        for key, value in detail.items():
            name = "body" if key in {"non_field_errors", "detail"} and not prefix else str(key)
            path = f"{prefix}.{name}" if prefix and not name.startswith("[") else prefix + name
            out.update(flatten(value, path))
        return out
    if isinstance(detail, list) and detail and all(isinstance(d, str) for d in detail):
        return {prefix or "body": [str(d) for d in detail]}
    if isinstance(detail, list):
        out = {}
        for index, value in enumerate(detail):
            out.update(flatten(value, f"{prefix}[{index}]"))
        return out
    return {prefix or "body": [str(detail)]}


def _first(errors: Errors) -> str:
    for field, messages in errors.items():
        if messages:
            return f"{field}: {messages[0]}"
    return "The request was refused."


_FIELD_OF: dict[type[exceptions.APIException], str] = {
    exceptions.NotAuthenticated: "Authorization",
    exceptions.AuthenticationFailed: "Authorization",
    exceptions.PermissionDenied: "Authorization",
    exceptions.ParseError: "body",
    exceptions.UnsupportedMediaType: "Content-Type",
    exceptions.NotAcceptable: "Accept",
    exceptions.MethodNotAllowed: "method",
    exceptions.NotFound: "path",
    exceptions.Throttled: "rate",
}


def _translate(exc: Exception) -> Exception:
    """Domain and Django errors as the API's own."""
    if isinstance(exc, InvalidInput):
        return from_invalid_input(exc)
    if isinstance(exc, NotFound):
        return FieldError("reference", exc.message, status_code=404)
    if isinstance(exc, PermissionRefused | DjangoPermissionDenied):
        return FieldError("Authorization", str(getattr(exc, "message", exc)), status_code=403)
    if isinstance(exc, Http404):
        return FieldError("path", "There is nothing at this address.", status_code=404)
    if isinstance(exc, RequestDataTooBig):
        return FieldError("body", "The body is too large.", status_code=413)
    if isinstance(exc, exceptions.Throttled):
        wait = f" Try again in {int(exc.wait) + 1} seconds." if exc.wait is not None else ""
        exc.detail = f"Too many requests for this token.{wait}"
    return exc


def _errors(exc: exceptions.APIException) -> Errors:
    if isinstance(exc, FieldError | Invalid):
        return exc.errors
    if isinstance(exc, exceptions.ValidationError):
        return flatten(exc.detail)
    for kind, field in _FIELD_OF.items():
        if isinstance(exc, kind):
            return {field: [str(exc.detail)]}
    return {"body": [str(exc.detail)]}


def handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    exc = _translate(exc)
    response = drf_handler(exc, context)
    if response is None or not isinstance(exc, exceptions.APIException):
        return response
    if response.status_code < 400 or response.status_code >= 500:
        return response
    errors = _errors(exc) or {"body": ["The request was refused."]}
    detail = exc.detail if isinstance(exc.detail, str) else _first(errors)
    response.data = {"errors": errors, "detail": str(detail)}
    if response.status_code == status.HTTP_401_UNAUTHORIZED:
        response["WWW-Authenticate"] = "Token"
    return response
