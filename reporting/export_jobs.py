"""Export jobs: the only code that creates, runs and expires ``ExportJob`` rows and their files.

A job is asked for (``request_export``), made by a worker (``run_export``: the file is written
to a temporary file and saved only when whole, so a killed worker leaves no half file, and a
redelivered job simply starts again), downloaded by whoever asked, and its file deleted when it
expires (``purge_expired``). Exports made on the spot (a streamed CSV, the command line) are
logged as finished jobs without a file (``log_export``). The rows stay: they are the log.
"""
from __future__ import annotations

import datetime as dt
import logging
import tempfile
import threading
import zoneinfo

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.files import File
from django.db import DatabaseError, connection, connections, transaction
from django.db.models import F
from django.utils import timezone

from countries import access
from countries.models import Country
from operations.models import JointOperation

from . import disclosure, exports, policies
from .models import ExportJob

logger = logging.getLogger(__name__)


def request_export(*, user, joint_operation: JointOperation, country: Country | None, fmt: str,
                   profile: str, rounded, source: str = ExportJob.Source.PAGE) -> ExportJob:
    """Record the request and queue its job once the request's transaction commits."""
    if not policies.can_export(user, profile=profile, country_id=country.pk if country else None):
        raise PermissionDenied("This export is not open to you.")
    job = ExportJob.objects.create(
        joint_operation=joint_operation, country=country, format=fmt, profile=profile,
        rounded=sorted(rounded), requested_by=user, source=source,
    )
    transaction.on_commit(lambda: _queue(job.pk))
    return job


def _queue(job_id: int) -> bool:
    """Queue the job's task; when the broker is away the job stays queued and the catch-up
    (``requeue_abandoned``) queues it again, so asking for an export never fails for that."""
    from .tasks import run_export_task

    if run_export_task.app.conf.task_always_eager and settings.EXPORT_JOBS_IN_THREAD:
        # No worker (the quick start): made beside the request, which answers at once, so the
        # job's page shows its progress instead of the request hanging until the file is made.
        threading.Thread(target=_run_in_thread, args=(job_id,), name=f"export-{job_id}",
                         daemon=True).start()
        return True
    try:
        run_export_task.delay(job_id)
    except Exception:  # kombu's connection errors: the job is saved, its task is not
        logger.warning("could not queue export %s (broker unreachable)", job_id, exc_info=True)
        return False
    return True


def _run_in_thread(job_id: int) -> None:
    try:
        run_export(job_id)
    except Exception:  # the job is marked failed; a thread has nobody else to tell
        logger.exception("export %s failed", job_id)
    finally:
        connections.close_all()  # this thread's own connections


def retry_export(*, user, job: ExportJob, source: str = ExportJob.Source.PAGE) -> ExportJob:
    """Ask again for a failed (or expired) export with the same choices."""
    return request_export(user=user, joint_operation=job.joint_operation, country=job.country,
                          fmt=job.format, profile=job.profile, rounded=job.rounded,
                          source=source)


def log_export(*, user, joint_operation: JointOperation, country: Country | None, fmt: str,
               profile: str, rounded, source: str) -> ExportJob:
    """Log an export made on the spot (streamed CSV, command line) as a finished job."""
    now = timezone.now()
    return ExportJob.objects.create(
        joint_operation=joint_operation, country=country, format=fmt, profile=profile,
        rounded=sorted(rounded), requested_by=user, source=source,
        status=ExportJob.Status.SUCCEEDED, progress=100, started_at=now, finished_at=now,
    )


# The PostgreSQL advisory lock (class, job id) a worker holds while it makes a job's file. The
# server releases it when the worker's connection ends, however the worker ends (kill -9
# included), so "running, and nobody holds its lock" means the worker died.
EXPORT_LOCK_CLASS = 4_242_001
# A queued job not started after this long has lost its task (the broker was away).
QUEUED_LOST_AFTER = dt.timedelta(minutes=1)
# A job left running by a dead worker this many times is not queued again: it is what kills
# the worker (a file too big for its memory, say), and would kill the next one too.
MAX_WORKER_ATTEMPTS = 3


def _set_progress(job_id: int, percent: int) -> None:
    pause = getattr(settings, "FAULT_PAUSE_ADVISORY_LOCK", None)
    if pause:  # tests only (tests/test_faults.py): wait here while the test holds this lock
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock_shared(%s), pg_advisory_unlock_shared(%s)",
                           [pause, pause])
    ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.RUNNING).update(
        progress=max(0, min(percent, 99)))


def _try_lock(job_id: int) -> bool:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s, %s)", [EXPORT_LOCK_CLASS, job_id])
        return cursor.fetchone()[0]


def _unlock(job_id: int) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_unlock(%s, %s)", [EXPORT_LOCK_CLASS, job_id])


