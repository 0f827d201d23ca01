"""Redis (the broker) restarted while officers save records through the pages.

A private redis-server on 127.0.0.1:6391 (never the shared one on 6379) is stopped while an
officer keeps saving records and started again, empty. Every save answers as usual, no record
is lost, and the roll-up catches up: a roll-up asked for while the broker was away stays
pending and is queued again by the next save once it is stale (or by the catch-up task that
beat and a starting worker run).
"""
from __future__ import annotations

import shutil
import socket
import subprocess
import time

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from countries.models import Agency, Country
from operations import models as om
from operations.demo import demo_load
from reporting import rollups, tasks
from reporting.models import PendingRollup
from tests.conftest import IN_CI
from tests.counters import CASES
from tests.faults.conftest import Worker, wait_for

PORT = 6391
BROKER = f"redis://127.0.0.1:{PORT}/0"


class RedisServer:
    def __init__(self, tmp_path):
        self.tmp_path, self.process = tmp_path, None

    def start(self):
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(PORT), "--bind", "127.0.0.1", "--save", "",
             "--appendonly", "no", "--dir", str(self.tmp_path)], stdout=subprocess.DEVNULL)
        wait_for(self.answers, timeout=30, what="the private redis-server to start")

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", PORT), timeout=1) as s:
                s.sendall(b"PING\r\n")
                return s.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self):
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)


@pytest.fixture
def private_redis(tmp_path):
    if shutil.which("redis-server") is None:
        if IN_CI:
            pytest.fail("CI=true but redis-server is not installed")
        pytest.skip("needs redis-server on the PATH")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def private_broker(private_queue, private_redis, monkeypatch):
    """The test process sends its tasks to the private Redis (fresh producer pools)."""
    from jpoa.celery import app

    def fresh_pools():
        app._pool = None
        if "amqp" in app.__dict__:
            app.__dict__["amqp"]._producer_pool = None

    monkeypatch.setenv("CELERY_BROKER_URL", BROKER)  # Celery reads the variable before its conf
    monkeypatch.setitem(app.conf, "broker_url", BROKER)
    monkeypatch.setitem(app.conf, "broker_write_url", None)
    fresh_pools()
    yield private_queue
    fresh_pools()


def post_arrest(client, agency, count):
    return client.post(reverse("operations:record_create", args=["arrests"]), {
        "occurred_on": "2015-10-06", "agency": agency.pk, "count": count,
        "crime_type": "trafficking", "sector": "fishing"})


@pytest.mark.worker
def test_records_saved_while_redis_restarts_are_kept_and_counted(private_broker, private_redis,
                                                                 client):
    demo_load()
    joint_operation = om.JointOperation.objects.get(slug="jpoa-2015")
    tha = Country.objects.get(code="THA")
    rtp = Agency.objects.get(country=tha, acronym="RTP")
    client.force_login(get_user_model().objects.get(username="officer.tha"))
    arrests = om.ArrestRecord.objects.filter(country=tha)
    worker = Worker(broker=BROKER, queue=private_broker)
    worker.start()
    try:
        wait_for(lambda: not rollups.differences(joint_operation_id=joint_operation.pk),
                 timeout=180, what="the demo's roll-ups")
        before = arrests.count()
        # given two saves with the broker up
        for count in (1, 2):
            assert post_arrest(client, rtp, count).status_code == 302
        # when Redis stops, officers go on saving
        private_redis.stop()
        for count in (3, 4, 5):
            response = post_arrest(client, rtp, count)
            assert response.status_code == 302  # saved, as always; not a 500
        saved_while_down = 3
        # then every record is there, and Thailand's roll-up is still asked for
        assert arrests.count() == before + 5
        assert PendingRollup.objects.filter(country=tha).exists()
        # when Redis comes back (empty: queued messages are gone too)
        private_redis.start()
        # and, once the pending request is stale, an officer saves again
        time.sleep(tasks._pending_lost_after().total_seconds() + 1)
        assert post_arrest(client, rtp, 6).status_code == 302
        # then the roll-up catches up with every record
        wait_for(lambda: not rollups.differences(joint_operation_id=joint_operation.pk)
                 and not PendingRollup.objects.exists(),
                 timeout=180, what="the roll-up to catch up after Redis came back",
                 state=lambda: rollups.differences(joint_operation_id=joint_operation.pk)[:3])
        assert arrests.count() == before + 6
        CASES["records saved while Redis was down (kept and counted)"] += saved_while_down
    finally:
        worker.stop()
