"""Signing in: who must use two-factor sign-in, its devices, and single sign-on.

Two-factor sign-in uses django-otp: a TOTP device (an authenticator app) and a static device
holding single-use recovery codes. Writes go through the functions below, like any service;
each records a change row without the secret itself.
"""

from __future__ import annotations

import logging
import secrets
from base64 import b32encode
from binascii import unhexlify
from dataclasses import dataclass
from math import ceil
from typing import Any

from django.conf import settings
from django.core.exceptions import SuspiciousOperation
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django_otp import devices_for_user, user_has_device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice
from mozilla_django_oidc.auth import OIDCAuthenticationBackend

from earlyhelp.audit.models import Action
from earlyhelp.audit.services import Actor, Refs, change_record
from earlyhelp.common.errors import InvalidInput
from earlyhelp.domain.codes import UserRole
from earlyhelp.organisation.models import User

logger = logging.getLogger(__name__)

# Roles that can see case records (DESIGN.md's roles table), and administrators, who can
# change who sees what. Analysts see pseudonymised records only; partners only what they
# submitted themselves.
TWO_FACTOR_ROLES = frozenset(
    {
        UserRole.TRIAGE_OFFICER,
        UserRole.PRACTITIONER,
        UserRole.UNIT_LEADER,
        UserRole.MANAGER,
        UserRole.QA_AUDITOR,
        UserRole.DATA_PROTECTION_OFFICER,
        UserRole.ADMINISTRATOR,
    }
)
RECOVERY_CODE_COUNT = 10
RECOVERY_DEVICE_NAME = "Recovery codes"
APP_DEVICE_NAME = "Authenticator app"
TOTP_DIGITS = 6


def two_factor_required(user: Any) -> bool:
    """Whether this account must complete two-factor sign-in (demo setting aside)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return user.role in TWO_FACTOR_ROLES or user.is_superuser or user.is_staff


def two_factor_has_device(user: User) -> bool:
    return user_has_device(user, confirmed=True)


def totp_device_of(user: User) -> TOTPDevice | None:
    return TOTPDevice.objects.devices_for_user(user, confirmed=True).first()


def recovery_codes_left(user: User) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def totp_key_new() -> str:
    """A new random TOTP secret, hex-encoded as django-otp stores it (160 bits)."""
    return secrets.token_hex(20)


def totp_key_base32(key: str) -> str:
    """The secret as an authenticator app asks for it when typed: base32 in groups of 4."""
    text = b32encode(unhexlify(key)).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def totp_config_url(*, user: User, key: str) -> str:
    """The otpauth:// address a QR code carries to the authenticator app."""
    return TOTPDevice(user=user, key=key, name=APP_DEVICE_NAME).config_url


