"""The fixtures of `fixtures.py` (a household with a whole history, the worked example)."""

from earlyhelp.dataprotection.tests.fixtures import example, household  # noqa: F401
