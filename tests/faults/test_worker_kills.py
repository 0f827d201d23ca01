"""kill -9 of the Celery worker in the middle of a roll-up and of an export, several times.

Each kill stops the task at a real point of its work: the roll-up has replaced part of the
country's totals inside its transaction and waits for a table another session has locked; the
export has written part of its file and waits at a progress step on an advisory lock the test
holds. After the kill nothing half-done is visible (the totals are the old complete set, the
job has no file), and after the worker starts again the totals equal a fresh aggregate of the
records and the export is finished with a whole file.
"""
from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from django.contrib.auth import get_user_model

from countries.models import Agency, Country
from operations import models as om
from operations import services
from operations.demo import demo_load
from reporting import export_jobs, rollups
from reporting.models import CountryTotal, ExportJob, PendingRollup, RollupRun
from tests.conftest import require_broker
from tests.counters import CASES
from tests.faults.conftest import Worker, wait_for

KILLS = 3
PAUSE_LOCK = 4_242_999


def totals_of(country) -> dict:
    return {(t.metric, t.dimension, t.member): t.value
            for t in CountryTotal.objects.filter(country=country)}


def lock_free(side, sql: str, params) -> bool:
    """The advisory lock is free (its holder, a killed worker's session, has ended)."""
    with side.cursor() as cursor:
        cursor.execute(f"SELECT pg_try_advisory_lock({sql})", params)
        free = cursor.fetchone()[0]
        if free:
            cursor.execute(f"SELECT pg_advisory_unlock({sql})", params)
    side.commit()
    return free


def waiting_on(side, sql: str) -> bool:
    """Some session waits for a lock (read in the side session's open transaction, which
    keeps the locks it holds: pg_locks is live, not a snapshot)."""
    with side.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchone()[0] > 0


@pytest.mark.worker
def test_rollup_survives_kill_9_midway(private_queue, side_connection):
    broker = require_broker()
    demo_load()  # committed: the worker reads it over its own connection
    joint_operation = om.JointOperation.objects.get(slug="jpoa-2015")
    tha = Country.objects.get(code="THA")
    officer = get_user_model().objects.get(username="officer.tha")
    rtp = Agency.objects.get(country=tha, acronym="RTP")
    rollups.rollup()
    worker = Worker(broker=broker, queue=private_queue)
    worker.start()
    try:
        for kill in range(1, KILLS + 1):
            before = totals_of(tha)
            # given the training-session table locked by another session: a roll-up of
            # Thailand rewrites the first metrics and then waits there, mid-transaction
            with side_connection.cursor() as cursor:
                cursor.execute("LOCK TABLE operations_trainingsessionrecord IN ACCESS EXCLUSIVE MODE")
            # when an officer adds arrests (the save queues the roll-up) ...
            services.record_create(actor=officer, model=om.ArrestRecord,
                                   joint_operation=joint_operation,
                                   data={"occurred_on": dt.date(2015, 10, 5), "agency": rtp,
                                         "count": kill, "crime_type": "trafficking",
                                         "sector": "fishing"})
            wait_for(lambda: waiting_on(side_connection, (
                "SELECT count(*) FROM pg_locks l JOIN pg_class c ON c.oid = l.relation"
                " WHERE c.relname = 'operations_trainingsessionrecord' AND NOT l.granted")),
                timeout=120, what="the worker's roll-up to reach the locked table",
                state=lambda: (list(PendingRollup.objects.values()), list(RollupRun.objects.values(
                    "scope", "outcome", "error"))[:5]))
            # ... and the worker is killed in the middle of it
            worker.kill9()
            side_connection.rollback()  # the lock goes; the killed run's session ends
            wait_for(lambda: lock_free(side_connection, "hashtext('jpoa-rollup')", []),
                     timeout=60, what="the killed roll-up's session to end")
            # then nothing half-written: the old totals, whole; the dead run still "running"
            assert totals_of(tha) == before
            assert RollupRun.objects.filter(outcome=RollupRun.Outcome.RUNNING).exists()
            assert rollups.differences(joint_operation_id=joint_operation.pk) != []
            # and once a worker starts again, the totals are those of the records
            worker.start()
            wait_for(lambda: rollups.differences(joint_operation_id=joint_operation.pk) == []
                     and not RollupRun.objects.filter(outcome=RollupRun.Outcome.RUNNING).exists()
                     and not PendingRollup.objects.exists(),
                     timeout=180, what="the roll-up to catch up after the restart")
            assert totals_of(tha)[("arrests", "", "")] == before[("arrests", "", "")] + kill
            dead = RollupRun.objects.filter(outcome=RollupRun.Outcome.FAILED,
                                            error__contains="stopped")
            assert dead.count() == kill
            CASES["worker kills survived (roll-up)"] += 1
    finally:
        worker.stop()


@pytest.mark.worker
def test_export_survives_kill_9_midway(private_queue, side_connection):
    broker = require_broker()
    demo_load()
    rollups.rollup()
    joint_operation = om.JointOperation.objects.get(slug="jpoa-2015")
    cochair = get_user_model().objects.get(username="cochair.nzl")
    worker = Worker(broker=broker, queue=private_queue, pause_lock=PAUSE_LOCK)
    worker.start()
    try:
        for _kill in range(KILLS):
            # given the test holding the pause lock: the worker's export stops at a progress step
            with side_connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_lock(%s)", [PAUSE_LOCK])
            side_connection.commit()
            job = export_jobs.request_export(user=cochair, joint_operation=joint_operation,
                                             country=None, fmt=ExportJob.Format.XLSX,
                                             profile=ExportJob.Profile.RESTRICTED, rounded=[])
            wait_for(lambda: waiting_on(side_connection, (
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted"
                f" AND classid = 0 AND objid = {PAUSE_LOCK}")),
                timeout=120, what="the worker's export to reach a progress step")
            job.refresh_from_db()
            assert job.status == ExportJob.Status.RUNNING
            # when the worker is killed in the middle of writing the file
            worker.kill9()
            with side_connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [PAUSE_LOCK])
            side_connection.commit()
            wait_for(lambda job_id=job.pk: lock_free(side_connection, "%s, %s",
                                                     [export_jobs.EXPORT_LOCK_CLASS, job_id]),
                     timeout=60, what="the killed export's session to end")
            # then the job is not finished and has no file
            job.refresh_from_db()
            assert job.status == ExportJob.Status.RUNNING and not job.file
            # and once a worker starts again, the export is made whole
            worker.start()
            job = wait_for(lambda job_id=job.pk: ExportJob.objects.filter(
                pk=job_id, status__in=[ExportJob.Status.SUCCEEDED, ExportJob.Status.FAILED]
            ).first(), timeout=180, what="the export to finish after the restart")
            assert job.status == ExportJob.Status.SUCCEEDED, job.error
            assert job.file and job.size == job.file.size > 0
            with job.file.open("rb") as stream:
                workbook = openpyxl.load_workbook(stream, read_only=True)
                assert workbook.sheetnames  # a whole workbook, readable
            CASES["worker kills survived (export)"] += 1
        # Nothing finished without its file.
        assert not ExportJob.objects.filter(status=ExportJob.Status.SUCCEEDED, file="",
                                            source=ExportJob.Source.PAGE).exists()
    finally:
        worker.stop()
