"""Kept for old imports: the factories live in `earlyhelp.testing.factories`."""

from earlyhelp.testing.factories import *  # noqa: F403
