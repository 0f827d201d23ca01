"""`make run PORT=8101` serves on that port, and the demo loader prints that address."""
from __future__ import annotations

import io
import subprocess

import pytest
from django.core.management import call_command

from tests.conftest import BASE_DIR


def _make_run_commands(*args: str) -> str:
    # -n prints what make would run without running it; -W marks the virtualenv as up to date.
    return subprocess.run(["make", "-n", "-W", ".venv/.installed", "run", *args], cwd=BASE_DIR,
                          capture_output=True, text=True, check=True).stdout


@pytest.mark.parametrize("args, port", [((), "8000"), (("PORT=8101",), "8101")])
def test_make_run_serves_on_the_port_asked_for_and_says_so(args, port):
    commands = _make_run_commands(*args)

    assert f"manage.py runserver 127.0.0.1:{port}" in commands
    assert f"manage.py load_demo --address http://127.0.0.1:{port}/" in commands


def test_load_demo_prints_the_address_it_is_given(demo):
    out = io.StringIO()

    call_command("load_demo", "--address", "http://127.0.0.1:8101/", stdout=out)

    assert "Open http://127.0.0.1:8101/ and log in with one of them." in out.getvalue()
    assert "8000" not in out.getvalue()
