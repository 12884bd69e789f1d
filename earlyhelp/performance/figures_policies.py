"""Who may manage the figures: targets, uploads of imported figures and month sign-off.

The analysts (Information and Intelligence) and the administrators of DESIGN.md's roles
table; nobody else. Figures hold no personal data, so there is no scope by org unit.
"""

from __future__ import annotations

from typing import Any

from earlyhelp.domain.codes import UserRole

FIGURES_ROLES = frozenset({UserRole.ANALYST, UserRole.ADMINISTRATOR})
REFUSED = "Only an analyst or an administrator can manage targets and figures."


def can_manage_figures(user: Any) -> bool:
    """Edit targets, upload imported figures, sign off a month."""
    return bool(getattr(user, "is_authenticated", False)) and user.role in FIGURES_ROLES


can_edit_targets = can_manage_figures
can_upload_figures = can_manage_figures
can_sign_off = can_manage_figures
