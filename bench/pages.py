"""Page weight and time to a usable form, measured in Chromium (Playwright, Debian's chromium).

Bytes are what crossed the network, compressed, headers included (the DevTools protocol's
``encodedDataLength``); requests are those that reached the network (a file the browser's cache
answered without asking is not one). A *first* visit starts with an empty cache (the session
cookie kept); a *repeat* visit is the same page opened again. The slow-3G profile is the
issue's: 400 ms latency, 400 kbit/s each way.
"""
from __future__ import annotations

import os
import re
import time
from dataclasses import asdict, dataclass
from pathlib import Path

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                 "--no-first-run", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync"]
SLOW_3G = {"offline": False, "latency": 400, "downloadThroughput": 400_000 / 8,
           "uploadThroughput": 400_000 / 8}
NO_THROTTLING = {"offline": False, "latency": 0, "downloadThroughput": -1, "uploadThroughput": -1}

# The pages an officer opens most (label, path); the login page is the floor.
LOGIN_PAGE = ("login page (floor)", "/accounts/login/")
OFFICER_PAGES = [("workspace", "/"), ("record list", "/records/arrests/"),
                 ("dashboard", "/dashboard/")]
RECORD_PAGE = "/records/arrests/"
# The record page's add form is usable once this field can be typed in (and its scripts ran).
USABLE_FORM = "#add form input:not([type=hidden])"

# Budgets of issue 21 (bytes, compressed, on the wire).
BUDGETS = {
    "workspace": {"first": 25_000, "repeat": 5_000},
    "record list": {"first": 25_000, "repeat": 5_000},
    "dashboard": {"first": 50_000},
}
USABLE_BUDGET_SECONDS = {"first": 1.5, "repeat": 0.8}


@dataclass
class Load:
    bytes: int
    requests: int
    files: list[tuple[str, int]]  # (url path, bytes) of every request that reached the network


@dataclass
class PageWeight:
    label: str
    path: str
    first: Load
    repeat: Load

    def as_json(self) -> dict:
        return asdict(self)


class Recorder:
    """Counts what one tab fetches from the network, through the DevTools protocol."""

    def __init__(self, page):
        self.cdp = page.context.new_cdp_session(page)
        self.cdp.send("Network.enable")
        self.cdp.send("Network.setCacheDisabled", {"cacheDisabled": False})
        self.urls: dict[str, str] = {}
        self.finished: dict[str, int] = {}
        self.cached: set[str] = set()
        self.cdp.on("Network.requestWillBeSent",
                    lambda e: self.urls.__setitem__(e["requestId"], e["request"]["url"]))
        self.cdp.on("Network.requestServedFromCache", lambda e: self.cached.add(e["requestId"]))
        self.cdp.on("Network.responseReceived", self._response)
        self.cdp.on("Network.loadingFinished", lambda e: self.finished.__setitem__(
            e["requestId"], int(e["encodedDataLength"])))

    def _response(self, event):
        response = event["response"]
        if response.get("fromDiskCache") or response.get("fromPrefetchCache"):
            self.cached.add(event["requestId"])

    def throttle(self, conditions: dict) -> None:
        self.cdp.send("Network.emulateNetworkConditions", conditions)

    def clear_cache(self) -> None:
        self.cdp.send("Network.clearBrowserCache")

    def start(self) -> None:
        self.urls.clear()
        self.finished.clear()
        self.cached.clear()

    def load(self) -> Load:
        files = []
        for request_id, size in self.finished.items():
            if request_id in self.cached:
                continue
            url = re.sub(r"^https?://[^/]+", "", self.urls.get(request_id, "?"))
            files.append((url, size))
        return Load(bytes=sum(size for _url, size in files), requests=len(files), files=files)


def _open(recorder: Recorder, page, url: str) -> Load:
    recorder.start()
    page.goto(url, wait_until="load")
    page.wait_for_load_state("networkidle")
    return recorder.load()


def log_in(page, base_url: str, username: str, password: str) -> None:
    page.goto(base_url + LOGIN_PAGE[1])
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name=re.compile("log in", re.I)).click()
    page.wait_for_load_state()


def page_weights(browser, base_url: str, username: str, password: str,
                 pages=OFFICER_PAGES) -> list[PageWeight]:
    """The login page (signed out) and ``pages`` (signed in), each first and repeat visit."""
    results = []
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    try:
        page = context.new_page()
        recorder = Recorder(page)
        recorder.clear_cache()
        first = _open(recorder, page, base_url + LOGIN_PAGE[1])
        results.append(PageWeight(*LOGIN_PAGE, first, _open(recorder, page, base_url + LOGIN_PAGE[1])))
        if pages:
            log_in(page, base_url, username, password)
        for label, path in pages:
            recorder.clear_cache()
            first = _open(recorder, page, base_url + path)
            results.append(PageWeight(label, path, first, _open(recorder, page, base_url + path)))
    finally:
        context.close()
    return results


