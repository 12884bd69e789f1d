"""Take the README's screenshots of the main pages from a running server with the demo county.

    python -m earlyhelp.demo.screenshots http://127.0.0.1:8000 docs/screenshots

Uses Debian's Chromium through Playwright; signs in as the demo users.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

from playwright.sync_api import Page, sync_playwright

ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--no-first-run"]


def _sign_in(page: Page, base: str, username: str) -> None:
    page.context.clear_cookies()
    page.goto(f"{base}/sign-in/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(_password())
    page.get_by_role("button", name="Sign in").click()


def _password() -> str:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    django.setup()
    from earlyhelp.demo.users import DEMO_PASSWORD

    return DEMO_PASSWORD


def _shot(page: Page, out: Path, name: str) -> None:
    page.screenshot(path=str(out / f"{name}.png"), full_page=False)
    print(f"{name}: {page.url}")


def _first_link(page: Page, pattern: str) -> str | None:
    for href in page.eval_on_selector_all("a[href]", "els => els.map(e => e.href)"):
        if re.search(pattern, href):
            return href
    return None


def take(base: str, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.goto(f"{base}/sign-in/")
        _shot(page, out, "01-sign-in")
        _sign_in(page, base, "practitioner")
        _shot(page, out, "02-work-list")
        case = _first_link(page, r"/case/\d+/$")
        if case:
            page.goto(case)
            _shot(page, out, "05-case")
            for section, name in (("assessment/", "06-assessment"), ("plan/", "07-plan")):
                page.goto(case + section)
                _shot(page, out, name)
            page.goto(case + "history/")
            family = _first_link(page, r"/family/\d+/$")
            if family:
                page.goto(family)
                _shot(page, out, "08-family-timeline")
        _sign_in(page, base, "triage")
        page.goto(f"{base}/triage/")
        _shot(page, out, "03-triage-queue")
        notification = _first_link(page, r"/notification/\d+/$")
        if notification:
            page.goto(notification)
            _shot(page, out, "04-notification-matches")
        _sign_in(page, base, "unitleader")
        page.goto(f"{base}/my-unit/")
        _shot(page, out, "09-unit-meeting")
        _sign_in(page, base, "districtmanager")
        page.goto(f"{base}/step-down/")
        _shot(page, out, "10-step-down-panel")
        for name, path in (("11-scorecard", "/scorecard/"), ("12-outcome-tracker", "/tracker/")):
            response = page.goto(f"{base}{path}")
            if response is not None and response.ok:
                _shot(page, out, name)
        browser.close()


if __name__ == "__main__":
    take(sys.argv[1].rstrip("/"), Path(sys.argv[2]))
