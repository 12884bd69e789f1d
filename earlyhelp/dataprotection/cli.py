"""What the data protection commands share: who the audit names as their actor."""

from __future__ import annotations

import getpass

from earlyhelp.audit.services import Actor


def command_actor(command: str) -> Actor:
    """The command, and the operating-system account that ran it (for the audit)."""
    try:
        account = getpass.getuser()
    except (KeyError, OSError):  # no name for the uid (some containers)
        account = "unknown account"
    return Actor(id=None, name=f"earlyhelp {command} ({account})"[:150])