def _usable_after(page, url: str, selector: str | None) -> float:
    started = time.perf_counter()
    page.goto(url, wait_until="domcontentloaded")
    if selector:
        page.locator(selector).first.wait_for(state="visible")
    return time.perf_counter() - started


def time_to_usable(browser, base_url: str, username: str | None, password: str | None,
                   path: str = RECORD_PAGE, selector: str | None = USABLE_FORM,
                   conditions: dict = SLOW_3G) -> dict[str, float]:
    """Seconds from asking for ``path`` until its form can be typed in (the HTML parsed, its
    stylesheets and deferred scripts run), on a first visit (empty cache) and a repeat one."""
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="en-GB")
    try:
        page = context.new_page()
        recorder = Recorder(page)
        if username:
            log_in(page, base_url, username, password)
        recorder.clear_cache()
        recorder.throttle(conditions)
        first = _usable_after(page, base_url + path, selector)
        page.wait_for_load_state("networkidle")
        repeat = _usable_after(page, base_url + path, selector)
        recorder.throttle(NO_THROTTLING)
    finally:
        context.close()
    return {"first": first, "repeat": repeat}


def launch(playwright):
    return playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)


def table(weights: list[PageWeight], usable: dict[str, dict[str, float]]) -> str:
    """Markdown: bytes and requests per page, first and repeat visit; then time to usable."""
    lines = ["| page | first visit: bytes | requests | repeat visit: bytes | requests | budget |",
             "|---|---:|---:|---:|---:|---|"]
    for weight in weights:
        budget = BUDGETS.get(weight.label, {})
        shown = ", ".join(f"{kind} ≤ {limit / 1000:g} KB" for kind, limit in budget.items())
        lines.append(f"| {weight.label} (`{weight.path}`) | {weight.first.bytes:,} | "
                     f"{weight.first.requests} | {weight.repeat.bytes:,} | "
                     f"{weight.repeat.requests} | {shown or '—'} |")
    lines += ["", "| slow 3G (400 ms, 400 kbit/s) | first visit | repeat visit | budget |",
              "|---|---:|---:|---|"]
    for label, seconds in usable.items():
        budget = (f"≤ {USABLE_BUDGET_SECONDS['first']} s / ≤ {USABLE_BUDGET_SECONDS['repeat']} s"
                  if label.startswith("record page") else "—")
        lines.append(f"| {label} | {seconds['first']:.2f} s | {seconds['repeat']:.2f} s | {budget} |")
    return "\n".join(lines)


def measure(base_url: str, username: str, password: str) -> tuple[list[PageWeight], dict]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            weights = page_weights(browser, base_url, username, password)
            usable = {
                "login page (floor): form usable": time_to_usable(
                    browser, base_url, None, None, LOGIN_PAGE[1], "#id_username"),
                "record page: add form usable": time_to_usable(
                    browser, base_url, username, password),
            }
        finally:
            browser.close()
    return weights, usable


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def bench_pages(database_url: str, username: str, password: str, base_dir: Path,
                log=print) -> tuple[str, dict]:
    """`make bench`'s page-weight phase: the portal as `make run` serves it (runserver, DEBUG,
    collected static files through WhiteNoise) on the benchmark database, measured in Chromium.
    Returns the markdown table and the numbers; a note instead when Chromium is missing."""
    import subprocess
    import sys
    import urllib.request

    if not CHROMIUM.exists():
        return f"Page weight: not measured ({CHROMIUM} is missing: `sudo make browsers`).", {}
    static_root = base_dir / "var" / "bench" / "static"
    env = {**os.environ, "DEBUG": "true", "DATABASE_URL": database_url, "STATIC_MANIFEST": "true",
           "STATIC_ROOT": str(static_root), "TWO_FACTOR_ENFORCED": "false", "LOG_LEVEL": "ERROR"}
    env.pop("CELERY_BROKER_URL", None)
    env.pop("SECURE_SSL_REDIRECT", None)
    log("page weight: collecting static files...")
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
                   cwd=base_dir, env=env, check=True)
    port = _free_port()
    server = subprocess.Popen([sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}",
                               "--noreload"], cwd=base_dir, env=env,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base_url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 120
        while True:
            try:
                urllib.request.urlopen(base_url + LOGIN_PAGE[1], timeout=10).read()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError("the benchmark's runserver did not start") from None
                time.sleep(0.5)
        log(f"page weight: measuring {base_url} in Chromium as {username}...")
        weights, usable = measure(base_url, username, password)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return table(weights, usable), {"pages": [w.as_json() for w in weights], "usable": usable}


if __name__ == "__main__":  # python -m bench.pages http://127.0.0.1:8000 officer.tha PASSWORD
    import sys

    weights, usable = measure(*sys.argv[1:4])
    print(table(weights, usable))
    for weight in weights:
        print(f"\n{weight.label}, first visit:")
        for url, size in weight.first.files:
            print(f"  {size:>8,}  {url}")
