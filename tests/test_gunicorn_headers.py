"""The web process as deployed: gunicorn with gunicorn.conf.py and the production settings, on a
loopback port. No answer names the server software (``Server: gunicorn`` was on every answer,
issue 18); pages are ``no-store`` while the hashed static files keep their long cache.
"""
from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time

import pytest

from tests.conftest import BASE_DIR
from tests.test_security_settings import collected_static, production_env  # noqa: F401 (fixture)

HOST = "portal.example.internal"
HTTPS = {"Host": HOST, "X-Forwarded-Proto": "https"}  # as the TLS proxy sends them


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _get(port: int, path: str, headers: dict | None = None) -> http.client.HTTPResponse:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path, headers=headers or HTTPS)
    response = connection.getresponse()
    response.read()
    connection.close()
    return response


@pytest.fixture
def gunicorn(db, collected_static):  # noqa: F811 (the fixture imported above)
    """gunicorn as docker-compose.yml starts it (one worker), answering on a free port."""
    port = _free_port()
    env = production_env(STATIC_ROOT=str(collected_static), ALLOWED_HOSTS=HOST,
                         LOG_LEVEL="WARNING")
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "jpoa.wsgi:application", "--config", "gunicorn.conf.py",
         "--bind", f"127.0.0.1:{port}", "--workers", "1", "--access-logfile", os.devnull],
        cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 90
        while True:
            try:
                _get(port, "/accounts/login/")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"gunicorn did not start:\n{process.stdout.read()}") from None
                time.sleep(0.5)
        yield port
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test_gunicorn_names_no_server_and_keeps_static_files_cached(gunicorn, collected_static):  # noqa: F811
    # given a hashed stylesheet
    manifest = json.loads((collected_static / "staticfiles.json").read_text())
    stylesheet = f"/static/{manifest['paths']['css/portal.css']}"
    # when
    page = _get(gunicorn, "/accounts/login/")
    missing = _get(gunicorn, "/no-such-page/")
    static = _get(gunicorn, stylesheet)
    # then: no answer says what serves it
    for response in (page, missing, static):
        assert response.getheader("Server") is None, response.getheader("Server")
    # pages must not be stored; the hashed file is cached for ever
    assert page.status == 200 and "no-store" in page.getheader("Cache-Control")
    assert missing.status == 404 and "no-store" in missing.getheader("Cache-Control")
    assert static.status == 200
    cache_control = static.getheader("Cache-Control")
    assert "no-store" not in cache_control and "immutable" in cache_control
    assert int(cache_control.split("max-age=")[1].split(",")[0]) >= 365 * 24 * 3600
    # a file keeps the headers that protect it, and carries none of a document's (their bytes
    # would cross a slow link with every file of a first visit)
    assert static.getheader("X-Content-Type-Options") == "nosniff"
    assert static.getheader("Content-Security-Policy") is None
    assert static.getheader("Permissions-Policy") is None
    assert "default-src 'self'" in page.getheader("Content-Security-Policy")
    assert page.getheader("Permissions-Policy")


def test_gunicorns_own_error_page_names_no_server_either(gunicorn):
    # A request line gunicorn cannot parse is answered by gunicorn itself, not by the portal.
    with socket.create_connection(("127.0.0.1", gunicorn), timeout=30) as raw:
        raw.sendall(b"NOT A REQUEST\r\n\r\n")
        answer = raw.recv(65536).decode("latin-1")
    head = answer.split("\r\n\r\n", 1)[0].lower()
    assert head.startswith("http/1.1 400")
    assert "\r\nserver:" not in head
