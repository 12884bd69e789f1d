"""Signing in with a single-use code sent by email: for partners who refer now and then.

`sign_in_code_request` issues a 6-digit code for an email address and sends it. A code
lasts `CODE_LIFETIME`, allows `MAX_WRONG_TRIES` wrong tries, and at most
`MAX_CODES_PER_WINDOW` codes are issued for one address in `CODE_LIFETIME`. Only an HMAC
of the code (keyed by SECRET_KEY, with the address) is stored. The requester is told the
same thing whatever the address: whether it belongs to an account never shows.

`sign_in_code_verify` checks a code and returns the partner account for that address,
creating it on first use (role PARTNER, no usable password). An address that belongs to a
staff account never signs in with a code: staff use their password and two-factor code.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F

from earlyhelp.audit.models import Action
from earlyhelp.audit.services import SYSTEM, Actor, Refs, change_record
from earlyhelp.common import clock
from earlyhelp.common.errors import InvalidInput, PermissionRefused
from earlyhelp.common.validation import full_clean_or_raise
from earlyhelp.domain.codes import UserRole
from earlyhelp.domain.submissions import PARTNER_SOURCES
from earlyhelp.organisation.models import SignInCode, User

CODE_LIFETIME = timedelta(minutes=15)
MAX_WRONG_TRIES = 5
MAX_CODES_PER_WINDOW = 3
CODE_DIGITS = 6
MAX_EMAIL = 254
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_CODE = re.compile(r"^[0-9]{6}$")

EXPIRED = "This code has expired or has been used: get a new code."
WRONG = "The code is not right: check the email and enter the 6 numbers."
TOO_MANY = "Too many wrong codes: get a new code."
STAFF = "This email address belongs to a staff account: sign in with your username and password."
INACTIVE = "This account is not active: ask the front door team."


@dataclass(frozen=True, slots=True)
class SignedIn:
    user: User
    created: bool  # a first sign-in: ask the partner about their organisation


def normalise_email(email: str) -> str:
    """The form in which codes are kept and accounts matched: trimmed, lower case."""
    return email.strip().lower()


def check_email(email: str) -> str:
    address = normalise_email(email)
    if not address:
        raise InvalidInput({"email": ["Enter your email address."]})
    if len(address) > MAX_EMAIL or not _EMAIL.match(address):
        raise InvalidInput({"email": ["Enter an email address like name@example.org."]})
    return address


def _digest(email: str, code: str) -> str:
    key = settings.SECRET_KEY.encode()
    return hmac.new(key, f"{email}\n{code}".encode(), hashlib.sha256).hexdigest()


def _accounts(email: str) -> list[User]:
    return list(User.objects.filter(email__iexact=email).order_by("pk"))


def _staff_only(email: str) -> bool:
    accounts = _accounts(email)
    return bool(accounts) and all(u.role != UserRole.PARTNER for u in accounts)


@transaction.atomic
def sign_in_code_issue(*, email: str, now: datetime | None = None) -> str | None:
    """A new code for the address, or None when enough were issued lately (or the address
    is a staff account's). The caller tells the person the same thing either way."""
    address = check_email(email)
    moment = now or clock.now()
    recent = SignInCode.objects.filter(email=address, created_at__gt=moment - CODE_LIFETIME)
    if recent.count() >= MAX_CODES_PER_WINDOW or _staff_only(address):
        return None
    code = f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"
    SignInCode.objects.create(
        email=address,
        code_hash=_digest(address, code),
        created_at=moment,
        expires_at=moment + CODE_LIFETIME,
    )
    return code


def sign_in_code_request(*, email: str, service_name: str = "Early Help") -> None:
    """Issue a code and email it (nothing is sent when none was issued)."""
    code = sign_in_code_issue(email=email)
    if code is None:
        return
    minutes = int(CODE_LIFETIME.total_seconds() // 60)
    send_mail(
        subject=f"Your {service_name} sign-in code is {code}",
        message=(
            f"Your sign-in code for the {service_name} partner portal is:\n\n{code}\n\n"
            f"It works once, for {minutes} minutes. If you did not ask for it, you can "
            "ignore this email: no one can sign in without the code."
        ),
        from_email=None,
        recipient_list=[normalise_email(email)],
    )


def _live_codes(address: str, moment: datetime) -> list[SignInCode]:
    return list(
        SignInCode.objects.select_for_update()
        .filter(email=address, used_at__isnull=True, expires_at__gt=moment)
        .order_by("-created_at")
    )


@transaction.atomic
def _check_code(address: str, code: str, moment: datetime) -> str:
    """ "" when the code is right (every live code of the address is then used up), else
    what is wrong. A wrong try is counted against every live code, and committed."""
    live = _live_codes(address, moment)
    usable = [c for c in live if c.attempts < MAX_WRONG_TRIES]
    if not usable:
        return TOO_MANY if live else EXPIRED
    given = code.replace(" ", "").strip()
    digest = _digest(address, given) if _CODE.match(given) else ""
    match = next((c for c in usable if hmac.compare_digest(c.code_hash, digest)), None)
    if match is None:
        SignInCode.objects.filter(pk__in=[c.pk for c in usable]).update(attempts=F("attempts") + 1)
        tries_left = MAX_WRONG_TRIES - 1 - min(c.attempts for c in usable)
        return WRONG if tries_left > 0 else TOO_MANY
    SignInCode.objects.filter(pk__in=[c.pk for c in live]).update(used_at=moment)
    return ""


def _create_partner(address: str) -> User:
    username = address
    if len(username) > 150 or User.objects.filter(username=username).exists():
        username = f"partner-{hashlib.sha256(address.encode()).hexdigest()[:40]}"
    user = User(username=username, email=address, role=UserRole.PARTNER)
    user.set_unusable_password()
    full_clean_or_raise(user, exclude=["password"])
    user.save()
    change_record(
        actor=SYSTEM,
        instance=user,
        action=Action.CREATE,
        changes={"username": [None, username], "role": [None, UserRole.PARTNER]},
        refs=Refs(),
    )
    return user


@transaction.atomic
def _partner_account(address: str) -> SignedIn:
    accounts = _accounts(address)
    partner = next((u for u in accounts if u.role == UserRole.PARTNER), None)
    if partner is None and accounts:
        raise InvalidInput({"code": [STAFF]})
    if partner is None:
        return SignedIn(user=_create_partner(address), created=True)
    if not partner.is_active:
        raise InvalidInput({"code": [INACTIVE]})
    return SignedIn(user=partner, created=False)


def sign_in_code_verify(*, email: str, code: str, now: datetime | None = None) -> SignedIn:
    """The partner account the code signs in (created on first use); InvalidInput naming
    `code` when it is wrong, expired, used or tried too often."""
    address = check_email(email)
    problem = _check_code(address, code, now or clock.now())  # committed: tries count
    if problem:
        raise InvalidInput({"code": [problem]})
    return _partner_account(address)


@transaction.atomic
def partner_profile_update(*, user: User, organisation: str, source: str) -> User:
    """A partner says which organisation they work for (asked at their first sign-in)."""
    if user.role != UserRole.PARTNER:
        raise PermissionRefused("Only partner accounts have a partner organisation.")
    errors: dict[str, list[str]] = {}
    name = " ".join(organisation.split())
    if not name:
        errors["partner_organisation"] = ["Enter the name of your organisation."]
    elif len(name) > 200:
        errors["partner_organisation"] = ["Use 200 characters or fewer."]
    if source not in {s.value for s in PARTNER_SOURCES}:
        errors["partner_source"] = ["Choose the kind of organisation you work for."]
    if errors:
        raise InvalidInput(errors)
    before = [user.partner_organisation, user.partner_source]
    user.partner_organisation, user.partner_source = name, source
    user.save(update_fields=["partner_organisation", "partner_source"])
    change_record(
        actor=Actor.of(user),
        instance=user,
        action=Action.UPDATE,
        changes={
            "partner_organisation": [before[0], name],
            "partner_source": [before[1], source],
        },
        refs=Refs(),
    )
    return user
