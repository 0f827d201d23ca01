"""Starts the embedded PostgreSQL server (pgserver) used when no DATABASE_URL is given."""
from __future__ import annotations

import json
import logging
import os
import signal
import sys
import threading
import warnings
from pathlib import Path

logger = logging.getLogger(__name__)

DEFAULT_DATABASE = "jpoa"


def _exit_on_sigterm() -> None:
    # pgserver stops the server from an atexit hook; SIGTERM must unwind through it too.
    if threading.current_thread() is not threading.main_thread():
        return
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))


HANDLES_FILE = ".handle_pids.json"  # pgserver's list of processes attached to a server


def prune_dead_handles(pgdata: Path) -> list[int]:
    """Drop attached processes that died without detaching (SIGKILL); return the live ones.

    pgserver only stops the server when the last attached process exits cleanly, so a killed
    process would otherwise keep the server alive forever.
    """
    import psutil

    handles = Path(pgdata) / HANDLES_FILE
    if not handles.exists():
        return []
    try:
        pids = json.loads(handles.read_text() or "[]")
    except ValueError:
        pids = []
    alive = [pid for pid in pids if psutil.pid_exists(pid)]
    if alive != pids:
        handles.write_text(json.dumps(alive))
    return alive


def stop_if_unused(pgdata: Path) -> bool:
    """Stop the server if no live process is attached; return whether it is now stopped."""
    pgdata = Path(pgdata)
    if prune_dead_handles(pgdata):
        return False
    if not (pgdata / "postmaster.pid").exists():
        return True
    start(pgdata).cleanup()  # attach, then detach as the last handle: pgserver stops it
    return not (pgdata / "postmaster.pid").exists()


def start(pgdata: Path, *, database: str = DEFAULT_DATABASE):
    """Start (or attach to) the server whose data lives in ``pgdata``; return the pgserver handle.

    Idempotent: an existing data directory is reused and a running server is shared. The server
    stops when the last process that attached to it exits, so no orphan postgres is left behind.
    """
    pgdata = Path(pgdata)
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    prune_dead_handles(pgdata)
    with warnings.catch_warnings():
        # platformdirs warns when XDG_RUNTIME_DIR is unset (root shells, CI); harmless here.
        warnings.simplefilter("ignore")
        import pgserver

        server = pgserver.get_server(pgdata, cleanup_mode="stop")
    _exit_on_sigterm()
    exists = server.psql(f"SELECT 1 FROM pg_database WHERE datname = '{database}';")
    if "1 row" not in exists:
        server.psql(f'CREATE DATABASE "{database}";')
    return server


def database_settings(pgdata: Path, *, database: str = DEFAULT_DATABASE) -> dict:
    """Django DATABASES['default'] entry for the embedded server (Unix socket, trust auth)."""
    start(pgdata, database=database)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": database,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": str(Path(pgdata).resolve()),
        "PORT": "",
        "CONN_MAX_AGE": int(os.environ.get("CONN_MAX_AGE", "0")),
    }


if __name__ == "__main__":
    # `python -m core.embedded_db stop [PGDATA]`: what `make run` calls when the server exits.
    if sys.argv[1:2] != ["stop"]:
        sys.exit("usage: python -m core.embedded_db stop [PGDATA]")
    target = Path(sys.argv[2]) if len(sys.argv) > 2 else Path(__file__).resolve().parent.parent / "var" / "pgdata"
    stopped = stop_if_unused(target)
    print(f"embedded PostgreSQL in {target}: {'stopped' if stopped else 'still in use, left running'}")
