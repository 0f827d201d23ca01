"""Every page of the portal, as each role that sees it, with no console error and no CSP
violation: the pages are reached by following the links each role is offered, from the
overview on, plus the error pages and the API's documentation."""
from __future__ import annotations

from urllib.parse import urljoin, urlsplit

import pytest
from django.urls import Resolver404, resolve

from operations.demo import demo_load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# An officer of an open return, one of a submitted return, a focal point, a co-chair, the
# secretariat and INTERPOL: between them every page of the portal.
ROLES = ["officer.tha", "officer.mdv", "focal.tha", "cochair.nzl", "secretariat", "interpol"]
EXTRA_PAGES = ["/api/v1/docs/", "/no-such-page/", "/records/arrests/999999999/"]
MAX_PAGES_PER_ROLE = 120

# Listens before any script of the page runs; Chromium also logs each violation to the console.
CSP_LISTENER = """window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', e => window.__cspViolations.push(
    `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`));"""

LINKS = """() => [...document.querySelectorAll('a[href]')]
    .filter(a => !a.hasAttribute('download'))
    .map(a => a.getAttribute('href'))"""


def _page_key(path: str):
    """Pages of one kind count once: the first record of each type, not every record."""
    try:
        match = resolve(path)
    except Resolver404:
        return None
    return (match.view_name, match.kwargs.get("kind"))


def _wanted(base: str, href: str) -> str | None:
    url = urlsplit(urljoin(base + "/", href))
    if f"{url.scheme}://{url.netloc}" != base or not url.path.startswith("/"):
        return None
    skipped = ("/admin/", "/api/", "/accounts/logout/", "/i18n/")
    if url.path.startswith(skipped) or "/download/" in url.path or url.path.endswith(".csv") \
            or "/export" in url.path.removeprefix("/exports/") or "/template" in url.path:
        return None
    return url.path + (f"?{url.query}" if url.query else "")


def _walk(session, base: str) -> dict[str, list[str]]:
    """Visit every page the user is offered; each page's console errors and CSP violations."""
    page = session.page
    problems: dict[str, list[str]] = {}
    current = {"path": ""}

    def on_console(message):
        if message.type != "error":
            return
        # An error page's own status is not a fault of the page.
        if "Failed to load resource" in message.text and urlsplit(
                message.location.get("url", "")).path == urlsplit(current["path"]).path:
            return
        problems.setdefault(current["path"], []).append(f"console: {message.text}")

    page.on("console", on_console)
    page.on("pageerror", lambda error: problems.setdefault(current["path"], []).append(
        f"script error: {error}"))
    queue, seen_keys, visited = ["/"] + EXTRA_PAGES, set(), []
    while queue and len(visited) < MAX_PAGES_PER_ROLE:
        path = queue.pop(0)
        key = _page_key(path.split("?")[0])
        if (key or path) in seen_keys:
            continue
        seen_keys.add(key or path)
        current["path"] = path
        session.goto(path)
        page.wait_for_load_state("networkidle")
        visited.append(path)
        for violation in page.evaluate("() => window.__cspViolations || []"):
            problems.setdefault(path, []).append(f"CSP: {violation}")
        for href in page.evaluate(LINKS):
            wanted = _wanted(base, href)
            if wanted and wanted not in queue:
                queue.append(wanted)
    problems["__visited__"] = visited
    return problems


def test_no_page_logs_a_console_error_or_a_csp_violation(browser_session, live_server):
    demo_load()
    failures, visited = {}, {}
    for username in ROLES:
        session = browser_session()
        session.page.context.add_init_script(CSP_LISTENER)
        session.login(username)
        problems = _walk(session, live_server.url)
        visited[username] = problems.pop("__visited__")
        failures.update({f"{username} {path}": found for path, found in problems.items()})
        if username == "officer.tha":  # content swapped in by htmx too: an inline edit, cancelled
            page = session.goto("/records/arrests/")
            page.locator("#records-region tr a", has_text="Edit").first.click()
            page.locator("#records-region tr form").first.wait_for()
            page.wait_for_load_state("networkidle")
            failures.update({f"{username} /records/arrests/ (inline edit)": found for found in [
                page.evaluate("() => window.__cspViolations")] if found})

    # the walk reached the pages that matter for each role (a broken walk proves nothing)
    assert {"/records/arrests/", "/returns/", "/exports/", "/dashboard/"} <= set(visited["officer.tha"])
    assert any(path.startswith("/returns/jpoa-2015/") for path in visited["secretariat"])
    assert sum(len(paths) for paths in visited.values()) > 60, visited
    assert failures == {}, failures
