"""API tokens: issued to another system, acting as one account, limited to named scopes.

A token's key is shown once, when issued; only its SHA-256 is kept (a key is 256 random
bits, so a plain hash is enough: nothing to brute-force). The first characters of the key
(`prefix`) are kept in clear so that people can tell tokens apart in lists and logs.

A token acts as its user — their role, their place in the organisation (the scope of
every read), their partner organisation — limited further by its scopes. A scope is
issued only to a role that may use it (`SCOPE_ROLES`), and checked again at every request
(the user's role may have changed since).

Expiry and revocation run on real time, not the application's clock (as break-glass
grants do, decision 0011): a security window must not move with a date pinned for a demo.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from earlyhelp.audit.models import Action
from earlyhelp.audit.services import Actor, Refs, change_record, diff, snapshot
from earlyhelp.common.errors import InvalidInput, NotFound
from earlyhelp.common.queries import LookupWithRelated
from earlyhelp.domain.codes import Source, UserRole
from earlyhelp.organisation.models import ApiToken, User

KEY_PREFIX = "eh_"
PREFIX_LENGTH = 11  # "eh_" and 8 characters of the key
# Writing last_used_at at most this often keeps a busy token from writing every request.
LAST_USED_RESOLUTION = timedelta(minutes=1)

_STAFF = frozenset({UserRole.PRACTITIONER, UserRole.UNIT_LEADER, UserRole.MANAGER})
_SUBMITTERS = _STAFF | {UserRole.TRIAGE_OFFICER, UserRole.PARTNER}

# Each scope, what it allows, and the roles that may hold it (DESIGN.md's roles table).
SCOPES: dict[str, str] = {
    "notifications:write": "submit notifications",
    "notifications:read": "read the progress of the notifications this account sent",
    "police-feed:write": "send the police's bulk feed of missing-child and e-YOT notifications",
    "people:read": "read people within the account's scope",
    "cases:read": "read cases within the account's scope",
    "indicators:read": "read the monthly indicator values within the account's scope",
}
SCOPE_ROLES: dict[str, frozenset[str]] = {
    "notifications:write": _SUBMITTERS,
    "notifications:read": _SUBMITTERS,
    "police-feed:write": frozenset({UserRole.PARTNER}),
    "people:read": _STAFF | {UserRole.TRIAGE_OFFICER},
    "cases:read": _STAFF,
    "indicators:read": _STAFF | {UserRole.ANALYST, UserRole.ADMINISTRATOR},
}


@dataclass(frozen=True, slots=True)
class IssuedToken:
    token: ApiToken
    key: str  # shown once


def hash_key(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


def scope_refusal(user: User, scope: str) -> str:
    """Why the account may not use the scope; empty when it may."""
    if scope not in SCOPES:
        return f"There is no scope {scope!r}: use one of {', '.join(SCOPES)}."
    if user.role not in SCOPE_ROLES[scope]:
        role = user.role or "no role"
        return f"An account with the role {role} may not {SCOPES[scope]} ({scope})."
    if scope == "police-feed:write" and user.partner_source != Source.POLICE:
        return "Only a police partner account may send the police feed (police-feed:write)."
    return ""


def _check_issue(user: User, name: str, scopes: list[str], expires_at: datetime | None) -> None:
    errors: dict[str, list[str]] = {}
    if not name.strip() or len(name) > 200:
        errors["name"] = ["Give the token a name of up to 200 characters (what uses it)."]
    if not scopes:
        errors["scopes"] = [f"Give at least one scope: {', '.join(SCOPES)}."]
    refused = [r for r in (scope_refusal(user, s) for s in scopes) if r]
    if refused:
        errors["scopes"] = refused
    if not user.is_active:
        errors["user"] = [f"The account {user.username} is not active."]
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = ["The expiry must be in the future."]
    if errors:
        raise InvalidInput(errors)


@transaction.atomic
def api_token_issue(
    *,
    actor: Actor,
    user: User,
    name: str,
    scopes: list[str],
    expires_at: datetime | None = None,
) -> IssuedToken:
    """A new token for the account; the key is in the result and nowhere else."""
    scopes = sorted(set(scopes))
    _check_issue(user, name, scopes, expires_at)
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        prefix=key[:PREFIX_LENGTH],
        key_hash=hash_key(key),
        scopes=scopes,
        created_by_id=actor.id,
        expires_at=expires_at,
    )
    change_record(actor=actor, instance=token, action=Action.CREATE, refs=Refs())
    return IssuedToken(token=token, key=key)


@transaction.atomic
def api_token_revoke(*, actor: Actor, token: ApiToken) -> ApiToken:
    """Stop the token working (at once). Revoking a revoked token changes nothing."""
    if token.revoked_at is not None:
        return token
    before = snapshot(token)
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    change_record(
        actor=actor,
        instance=token,
        action=Action.UPDATE,
        changes=diff(before, snapshot(token)),
        refs=Refs(),
    )
    return token


def api_token_list(*, user: User | None = None) -> QuerySet[ApiToken]:
    tokens = ApiToken.objects.select_related("user").order_by("user__username", "name", "pk")
    return tokens if user is None else tokens.filter(user=user)


def api_token_by_prefix(*, prefix: str) -> ApiToken:
    found = list(ApiToken.objects.filter(prefix=prefix)[:2])
    if len(found) != 1:
        raise NotFound("token with that prefix" if not found else "single token with that prefix")
    return found[0]


_TOKEN_WITH_USER = LookupWithRelated(ApiToken, relation="user", field="key_hash")


def api_token_authenticate(key: str) -> ApiToken | None:
    """The working token with this key (its user loaded), or None: unknown, revoked,
    expired, or its account inactive are not told apart."""
    if not key.startswith(KEY_PREFIX) or len(key) > 100:
        return None
    token = _TOKEN_WITH_USER.get(hash_key(key))
    now = timezone.now()
    if token is None or token.revoked_at is not None or not token.user.is_active:
        return None
    if token.expires_at is not None and token.expires_at <= now:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
    return token
