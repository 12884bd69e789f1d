"""Web security: headers, the Content Security Policy, sessions, production settings."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from earlyhelp.testing import factories as f

EARLYHELP = Path(sys.executable).parent / "earlyhelp"
TEMPLATE_ROOT = Path(django_settings.BASE_DIR) / "earlyhelp"


def production_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """The environment of a production deployment, without this test run's settings
    (the browser tests' DJANGO_ALLOW_ASYNC_UNSAFE among them)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("EARLYHELP_", "OIDC_", "AXES_", "SECURE_", "SESSION_", "DEBUG"))
        and k not in {"SECRET_KEY", "DATABASE_URL", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        EARLYHELP_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(50),
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
        ALLOWED_HOSTS="earlyhelp.example.gov.uk",
        DJANGO_SETTINGS_MODULE="config.settings",
        **extra,
    )
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        args,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        cwd=django_settings.BASE_DIR,
        check=False,
    )


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    result = run(
        [str(EARLYHELP), "check", "--deploy", "--fail-level", "WARNING"], production_env(tmp_path)
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_hashes_passwords_with_argon2(tmp_path):
    code = (
        "import django; django.setup(); "
        "from django.contrib.auth.hashers import make_password; print(make_password('x'))"
    )
    result = run([sys.executable, "-c", code], production_env(tmp_path))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("argon2$argon2id$")


def test_production_refuses_the_demo_two_factor_skip(tmp_path):
    code = "import django; django.setup()"
    env = production_env(tmp_path, EARLYHELP_DEMO_SKIP_2FA="1")
    result = run([sys.executable, "-c", code], env)
    assert result.returncode != 0
    assert "EARLYHELP_DEMO_SKIP_2FA is for the demo and tests only" in result.stderr


def test_production_refuses_to_start_without_its_secrets(tmp_path):
    env = production_env(tmp_path)
    del env["SECRET_KEY"]
    result = run([sys.executable, "-c", "import django; django.setup()"], env)
    assert result.returncode != 0
    assert "SECRET_KEY must be set in production" in result.stderr


@pytest.mark.django_db
def test_every_response_carries_the_security_headers(client):
    response = client.get(reverse("login"))
    csp = response["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";") if " " in d.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["form-action"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert "unsafe-inline" not in csp
    assert "unsafe-eval" not in csp
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_pages_for_a_signed_in_user_are_not_stored(client):
    client.force_login(f.practitioner())
    response = client.get(reverse("home"))
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]


@pytest.mark.django_db
def test_hsts_and_secure_cookies_in_production_settings(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SESSION_COOKIE_SECURE = True
    settings.SESSION_COOKIE_NAME = "__Host-earlyhelp-session"
    user = f.practitioner()
    response = client.post(
        reverse("login"),
        {"username": user.username, "password": "correct horse battery"},
        secure=True,
    )
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains"
    cookie = response.cookies["__Host-earlyhelp-session"]
    assert cookie["secure"]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert cookie["path"] == "/"
    assert not cookie["domain"]


# Inline script, inline style and event-handler attributes: a strict CSP refuses them all.
INLINE = re.compile(
    r"""\sstyle\s*=|<style\b|<script\b(?![^>]*\bsrc=)|\son[a-z]+\s*=|javascript:""", re.I
)
# Self-contained documents for people to keep: written to a file or sent as a download
# (Content-Disposition: attachment), never shown as one of the site's pages.
STANDALONE = {
    "dataprotection/templates/dataprotection/subject_access_document.html",
    "web/templates/web/performance/methodology_document.html",
}


def test_templates_carry_no_inline_script_or_style():
    templates = [
        path
        for path in sorted(TEMPLATE_ROOT.glob("*/templates/**/*.html"))
        if str(path.relative_to(TEMPLATE_ROOT)) not in STANDALONE
    ]
    assert templates
    found = [
        f"{path.relative_to(TEMPLATE_ROOT)}:{n}: {line.strip()[:80]}"
        for path in templates
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if INLINE.search(line)
    ]
    assert found == []


@pytest.mark.django_db
def test_sessions_end_after_inactivity(client, settings):
    assert django_settings.SESSION_COOKIE_AGE == 30 * 60
    assert django_settings.SESSION_SAVE_EVERY_REQUEST
    client.force_login(f.practitioner())
    session = Session.objects.get()
    Session.objects.update(expire_date=timezone.now() + timedelta(seconds=60))
    assert client.get(reverse("home")).status_code == 200  # activity renews the session
    renewed = Session.objects.get(pk=session.pk).expire_date
    assert renewed > timezone.now() + timedelta(minutes=29)
    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))  # 30 idle minutes
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_a_wrong_password_is_not_sent_back_to_the_browser(client):
    user = f.practitioner()
    response = client.post(
        reverse("login"), {"username": user.username, "password": "my-secret-guess"}
    )
    assert response.status_code == 200
    assert "my-secret-guess" not in response.content.decode()
