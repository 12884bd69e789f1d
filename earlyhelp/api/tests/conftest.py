"""A small synthetic county for the API tests, and tokens to call it with."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from earlyhelp.audit.services import SYSTEM
from earlyhelp.domain.codes import Source
from earlyhelp.organisation.models import User
from earlyhelp.organisation.tokens import SCOPES, api_token_issue
from earlyhelp.people.selectors import forget_postcode_districts
from earlyhelp.testing import factories as f

TODAY = dt.date(2016, 6, 30)


@pytest.fixture(autouse=True)
def _clean_state(settings):
    settings.EARLYHELP_TODAY = TODAY.isoformat()
    cache.clear()
    forget_postcode_districts()
    yield
    cache.clear()
    forget_postcode_districts()


@pytest.fixture
def known_district(db):
    """District DN1, where families at ME14 postcodes are already known."""
    district = f.district("DN1")
    f.FamilyFactory(district=district, postcode="ME14 2AB")
    return district


Client = Callable[..., APIClient]


def token_for(user: User, *scopes: str) -> str:
    """A key for the account, with the scopes given (else every scope it may have)."""
    issued = api_token_issue(
        actor=SYSTEM, user=user, name="test", scopes=list(scopes) or _allowed(user)
    )
    return issued.key


def client_for(user: User, *scopes: str) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(user, *scopes)}")
    return client


def _allowed(user: User) -> list[str]:
    from earlyhelp.organisation.tokens import scope_refusal

    return [s for s in SCOPES if not scope_refusal(user, s)]


@pytest.fixture
def school(db) -> User:
    return f.partner()


@pytest.fixture
def police(db) -> User:
    return f.partner("Kent Police", partner_source=Source.POLICE)


@pytest.fixture
def school_client(school) -> APIClient:
    return client_for(school, "notifications:write", "notifications:read")


@pytest.fixture
def police_client(police) -> APIClient:
    return client_for(police, "police-feed:write", "notifications:read")
