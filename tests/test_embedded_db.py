"""The embedded PostgreSQL: starts from nothing, keeps data across restarts, leaves no orphans."""
import shutil
import subprocess
import sys
import uuid
from pathlib import Path

import psutil
import pytest

from core import embedded_db

BASE_DIR = Path(__file__).resolve().parent.parent


def postgres_processes(pgdata: Path) -> list[psutil.Process]:
    found = []
    for process in psutil.process_iter(["cmdline"]):
        cmdline = process.info["cmdline"] or []
        if any(part.endswith("postgres") for part in cmdline[:1]) and str(pgdata) in cmdline:
            found.append(process)
    return found


@pytest.fixture
def pgdata():
    # Under var/ (not /tmp/pytest-*, which is private to root): pgserver runs postgres as its
    # own user when started by root, and that user must reach the data directory.
    path = BASE_DIR / "var" / "test-embedded" / uuid.uuid4().hex[:8] / "pgdata"
    yield path
    shutil.rmtree(path.parent, ignore_errors=True)


def test_starts_from_nothing_and_restarts_on_existing_data(pgdata):
    # given an empty directory
    assert not pgdata.exists()

    # when the server starts, and data is written
    server = embedded_db.start(pgdata, database="jpoa_embedded")
    server.psql("\\c jpoa_embedded\nCREATE TABLE t (v int); INSERT INTO t VALUES (42);")
    server.cleanup()
    assert postgres_processes(pgdata) == []

    # then a restart on the same directory finds the data
    server = embedded_db.start(pgdata, database="jpoa_embedded")
    try:
        assert "42" in server.psql("\\c jpoa_embedded\nSELECT v FROM t;")
    finally:
        server.cleanup()


def test_server_stops_when_the_process_that_started_it_exits(pgdata):
    script = "import sys; from pathlib import Path; from core import embedded_db; " \
             "s = embedded_db.start(Path(sys.argv[1])); print(s.get_pid())"
    result = subprocess.run([sys.executable, "-c", script, str(pgdata)], cwd=BASE_DIR,
                            capture_output=True, text=True, timeout=120, check=True)
    pid = int(result.stdout.strip().splitlines()[-1])

    assert pid > 0
    assert not psutil.pid_exists(pid) or psutil.Process(pid).status() == psutil.STATUS_ZOMBIE
    assert postgres_processes(pgdata) == []


def test_a_killed_process_does_not_keep_the_server_alive(pgdata):
    # given a process attached to the server that dies without detaching
    script = "import sys, time; from pathlib import Path; from core import embedded_db; " \
             "embedded_db.start(Path(sys.argv[1])); print('ready', flush=True); time.sleep(600)"
    child = subprocess.Popen([sys.executable, "-c", script, str(pgdata)], cwd=BASE_DIR,
                             stdout=subprocess.PIPE, text=True)
    assert child.stdout.readline().strip() == "ready"
    assert postgres_processes(pgdata) != []
    child.kill()
    child.wait()

    # when the stop command runs (as `make run` does on exit)
    subprocess.run([sys.executable, "-m", "core.embedded_db", "stop", str(pgdata)], cwd=BASE_DIR,
                   check=True, timeout=120)

    # then the server is gone
    assert postgres_processes(pgdata) == []
