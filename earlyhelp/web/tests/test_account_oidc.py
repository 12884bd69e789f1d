"""Single sign-on through OpenID Connect, with the provider's endpoints mocked.

The provider signs its ID tokens with HS256 and the client secret here (Entra ID uses
RS256 and its published keys); everything else is the code flow as a council runs it.
"""

from __future__ import annotations

import time
from unittest import mock
from urllib.parse import parse_qs, urlsplit

import jwt
import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.urls import NoReverseMatch, include, path, reverse

from earlyhelp.organisation.models import User
from earlyhelp.testing import factories as f

# The site's routes with single sign-on on (the settings add them when OIDC_RP_CLIENT_ID is set).
urlpatterns = [
    path("oidc/", include("mozilla_django_oidc.urls")),
    path("", include("config.urls")),
]

pytestmark = pytest.mark.django_db
ISSUER = "https://login.example.test/tenant/v2.0"
CLIENT_ID = "early-help-client"
SECRET = "a-client-secret-long-enough-for-hs256-signing"  # noqa: S105 - a test value
BACKEND = "earlyhelp.organisation.auth.CouncilOIDCBackend"


@pytest.fixture
def oidc(settings):
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://login.example.test/authorize"
    settings.OIDC_OP_TOKEN_ENDPOINT = "https://login.example.test/token"
    settings.OIDC_OP_USER_ENDPOINT = "https://login.example.test/userinfo"
    settings.OIDC_OP_ISSUER = ISSUER
    settings.OIDC_RP_SIGN_ALGO = "HS256"
    settings.OIDC_RP_SCOPES = "openid email profile"
    settings.OIDC_EMAIL_CLAIM = "email"
    settings.OIDC_CREATE_USER = False
    settings.OIDC_USE_PKCE = True
    settings.LOGIN_REDIRECT_URL_FAILURE = "/sign-in/?sso=failed"
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, BACKEND]
    return settings


def response(payload: dict) -> mock.Mock:
    answer = mock.Mock(status_code=200, headers={"content-type": "application/json"})
    answer.json.return_value = payload
    return answer


def sign_in_with_provider(client, *, email: str, aud: str = CLIENT_ID, iss: str = ISSUER):
    """The browser's round trip: to the provider and back to the callback."""
    start = client.get(reverse("oidc_authentication_init"), {"next": "/account/"})
    assert start.status_code == 302
    query = parse_qs(urlsplit(start["Location"]).query)
    assert query["client_id"] == [CLIENT_ID]
    assert query["code_challenge_method"] == ["S256"]
    claims = {
        "iss": iss,
        "aud": aud,
        "sub": "subject-1",
        "nonce": query["nonce"][0],
        "iat": int(time.time()),
        "exp": int(time.time()) + 300,
        "preferred_username": email,
    }
    token = jwt.encode(claims, SECRET, algorithm="HS256")
    with (
        mock.patch("mozilla_django_oidc.auth.requests.post") as post,
        mock.patch("mozilla_django_oidc.auth.requests.get") as get,
    ):
        post.return_value = response({"id_token": token, "access_token": "access"})
        get.return_value = response({"sub": "subject-1", "email": email})
        back = client.get(
            reverse("oidc_authentication_callback"), {"code": "c0de", "state": query["state"][0]}
        )
    assert post.call_args.kwargs["data"]["code_verifier"]
    return back


@pytest.mark.urls(__name__)
def test_an_identity_signs_in_the_account_with_that_email(client, oidc):
    user = f.UserFactory(role="ANALYST", email="Analyst@Council.example", org_unit=f.unit())
    back = sign_in_with_provider(client, email="analyst@council.example")
    assert back["Location"] == "/account/"
    assert int(client.session["_auth_user_id"]) == user.pk
    assert client.session[BACKEND_SESSION_KEY] == BACKEND


@pytest.mark.urls(__name__)
def test_no_account_is_created_for_an_unknown_identity(client, oidc):
    before = User.objects.count()
    back = sign_in_with_provider(client, email="stranger@council.example")
    assert back["Location"] == "/sign-in/?sso=failed"
    assert "_auth_user_id" not in client.session
    assert User.objects.count() == before
    page = client.get(back["Location"]).content.decode()
    assert "We could not sign you in with your council account" in page


@pytest.mark.urls(__name__)
def test_two_accounts_with_one_email_sign_in_neither(client, oidc):
    f.UserFactory(email="shared@council.example", org_unit=f.unit())
    f.UserFactory(email="shared@council.example", org_unit=f.unit())
    back = sign_in_with_provider(client, email="shared@council.example")
    assert back["Location"] == "/sign-in/?sso=failed"


@pytest.mark.urls(__name__)
def test_an_inactive_account_is_not_signed_in(client, oidc):
    f.UserFactory(email="gone@council.example", is_active=False, org_unit=f.unit())
    back = sign_in_with_provider(client, email="gone@council.example")
    assert back["Location"] == "/sign-in/?sso=failed"


@pytest.mark.urls(__name__)
@pytest.mark.parametrize(
    "claim", [{"aud": "another-client"}, {"iss": "https://elsewhere.example/"}]
)
def test_a_token_for_another_client_or_from_another_issuer_is_refused(client, oidc, claim):
    f.UserFactory(email="prac@council.example", org_unit=f.unit())
    back = sign_in_with_provider(client, email="prac@council.example", **claim)
    assert back["Location"] == "/sign-in/?sso=failed"
    assert "_auth_user_id" not in client.session


@pytest.mark.urls(__name__)
def test_single_sign_on_still_asks_for_the_code_unless_the_provider_is_trusted(client, oidc):
    oidc.EARLYHELP_DEMO_SKIP_2FA = False
    f.practitioner(email="prac@council.example")
    sign_in_with_provider(client, email="prac@council.example")
    response = client.get(reverse("home"))
    assert response["Location"].startswith(reverse("two-factor-setup"))
    oidc.OIDC_TRUST_IDP_MFA = True
    assert client.get(reverse("home")).status_code == 200


@pytest.mark.urls(__name__)
def test_the_sign_in_page_offers_single_sign_on(client, oidc):
    content = client.get(reverse("login")).content.decode()
    assert "Sign in with your council account" in content
    assert reverse("oidc_authentication_init") in content


def test_single_sign_on_is_off_unless_configured(client, settings):
    assert not settings.OIDC_ENABLED
    with pytest.raises(NoReverseMatch):
        reverse("oidc_authentication_init")
    assert "council account" not in client.get(reverse("login")).content.decode()


@pytest.mark.urls(__name__)
def test_the_matching_claim_can_come_from_the_id_token(client, oidc):
    """Entra ID: match on the user principal name (preferred_username in the ID token)."""
    oidc.OIDC_EMAIL_CLAIM = "preferred_username"
    user = f.UserFactory(role="ANALYST", email="a.analyst@council.example", org_unit=f.unit())
    sign_in_with_provider(client, email="a.analyst@council.example")
    assert int(client.session["_auth_user_id"]) == user.pk
