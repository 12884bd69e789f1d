"""The services' transactions, and when they may do without savepoints.

A service decorated with `service_atomic` runs in its own transaction when called alone
and, inside its caller's, in a savepoint: if it fails, the caller may catch the error
and carry on with the transaction.

A caller that catches nothing in a block (any error ends the whole transaction) says so
with `all_or_nothing()`; the services it calls there take no savepoint, which saves two
round trips each. Code inside the block that does want to catch a service's error wraps
the call in its own `transaction.atomic()`: that savepoint is the one rolled back.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import ParamSpec, TypeVar

from django.db import transaction

P = ParamSpec("P")
R = TypeVar("R")

_ALL_OR_NOTHING: ContextVar[bool] = ContextVar("all_or_nothing", default=False)


@contextmanager
def all_or_nothing() -> Iterator[None]:
    """A transaction (a savepoint inside another) that any error rolls back whole."""
    with transaction.atomic():
        token = _ALL_OR_NOTHING.set(True)
        try:
            yield
        finally:
            _ALL_OR_NOTHING.reset(token)


def service_atomic(func: Callable[P, R]) -> Callable[P, R]:
    """`transaction.atomic`, with no savepoint inside `all_or_nothing()`."""

    @functools.wraps(func)
    def inner(*args: P.args, **kwargs: P.kwargs) -> R:
        with transaction.atomic(savepoint=not _ALL_OR_NOTHING.get()):
            return func(*args, **kwargs)

    return inner