def run_export(job_id: int, *, final_attempt: bool = True) -> ExportJob | None:
    """Make the job's file. Safe to run again: a finished job is left alone, one being made by
    another worker too, and a running one whose worker died starts from the beginning."""
    if not _try_lock(job_id):
        return None  # another worker is making it
    try:
        return _run_export(job_id, final_attempt=final_attempt)
    finally:
        try:
            _unlock(job_id)
        except DatabaseError:  # the connection is gone, and the server freed the lock with it
            pass


def requeue_abandoned(now: dt.datetime | None = None) -> int:
    """Queue again the jobs a dead worker left running and the queued jobs whose task was
    never sent; returns how many. A job never ends "finished" without its file."""
    now = now or timezone.now()
    requeued = 0
    for job_id, attempts in ExportJob.objects.filter(
            status=ExportJob.Status.RUNNING).values_list("pk", "attempts"):
        if not _try_lock(job_id):
            continue  # its worker is alive
        try:
            if attempts >= MAX_WORKER_ATTEMPTS:
                mark_failed(job_id, f"The worker making this export stopped {attempts} times "
                                    "before finishing it (it may need more memory than the "
                                    "worker has). Try again, or ask for one country's export.")
                logger.error("export %s was left running by a dead worker %s times; marked "
                             "failed", job_id, attempts)
                continue
            ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.RUNNING).update(
                status=ExportJob.Status.QUEUED, progress=0)
        finally:
            _unlock(job_id)
        logger.error("export %s was left running by a dead worker; queued again", job_id)
        requeued += _queue(job_id)
    for job_id in ExportJob.objects.filter(
            status=ExportJob.Status.QUEUED, created_at__lt=now - QUEUED_LOST_AFTER
    ).values_list("pk", flat=True):
        requeued += _queue(job_id)
    return requeued


def _run_export(job_id: int, *, final_attempt: bool) -> ExportJob | None:
    claimed = ExportJob.objects.filter(
        pk=job_id, status__in=[ExportJob.Status.QUEUED, ExportJob.Status.RUNNING]
    ).update(status=ExportJob.Status.RUNNING, progress=0, started_at=timezone.now(), error="",
             attempts=F("attempts") + 1)
    if not claimed:
        return None
    job = ExportJob.objects.select_related("joint_operation", "country", "requested_by").get(
        pk=job_id)
    try:
        with timezone.override(_requester_time_zone(job)):  # times as the requester's pages show
            return _write_file(job)
    except DatabaseError:
        if not final_attempt:  # the database is away for a moment: the task retries
            ExportJob.objects.filter(pk=job_id).update(status=ExportJob.Status.QUEUED)
            raise
        mark_failed(job_id, "The database could not be reached.")
        raise
    except disclosure.UnsafeRelease as unsafe:  # the figures changed since it was asked for
        mark_failed(job_id, str(unsafe))
        return None
    except Exception as error:  # a bug or bad data: retrying would fail the same way
        logger.exception("export %s failed", job_id)
        mark_failed(job_id, f"{type(error).__name__}: {error}")
        return None


def _requester_time_zone(job: ExportJob) -> dt.tzinfo:
    name = access.scope_for(job.requested_by).time_zone if job.requested_by else ""
    return zoneinfo.ZoneInfo(name) if name else timezone.get_default_timezone()


def _write_file(job: ExportJob) -> ExportJob:
    data = exports.debrief(job.joint_operation, country=job.country, profile=job.profile,
                           rounded=job.rounded)
    name = exports.filename(data, job.format)
    with tempfile.TemporaryFile() as scratch:
        exports.WRITERS[job.format](data, scratch, lambda p: _set_progress(job.pk, p))
        scratch.seek(0)
        with transaction.atomic():
            job.file.save(name, File(scratch), save=False)
            job.filename = name
            job.size = job.file.size
            job.status = ExportJob.Status.SUCCEEDED
            job.progress = 100
            job.finished_at = timezone.now()
            job.expires_at = job.finished_at + dt.timedelta(hours=settings.EXPORT_RETENTION_HOURS)
            job.save()
    return job


def mark_failed(job_id: int, error: str) -> None:
    ExportJob.objects.filter(pk=job_id).exclude(status=ExportJob.Status.SUCCEEDED).update(
        status=ExportJob.Status.FAILED, finished_at=timezone.now(), error=error[:2000])


def purge_expired(now: dt.datetime | None = None) -> int:
    """Delete the files of expired exports; the jobs stay, marked expired. Returns how many."""
    now = now or timezone.now()
    purged = 0
    for job in ExportJob.objects.filter(expires_at__lte=now).exclude(file=""):
        job.file.delete(save=False)
        job.status = ExportJob.Status.EXPIRED
        job.save(update_fields=["file", "status"])
        purged += 1
    return purged
