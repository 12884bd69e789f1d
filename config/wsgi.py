"""The WSGI application (gunicorn `config.wsgi:application`)."""

from __future__ import annotations

import atexit
import gc
import os
from collections.abc import Callable, Iterable
from typing import Any

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
_site = get_wsgi_application()

from django.conf import settings  # noqa: E402  (configured by the line above)
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402

API_PREFIX = "/api/v1/"


def _handler_through(middleware: list[str]) -> WSGIHandler:
    """A second handler whose requests pass through `middleware` only (the handler reads
    its list once, when made; every other setting is shared)."""
    every = settings.MIDDLEWARE
    settings.MIDDLEWARE = middleware
    try:
        return WSGIHandler()
    finally:
        settings.MIDDLEWARE = every


_token_api = _handler_through(settings.API_TOKEN_MIDDLEWARE)


def token_api_request(environ: dict[str, Any]) -> bool:
    """A call to the REST API by another system, with its token (decision 0018)."""
    scheme = environ.get("HTTP_AUTHORIZATION", "")[:6].lower()
    return scheme == "token " and environ.get("PATH_INFO", "").startswith(API_PREFIX)


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    handler = _token_api if token_api_request(environ) else _site
    return handler(environ, start_response)


# What is loaded by now lives as long as the process. Frozen, the garbage collector stops
# walking it on every full collection: a full collection of a loaded process took about
# 140 ms, every request in the process waiting (decision 0018). Thawed at exit, so that
# the interpreter's last collection still runs over it.
gc.collect()
gc.freeze()
atexit.register(gc.unfreeze)
