"""Production settings: Django's deployment checks, security headers (CSP without inline code),
HTTPS behind a proxy, JSON logs with a request id, and hashed static file names.

The production checks run `manage.py` in a child process with the production environment the
README documents (DEBUG off), since settings are read once, at start-up.
"""
from __future__ import annotations

import json
import os
import re
import secrets
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import BASE_DIR, database_url_for_subprocess

TEMPLATES = BASE_DIR / "templates"
# Rendered to PDF by WeasyPrint on the server and never sent to a browser (CSP does not apply):
# its print stylesheet (@page rules with the classification) stays in the template.
NOT_SERVED_AS_HTML = {"reporting/debrief_pdf.html"}
# Settings a developer's shell may hold that would change what production means.
DEVELOPMENT_VARIABLES = {
    "DEBUG", "LOG_FORMAT", "STATIC_MANIFEST", "STATIC_ROOT", "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
    "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "TWO_FACTOR_ENFORCED", "SECRET_KEY",
    "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "SECURE_PROXY_SSL_HEADER",
    "DJANGO_ALLOW_ASYNC_UNSAFE",  # set by the browser tests' conftest for Playwright
}


def production_env(**overrides) -> dict[str, str]:
    """The README's production variables (DEBUG unset: off), against the test database."""
    env = {k: v for k, v in os.environ.items() if k not in DEVELOPMENT_VARIABLES}
    env.update({
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "portal.example.internal,testserver",
        "CSRF_TRUSTED_ORIGINS": "https://portal.example.internal",
        "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
        "DATABASE_URL": database_url_for_subprocess(),
        # the hashed files the Docker image collects: the suite's copy (tests/conftest.py)
        "STATIC_ROOT": os.environ["STATIC_ROOT"],
        **overrides,
    })
    return env


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env,
                          capture_output=True, text=True, timeout=300)


# ---------------------------------------------------------------------------------------------
# Django's deployment checks
# ---------------------------------------------------------------------------------------------


def test_check_deploy_passes_at_warning_level_with_the_production_environment(db):
    result = manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_fails_when_a_production_setting_is_turned_off(db):
    # The same check, proved able to fail: no HSTS and cookies over plain HTTP.
    result = manage("check", "--deploy", "--fail-level", "WARNING",
                    env=production_env(SECURE_HSTS_SECONDS="0", SESSION_COOKIE_SECURE="false"))
    assert result.returncode != 0
    assert "security.W004" in result.stderr + result.stdout
    assert "security.W012" in result.stderr + result.stdout


# ---------------------------------------------------------------------------------------------
# Headers
# ---------------------------------------------------------------------------------------------


