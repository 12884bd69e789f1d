"""What every page view shares: service errors turned into form errors, 404s and 403s."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django import forms
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from earlyhelp.audit.services import Actor, Refs, access_record
from earlyhelp.common.errors import InvalidInput, NotFound, PermissionRefused, StaleRecord
from earlyhelp.domain.errors import DomainError

T = TypeVar("T")


def found(call: Callable[..., T], /, **kwargs: Any) -> T:
    """Call a selector; a record the user may not see becomes a 404 (never a 403)."""
    try:
        return call(**kwargs)
    except NotFound as error:
        raise Http404(error.message) from error


def run_service(
    form: forms.Form,
    call: Callable[..., T],
    /,
    field_map: dict[str, str] | None = None,
    **kwargs: Any,
) -> T | None:
    """Call a service; its refusals become errors on the form's fields. None on refusal.

    `field_map` maps a service's field names to the form's where they differ. A stale
    record leaves what the user typed in the form, with a message listing what changed.
    """
    try:
        return call(**kwargs)
    except NotFound as error:
        raise Http404(error.message) from error
    except PermissionRefused as error:
        raise PermissionDenied(error.message) from error
    except StaleRecord as error:
        form.add_error(None, error.message)
        form.stale_changes = error.changes  # type: ignore[attr-defined]
    except InvalidInput as error:
        for field, messages in error.errors.items():
            _add(form, (field_map or {}).get(field, field), messages)
    except DomainError as error:
        _add(form, (field_map or {}).get(error.field or "", error.field or ""), [error.message])
    return None


def _add(form: forms.Form, field: str, messages: list[str]) -> None:
    target = field if field in form.fields else None
    for message in messages:
        form.add_error(target, message)


def client_ip(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR")


def log_view(request: HttpRequest, *, what: str, refs: Refs) -> None:
    """Record that the user looked at personal data (who, what, when, from where)."""
    access_record(
        actor=Actor.of(request.user),
        action="VIEW",
        what=what,
        refs=refs,
        ip_address=client_ip(request),
    )