def _normalise(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def _code_error(message: str) -> InvalidInput:
    return InvalidInput({"code": [message]})


@transaction.atomic
def two_factor_enrol(*, actor: Actor, user: User, key: str, code: str) -> list[str]:
    """Confirm a new authenticator app with a code it shows; replace any earlier one.

    Returns the new recovery codes (shown to the user once). A wrong code is refused with
    a message on `code`.
    """
    token = _normalise(code)
    if not (token.isdigit() and len(token) == TOTP_DIGITS):
        raise _code_error("Enter the 6-digit code from your authenticator app.")
    totp = TOTP(unhexlify(key), digits=TOTP_DIGITS)
    if not totp.verify(int(token), tolerance=1):
        raise _code_error("The code is not right. Check the app shows Early Help, then try again.")
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(
        user=user, key=key, name=APP_DEVICE_NAME, confirmed=True, last_t=totp.t(), drift=0
    )
    change_record(
        actor=actor,
        instance=device,
        action=Action.CREATE,
        changes={"user": [None, user.get_username()], "name": [None, device.name]},
        refs=Refs(),
    )
    return recovery_codes_create(actor=actor, user=user)


@transaction.atomic
def recovery_codes_create(*, actor: Actor, user: User) -> list[str]:
    """A fresh set of single-use recovery codes; earlier codes stop working."""
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=RECOVERY_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    change_record(
        actor=actor,
        instance=device,
        action=Action.CREATE,
        changes={"user": [None, user.get_username()], "codes": [None, len(codes)]},
        refs=Refs(),
    )
    return codes


@dataclass(frozen=True, slots=True)
class Verified:
    device: TOTPDevice | StaticDevice
    used_recovery_code: bool


def two_factor_verify(*, user: User, code: str) -> Verified:
    """Check a code from the authenticator app or a recovery code (which is then used up).

    Wrong codes slow further attempts down (django-otp's throttling: 1, 2, 4 … seconds).
    """
    token = _normalise(code)
    if not token:
        raise _code_error("Enter the code from your authenticator app, or a recovery code.")
    with transaction.atomic():  # devices are locked while checked; a wrong code is counted
        outcome = _verify(user, token)
    if isinstance(outcome, str):
        raise _code_error(outcome)
    return outcome


def _verify(user: User, token: str) -> Verified | str:
    is_app_code = token.isdigit() and len(token) == TOTP_DIGITS
    for device in devices_for_user(user, confirmed=True, for_verify=True):
        if isinstance(device, TOTPDevice) != is_app_code:
            continue
        allowed, details = device.verify_is_allowed()
        if not allowed:
            return _throttled_message(details)
        if device.verify_token(token):
            return Verified(device=device, used_recovery_code=not is_app_code)
    if is_app_code:
        return "The code is not right. Enter the code the app shows now."
    return "The code is not right. Check the recovery code and try again."


def _throttled_message(details: dict[str, Any] | None) -> str:
    until = (details or {}).get("locked_until")
    seconds = max(1, ceil((until - timezone.now()).total_seconds())) if until else 60
    return (
        f"You have entered too many wrong codes. Wait {seconds} second{'s' * (seconds != 1)}, "
        "then try again."
    )


@transaction.atomic
def two_factor_reset(*, actor: Actor, user: User) -> None:
    """Remove the account's authenticator app and recovery codes (a lost phone): the
    next sign-in asks the user to set up an app again."""
    for device in [*TOTPDevice.objects.filter(user=user), *StaticDevice.objects.filter(user=user)]:
        change_record(
            actor=actor,
            instance=device,
            action=Action.DELETE,
            changes={"user": [user.get_username(), None]},
            refs=Refs(),
        )
        device.delete()


class CouncilOIDCBackend(OIDCAuthenticationBackend):
    """Single sign-on: an identity from the council's OpenID Connect provider signs in the
    existing active account whose email matches the OIDC_EMAIL_CLAIM claim. Accounts are
    never created here; no match, or more than one, refuses the sign-in.
    """

    def authenticate(self, request: Any, **kwargs: Any) -> User | None:
        try:
            return super().authenticate(request, **kwargs)
        except SuspiciousOperation as error:  # a bad token: refused, back to sign-in
            logger.warning("Single sign-on refused: %s", error)
            return None

    def verify_token(self, token: str, **kwargs: Any) -> dict[str, Any]:
        payload = super().verify_token(token, **kwargs)
        audience = payload.get("aud")
        audiences = audience if isinstance(audience, list) else [audience]
        if self.OIDC_RP_CLIENT_ID not in audiences:
            raise SuspiciousOperation("The ID token was issued for another client.")
        issuer = self.get_settings("OIDC_OP_ISSUER", "")
        if issuer and payload.get("iss") != issuer:
            raise SuspiciousOperation("The ID token comes from another issuer.")
        self.id_token_claims = payload
        return payload

    def get_userinfo(self, access_token: str, id_token: str, payload: dict) -> dict[str, Any]:
        # The verified ID token's claims (Entra ID puts preferred_username there), with
        # the userinfo endpoint's on top.
        return {**payload, **super().get_userinfo(access_token, id_token, payload)}

    def _email(self, claims: dict[str, Any]) -> str:
        return str(claims.get(self.get_settings("OIDC_EMAIL_CLAIM", "email")) or "").strip()

    def verify_claims(self, claims: dict[str, Any]) -> bool:
        return bool(self._email(claims))

    def describe_user_by_claims(self, claims: dict[str, Any]) -> str:
        return "the identity given by the provider"

    def filter_users_by_claims(self, claims: dict[str, Any]) -> QuerySet[User]:
        email = self._email(claims)
        if not email:
            return User.objects.none()
        return User.objects.filter(email__iexact=email, is_active=True)

    def create_user(self, claims: dict[str, Any]) -> None:
        raise SuspiciousOperation("Accounts are not created by single sign-on.")


def oidc_trusted_for_two_factor(backend_path: str | None) -> bool:
    """Whether a session signed in by single sign-on counts as two-factor (the council's
    provider enforces multi-factor authentication: OIDC_TRUST_IDP_MFA)."""
    return bool(
        getattr(settings, "OIDC_TRUST_IDP_MFA", False)
        and backend_path == f"{CouncilOIDCBackend.__module__}.{CouncilOIDCBackend.__name__}"
    )
