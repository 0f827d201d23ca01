"""Headless Chromium (Debian's /usr/bin/chromium) driven by Playwright against a live server.

Screenshots of every page a test visits go to test-artifacts/browser/<test name>/.
Outside CI the tests skip when Chromium is missing; with CI=true they fail instead.
"""
from __future__ import annotations

import itertools
import os
import re
from pathlib import Path

import pytest

from tests.conftest import BASE_DIR, IN_CI

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
ARTIFACTS = BASE_DIR / "test-artifacts" / "browser"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
DEMO_PASSWORD = "jpoa-demo-2015"

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make here
# are ordinary synchronous ones, so Django's async-safety guard does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(scope="session")
def chromium():
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing: run `sudo make browsers` (Debian's chromium package)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class Session:
    """One user's browser tab, with a screenshot helper that numbers the pages it saves."""

    def __init__(self, page, base_url: str, folder: Path, counter):
        self.page, self.base_url, self.folder, self.counter = page, base_url, folder, counter

    def goto(self, path: str):
        self.page.goto(self.base_url + path)
        return self.page

    def login(self, username: str):
        self.goto("/accounts/login/")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(DEMO_PASSWORD)
        self.page.get_by_role("button", name=re.compile("log in", re.I)).click()
        self.page.wait_for_load_state()

    def screenshot(self, name: str) -> Path:
        path = self.folder / f"{next(self.counter):02d}-{name}.png"
        self.page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def browser_session(chromium, live_server, request):
    """A factory of fresh browser contexts (one per user) against the live server."""
    folder = ARTIFACTS / re.sub(r"[^\w.-]+", "_", request.node.name)
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("*.png"):
        old.unlink()
    contexts = []
    counter = itertools.count(1)  # pages numbered in the order the test saw them

    def open_session(phone: bool = False) -> Session:
        """A desktop tab, or with ``phone`` a touch screen of 390 x 844 CSS pixels."""
        screen = ({"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
                  if phone else {"viewport": {"width": 1280, "height": 900}})
        context = chromium.new_context(**screen, locale="en-GB")
        context.set_default_timeout(15_000)
        contexts.append(context)
        return Session(context.new_page(), live_server.url, folder, counter)

    yield open_session
    for context in contexts:
        context.close()
