"""Settings, read from the environment (12-factor).

`EARLYHELP_ENV` is `production` (the default), `development` (what `make run` sets) or
`test`. Production refuses to start without `SECRET_KEY` and `DATABASE_URL`; the insecure
defaults below exist only for development and tests.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
ENVIRONMENT = os.environ.get("EARLYHELP_ENV", "production")
IS_PRODUCTION = ENVIRONMENT == "production"


def _env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def _required_in_production(name: str, demo_default: str) -> str:
    value = os.environ.get(name)
    if value:
        return value
    if IS_PRODUCTION:
        raise ImproperlyConfigured(
            f"{name} must be set in production (set EARLYHELP_ENV=development for the demo)."
        )
    return demo_default


SECRET_KEY = _required_in_production("SECRET_KEY", "insecure-demo-key-for-development-only")
DEBUG = _env_bool("DEBUG", False)
ALLOWED_HOSTS = [
    h.strip()
    for h in os.environ.get("ALLOWED_HOSTS", "" if IS_PRODUCTION else "127.0.0.1,localhost").split(
        ","
    )
    if h.strip()
]

DATABASES = {
    "default": dj_database_url.parse(
        _required_in_production("DATABASE_URL", f"sqlite:///{BASE_DIR / 'earlyhelp.sqlite3'}"),
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "axes",
    "csp",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "earlyhelp.common",
    "earlyhelp.audit",
    "earlyhelp.organisation",
    "earlyhelp.people",
    "earlyhelp.frontdoor",
    "earlyhelp.casework",
    "earlyhelp.dataprotection",
    "earlyhelp.performance",
    "earlyhelp.interchange",
    "earlyhelp.demo",
    "earlyhelp.web",
    "earlyhelp.api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "earlyhelp.web.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "earlyhelp.web.middleware.TwoFactorMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

# A request to the REST API with `Authorization: Token …` carries no session, cookie or
# form: config.wsgi passes it through only these (the security headers), not the session,
# CSRF, sign-in, two-factor, messages and lockout layers, which have nothing to do for it
# and cost a sixteenth of its time (decision 0018).
API_TOKEN_MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "earlyhelp.web.middleware.SecurityHeadersMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
AUTH_USER_MODEL = "organisation.User"
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "login"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "earlyhelp.web.context.navigation",
            ],
            "builtins": ["earlyhelp.web.templatetags.web_tags"],
        },
    },
]

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-gb"
TIME_ZONE = "Europe/London"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
NODE_MODULES = BASE_DIR / "node_modules"
STATICFILES_DIRS = [
    ("govuk", NODE_MODULES / "govuk-frontend" / "dist" / "govuk"),
    ("moj", NODE_MODULES / "@ministryofjustice" / "frontend" / "moj"),
]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Authentication (README "Authentication and web security", docs/decisions/0009) ---

# Passwords: Argon2id first; older hashes are upgraded at the next sign-in. Tests use MD5
# for speed only.
PASSWORD_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    "django.contrib.auth.hashers.ScryptPasswordHasher",
]
if ENVIRONMENT == "test":
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# django-axes (first) refuses a locked-out sign-in before any password is checked; single
# sign-on through OpenID Connect is added below when configured.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

# Lockout: AXES_FAILURE_LIMIT wrong passwords for one username from one address lock that
# pair out for AXES_COOLOFF_MINUTES. REMOTE_ADDR is the client's address: behind a proxy,
# run waitress with --trusted-proxy so that it is.
AXES_ENABLED = _env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = int(os.environ.get("AXES_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("AXES_COOLOFF_MINUTES", "30")))
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "earlyhelp.web.views.account.locked_out"

# Two-factor sign-in (django-otp): the roles that can see case records must enter a code
# from an authenticator app (or a single-use recovery code) after their password; see
# earlyhelp.organisation.auth.TWO_FACTOR_ROLES. EARLYHELP_DEMO_SKIP_2FA is for the demo
# and the test suite only (on by default there) and refused anywhere else.
OTP_TOTP_ISSUER = os.environ.get("OTP_TOTP_ISSUER", "Early Help")
OTP_TOTP_THROTTLE_FACTOR = 1
OTP_STATIC_THROTTLE_FACTOR = 1
EARLYHELP_DEMO_SKIP_2FA = _env_bool(
    "EARLYHELP_DEMO_SKIP_2FA", ENVIRONMENT in {"development", "test"}
)
if EARLYHELP_DEMO_SKIP_2FA and ENVIRONMENT not in {"development", "test"}:
    raise ImproperlyConfigured(
        "EARLYHELP_DEMO_SKIP_2FA is for the demo and tests only: it is refused in production."
    )

# Single sign-on through OpenID Connect (e.g. Microsoft Entra ID): on when OIDC_RP_CLIENT_ID
# is set. An identity is matched by OIDC_EMAIL_CLAIM to an existing active account's email;
# accounts are never created by signing in.
OIDC_RP_CLIENT_ID = os.environ.get("OIDC_RP_CLIENT_ID", "")
OIDC_ENABLED = bool(OIDC_RP_CLIENT_ID)


def _required_for_oidc(name: str) -> str:
    value = os.environ.get(name)
    if not value:
        raise ImproperlyConfigured(f"{name} must be set when OIDC_RP_CLIENT_ID is set.")
    return value


if OIDC_ENABLED:
    OIDC_RP_CLIENT_SECRET = _required_for_oidc("OIDC_RP_CLIENT_SECRET")
    OIDC_OP_AUTHORIZATION_ENDPOINT = _required_for_oidc("OIDC_OP_AUTHORIZATION_ENDPOINT")
    OIDC_OP_TOKEN_ENDPOINT = _required_for_oidc("OIDC_OP_TOKEN_ENDPOINT")
    OIDC_OP_USER_ENDPOINT = _required_for_oidc("OIDC_OP_USER_ENDPOINT")
    OIDC_OP_JWKS_ENDPOINT = os.environ.get("OIDC_OP_JWKS_ENDPOINT") or None
    OIDC_OP_ISSUER = os.environ.get("OIDC_OP_ISSUER", "")
    OIDC_RP_SIGN_ALGO = os.environ.get("OIDC_RP_SIGN_ALGO", "RS256")
    OIDC_RP_SCOPES = os.environ.get("OIDC_RP_SCOPES", "openid email profile")
    OIDC_EMAIL_CLAIM = os.environ.get("OIDC_EMAIL_CLAIM", "email")
    OIDC_TRUST_IDP_MFA = _env_bool("OIDC_TRUST_IDP_MFA", False)
    OIDC_CREATE_USER = False
    OIDC_USE_PKCE = True
    OIDC_TIMEOUT = 10
    LOGIN_REDIRECT_URL_FAILURE = "/sign-in/?sso=failed"
    AUTHENTICATION_BACKENDS.append("earlyhelp.organisation.auth.CouncilOIDCBackend")

# Sessions end after SESSION_COOKIE_AGE seconds without a request (every request renews
# the session) and when the browser closes.
SESSION_COOKIE_AGE = int(os.environ.get("SESSION_COOKIE_AGE", str(30 * 60)))
SESSION_SAVE_EVERY_REQUEST = True
SESSION_EXPIRE_AT_BROWSER_CLOSE = True

# --- Web security ---

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = _env_bool("SECURE_COOKIES", IS_PRODUCTION)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
CSRF_COOKIE_HTTPONLY = True
if SESSION_COOKIE_SECURE:
    # The __Host- prefix: the browser keeps the cookie only if Secure, host-only, path /.
    SESSION_COOKIE_NAME = "__Host-earlyhelp-session"
    CSRF_COOKIE_NAME = "__Host-earlyhelp-csrf"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
if IS_PRODUCTION:
    SECURE_SSL_REDIRECT = _env_bool("SECURE_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = _env_bool("SECURE_HSTS_PRELOAD", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

# Content Security Policy (django-csp 4): our own origin only, no inline script or style
# (templates carry none: earlyhelp/web/tests/test_account_security.py checks), no framing.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [NONE],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
        **({"upgrade-insecure-requests": True} if IS_PRODUCTION else {}),
    },
}
# Sent by earlyhelp.web.middleware.SecurityHeadersMiddleware: features no page uses.
PERMISSIONS_POLICY = (
    "accelerometer=(), autoplay=(), camera=(), display-capture=(), geolocation=(), "
    "gyroscope=(), magnetometer=(), microphone=(), midi=(), payment=(), usb=()"
)

# The application's one clock: an ISO date here pins "today" (tests, demos); otherwise
# the date the demo loader stored, otherwise the real date.
EARLYHELP_TODAY = os.environ.get("EARLYHELP_TODAY", "")
# How the indicators are counted (decision 0012): DuckDB, or `python`, the pure reference.
EARLYHELP_INDICATOR_ENGINE = os.environ.get("EARLYHELP_INDICATOR_ENGINE", "columnar")
# What DuckDB may hold in memory while counting (it spills the rest to a temporary folder).
EARLYHELP_COLUMNAR_MEMORY = os.environ.get("EARLYHELP_COLUMNAR_MEMORY", "1GB")
EARLYHELP_ORGANISATION_NAME = os.environ.get("EARLYHELP_ORGANISATION_NAME", "Demo County Council")
# How the API's POST /api/v1/notifications/ records a submission (decision 0017): `inline`
# (at once, in the request) or `queued` (received with its reference in the request, then
# recorded in batches by `earlyhelp submissions --record --follow`). Queued needs PostgreSQL.
EARLYHELP_SUBMISSIONS = os.environ.get("EARLYHELP_SUBMISSIONS", "inline")
if EARLYHELP_SUBMISSIONS not in {"inline", "queued"}:
    raise ImproperlyConfigured("EARLYHELP_SUBMISSIONS must be 'inline' or 'queued'.")
if EARLYHELP_SUBMISSIONS == "queued" and DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    raise ImproperlyConfigured(
        "EARLYHELP_SUBMISSIONS=queued needs PostgreSQL: a queued submission's reference "
        "comes from the notifications' sequence."
    )

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# --- REST API (README "REST API", docs/decisions/0013) ---

# Token authentication (earlyhelp.organisation.tokens) for other systems; a signed-in
# session for the browsable API. Every 4xx body is {"errors": {field: [...]}, "detail": ...}.
# Rates per token (per account for a session), "N/second|minute|hour|day"; the throttles
# count in the default cache (in-process: per web process).
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "earlyhelp.api.authentication.ApiTokenAuthentication",
        "earlyhelp.api.authentication.ApiSessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["earlyhelp.api.permissions.HasScope"],
    "DEFAULT_PARSER_CLASSES": ["earlyhelp.api.parsers.StrictJSONParser"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
    ],
    "DEFAULT_PAGINATION_CLASS": "earlyhelp.api.pagination.Pages",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_THROTTLE_CLASSES": ["earlyhelp.api.throttling.ReadThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "read": os.environ.get("EARLYHELP_API_RATE_READ", "600/min"),
        "submit": os.environ.get("EARLYHELP_API_RATE_SUBMIT", "120/min"),
        "feed": os.environ.get("EARLYHELP_API_RATE_FEED", "60/hour"),
        "anonymous": os.environ.get("EARLYHELP_API_RATE_ANONYMOUS", "60/min"),
    },
    "DEFAULT_SCHEMA_CLASS": "earlyhelp.api.schema.ApiAutoSchema",
    "EXCEPTION_HANDLER": "earlyhelp.api.exceptions.handler",
    "UNAUTHENTICATED_USER": "django.contrib.auth.models.AnonymousUser",
    "DATETIME_FORMAT": "iso-8601",
    "COERCE_DECIMAL_TO_STRING": True,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Early Help API",
    "DESCRIPTION": (
        "Submit notifications and follow their progress; the police feed; read people, "
        "cases and indicator values within the token's scope. Authenticate with "
        "`Authorization: Token <key>` (`earlyhelp api-token issue`)."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "COMPONENT_SPLIT_REQUEST": True,
    "ENUM_NAME_OVERRIDES": {},
    "AUTHENTICATION_WHITELIST": ["earlyhelp.api.authentication.ApiTokenAuthentication"],
}
# Bounds on what one request may carry (a 413 or 400 names the limit).
EARLYHELP_API_MAX_BODY_BYTES = int(os.environ.get("EARLYHELP_API_MAX_BODY_BYTES", "262144"))
EARLYHELP_API_FEED_MAX_BYTES = int(os.environ.get("EARLYHELP_API_FEED_MAX_BYTES", "2097152"))
EARLYHELP_API_FEED_MAX_ROWS = int(os.environ.get("EARLYHELP_API_FEED_MAX_ROWS", "500"))

# Static files: GOV.UK assets and our own, served by WhiteNoise; in development straight from
# the apps (no collectstatic needed), in production from STATIC_ROOT after collectstatic.
WHITENOISE_USE_FINDERS = not IS_PRODUCTION
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if IS_PRODUCTION
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

# --- Email (the partner portal's single-use sign-in codes) ---
# EMAIL_BACKEND from the environment: the console in development (codes appear in the
# terminal running `make run`), in memory in tests (django.core.mail.outbox), SMTP in
# production with its host and credentials from the environment.
EMAIL_BACKEND = os.environ.get(
    "EMAIL_BACKEND",
    {
        "development": "django.core.mail.backends.console.EmailBackend",
        "test": "django.core.mail.backends.locmem.EmailBackend",
    }.get(ENVIRONMENT, "django.core.mail.backends.smtp.EmailBackend"),
)
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "587"))
EMAIL_HOST_USER = os.environ.get("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = _env_bool("EMAIL_USE_TLS", True)
EMAIL_TIMEOUT = int(os.environ.get("EMAIL_TIMEOUT", "10"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "Early Help <no-reply@example.org>")