def test_security_headers_on_every_page(client, db):
    response = client.get(reverse("login"))

    assert response.status_code == 200
    csp = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in csp.split(";") if part.strip())
    assert directives["default-src"] == "'self'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["object-src"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert response["Referrer-Policy"] == "same-origin"
    permissions = response["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in permissions
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert re.fullmatch(r"[0-9a-f]{32}", response["X-Request-ID"])


def test_https_behind_a_proxy_hsts_and_the_health_check_over_plain_http(db, settings):
    # given the production values (the test settings run with DEBUG on)
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_HSTS_PRELOAD = True
    client = Client()  # a new client builds its middleware from these settings

    plain = client.get(reverse("login"))
    proxied = client.get(reverse("login"), HTTP_X_FORWARDED_PROTO="https")
    health = client.get(reverse("healthz"))

    assert plain.status_code == 301 and plain.url == "https://testserver/accounts/login/"
    assert proxied.status_code == 200
    assert proxied["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert health.status_code == 200  # the container health check calls http://127.0.0.1


def test_a_request_id_sent_by_the_proxy_is_kept(client, db):
    sent = uuid.uuid4().hex
    response = client.get(reverse("login"), HTTP_X_REQUEST_ID=sent)
    assert response["X-Request-ID"] == sent
    # an id that is not one (log injection) is replaced by a fresh one
    forged = client.get(reverse("login"), HTTP_X_REQUEST_ID='x" injected')
    assert re.fullmatch(r"[0-9a-f]{32}", forged["X-Request-ID"])


# ---------------------------------------------------------------------------------------------
# No inline script or style in any template
# ---------------------------------------------------------------------------------------------

SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script>", re.S | re.I)
INLINE_PATTERNS = {
    "style attribute": re.compile(r"""\sstyle\s*=\s*["']""", re.I),
    "<style> element": re.compile(r"<style\b", re.I),
    "event handler attribute": re.compile(r"""\son[a-z]+\s*=\s*["']""", re.I),
    "htmx hx-on attribute": re.compile(r"""\s(?:data-)?hx-on[:\-\w]*\s*=""", re.I),
    "javascript: URL": re.compile(r"javascript:", re.I),
}


def inline_code(text: str) -> list[str]:
    """What in a template's source the CSP would block: inline scripts, styles, handlers."""
    found = []
    for attributes, body in SCRIPT.findall(text):
        is_data = re.search(r"""type\s*=\s*["']application/(ld\+)?json["']""", attributes, re.I)
        if body.strip() and not is_data:
            found.append(f"inline <script>: {body.strip()[:60]!r}")
        elif not body.strip() and "src=" not in attributes and not is_data:
            found.append("<script> with neither src nor a body")
    for name, pattern in INLINE_PATTERNS.items():
        found += [f"{name}: {m.group(0).strip()!r}" for m in pattern.finditer(text)]
    return found


def test_the_template_scanner_finds_inline_code():
    # Guards the scan below against silently finding nothing.
    bad = """<p style="color:red">x</p><script>alert(1)</script><style>p{}</style>
             <button onclick="go()" hx-on:click="x()">go</button><a href="javascript:void(0)">"""
    found = inline_code(bad)
    for kind in ("inline <script>", "style attribute", "<style> element",
                 "event handler attribute", "htmx hx-on attribute", "javascript: URL"):
        assert any(item.startswith(kind) for item in found), (kind, found)
    ok = """<script src="/static/js/dashboard.js" defer></script>
            <script id="chart" type="application/json">{"a": 1}</script><p data-style="x">"""
    assert inline_code(ok) == []


def test_no_template_has_inline_script_or_style():
    templates = sorted(TEMPLATES.rglob("*.html"))
    assert len(templates) > 20
    problems = []
    for path in templates:
        name = path.relative_to(TEMPLATES).as_posix()
        if name in NOT_SERVED_AS_HTML:
            continue
        problems += [f"{name}: {item}" for item in inline_code(path.read_text())]
    assert not problems, "\n".join(problems)


# ---------------------------------------------------------------------------------------------
# Static files and logs in production
# ---------------------------------------------------------------------------------------------

CHILD_REQUEST = """
import json
from django.test import Client
client = Client()
login = client.get("/accounts/login/", secure=True)
missing = client.get("/no-such-page/", secure=True, HTTP_X_REQUEST_ID={request_id!r})
print(json.dumps({{"login_status": login.status_code, "login_html": login.content.decode(),
                  "missing_status": missing.status_code,
                  "request_id": missing["X-Request-ID"]}}))
"""


@pytest.fixture(scope="module")
def collected_static(static_files) -> Path:
    """`collectstatic` with the storage of every mode (WhiteNoise, hashed and compressed): the
    suite's own copy, collected once for these sources (tests/conftest.py)."""
    return static_files


def test_collectstatic_writes_hashed_and_compressed_names(collected_static):
    manifest = json.loads((collected_static / "staticfiles.json").read_text())
    hashed = manifest["paths"]["css/portal.css"]
    assert re.fullmatch(r"css/portal\.[0-9a-f]{12}\.css", hashed)
    assert (collected_static / hashed).exists()
    assert (collected_static / f"{hashed}.gz").exists()
    assert re.fullmatch(r"js/dashboard\.[0-9a-f]{12}\.js", manifest["paths"]["js/dashboard.js"])


def test_production_pages_link_hashed_files_and_log_json_with_the_request_id(
        transactional_db, collected_static):
    # given the production settings, with the collected files
    request_id = uuid.uuid4().hex
    env = production_env(STATIC_ROOT=str(collected_static))
    # when a page and a missing page are requested
    result = manage("shell", "-c", CHILD_REQUEST.format(request_id=request_id), env=env)
    assert result.returncode == 0, result.stderr[-3000:]
    answer = json.loads(result.stdout.strip().splitlines()[-1])

    # then the page links the hashed stylesheet
    assert answer["login_status"] == 200
    assert re.search(r'href="/static/css/portal\.[0-9a-f]{12}\.css"', answer["login_html"])
    # and the missing page's warning is one JSON object per line, with the request id that the
    # response's X-Request-ID header also carries
    assert answer["missing_status"] == 404 and answer["request_id"] == request_id
    lines = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    [warning] = [line for line in lines if line.get("message", "").startswith("Not Found")]
    assert warning["request_id"] == request_id
    assert warning["level"] == "WARNING" and warning["logger"] == "django.request"
    assert "time" in warning
