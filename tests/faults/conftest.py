"""Real Celery workers that the fault tests kill -9 and start again, and a side connection."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid

import psycopg2
import pytest
from django.conf import settings
from django.db import connection

from tests.conftest import BASE_DIR, database_url_for_subprocess


class Worker:
    """`celery -A jpoa worker` (solo pool: the task runs in the process we kill) on a queue."""

    def __init__(self, *, broker: str, queue: str, pause_lock: int | None = None):
        self.broker, self.queue, self.pause_lock = broker, queue, pause_lock
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self) -> None:
        env = dict(os.environ, DATABASE_URL=database_url_for_subprocess(),
                   CELERY_BROKER_URL=self.broker, CELERY_RESULT_BACKEND=self.broker, DEBUG="1",
                   MEDIA_ROOT=settings.MEDIA_ROOT, JPOA_TEST_QUEUE=self.queue,
                   JPOA_FAULT_PAUSE_LOCK=str(self.pause_lock or ""),
                   ROLLUP_COALESCE_SECONDS="0",
                   DJANGO_SETTINGS_MODULE="tests.faults.worker_settings")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "jpoa", "worker", "--pool=solo",
             "--concurrency=1", "-Q", self.queue, "--without-heartbeat", "--without-mingle",
             "--without-gossip", "-l", "warning"], cwd=BASE_DIR, env=env)
        self.starts += 1

    def kill9(self) -> None:
        """SIGKILL: no shutdown, no acknowledgement, no cleanup."""
        os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)
        assert self.process.returncode == -signal.SIGKILL

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


@pytest.fixture
def private_queue(transactional_db, monkeypatch):
    """Everything this test queues goes, through the real broker, to a queue of its own."""
    from jpoa.celery import app

    queue = f"test-faults-{uuid.uuid4().hex[:12]}"
    monkeypatch.setitem(app.conf, "task_always_eager", False)
    monkeypatch.setitem(app.conf, "task_default_queue", queue)
    monkeypatch.setattr(settings, "ROLLUP_COALESCE_SECONDS", 0)
    return queue


@pytest.fixture
def side_connection(transactional_db):
    """A second PostgreSQL session on the test database: holds the locks that stop a task
    mid-way, as another user's transaction would."""
    s = connection.settings_dict
    conn = psycopg2.connect(dbname=s["NAME"], user=s["USER"], password=s["PASSWORD"] or None,
                            host=s["HOST"] or None, port=s["PORT"] or None)
    yield conn
    conn.rollback()
    conn.close()


def wait_for(predicate, *, timeout: float, what: str, every: float = 0.2, state=None):
    """Poll until ``predicate()`` is true; fail saying what did not happen (and ``state()``)."""
    deadline = time.monotonic() + timeout
    while True:
        value = predicate()
        if value:
            return value
        if time.monotonic() > deadline:
            pytest.fail(f"timed out after {timeout:.0f}s waiting for {what}"
                        + (f"; {state()}" if state else ""))
        time.sleep(every)
