"""Celery tasks of the reporting app: roll-ups when records change, nightly rebuild and verify."""
from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from celery.signals import worker_ready
from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from . import export_jobs, rollups
from .models import PendingRollup, RollupRun

logger = logging.getLogger(__name__)

TASK_OPTIONS = {
    "acks_late": True,  # a worker killed mid-run leaves the message to be redelivered
    "autoretry_for": (DatabaseError,),
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
}


def _pending_lost_after() -> dt.timedelta:
    """A pending roll-up whose task has not started this long after it was asked for has lost
    its task (the broker was away when it was queued, or the message was lost)."""
    return dt.timedelta(seconds=settings.ROLLUP_COALESCE_SECONDS + 10)


def _queue_rollup(joint_operation_id: int, country_id: int) -> bool:
    """Queue the pair's roll-up; False when the broker cannot be reached. The PendingRollup
    row stays, so the next save, the catch-up task or a worker's restart queues it again: a
    save never fails, and no roll-up is lost, because the broker is away."""
    try:
        rollup_country.apply_async((joint_operation_id, country_id),
                                   countdown=settings.ROLLUP_COALESCE_SECONDS)
    except Exception:  # kombu raises OperationalError and friends; the record is saved anyway
        logger.warning("could not queue the roll-up of %s/%s (broker unreachable); it stays "
                       "pending and will be queued again", joint_operation_id, country_id,
                       exc_info=True)
        return False
    return True


def rollup_requested(sender=None, *, joint_operation_id: int, country_id: int, **kwargs) -> None:
    """Queue one roll-up of the pair unless one is already pending (bursts coalesce).

    A pending row whose task never started (see ``_pending_lost_after``) is queued again.
    """
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {PendingRollup._meta.db_table} (joint_operation_id, country_id, requested_at)"
            " VALUES (%s, %s, now()) ON CONFLICT DO NOTHING RETURNING id",
            [joint_operation_id, country_id],
        )
        queued_now = cursor.fetchone() is not None
    if not queued_now:
        queued_now = PendingRollup.objects.filter(
            joint_operation_id=joint_operation_id, country_id=country_id,
            requested_at__lt=timezone.now() - _pending_lost_after()).exists()
    if queued_now:
        _queue_rollup(joint_operation_id, country_id)


@shared_task(name="reporting.catch_up", **TASK_OPTIONS)
def catch_up() -> dict[str, int]:
    """Queue again what a dead worker or an unreachable broker left undone.

    Roll-ups: runs left "running" by a worker that died are marked failed and their scope is
    queued again; pending roll-ups whose task never started are queued. Exports: jobs whose
    worker died, or whose task was never queued, are queued again (``export_jobs``). Runs when
    a worker starts, and from beat.
    """
    requeued_runs = 0
    with transaction.atomic():
        with connection.cursor() as cursor:
            # Free only when no roll-up is running anywhere: every run still "running" is dead.
            cursor.execute("SELECT pg_try_advisory_xact_lock(hashtext('jpoa-rollup'))")
            nobody_running = cursor.fetchone()[0]
        if nobody_running:
            dead = list(RollupRun.objects.select_for_update().filter(
                outcome=RollupRun.Outcome.RUNNING))
            RollupRun.objects.filter(pk__in=[run.pk for run in dead]).update(
                outcome=RollupRun.Outcome.FAILED, finished_at=timezone.now(),
                error="The worker running it stopped (killed or lost); run again.")
            for run in dead:
                logger.error("roll-up %s was left running by a dead worker; queued again",
                             run.scope)
                if run.joint_operation_id is not None and run.country_id is not None:
                    PendingRollup.objects.get_or_create(joint_operation_id=run.joint_operation_id,
                                                        country_id=run.country_id)
                    transaction.on_commit(lambda run=run: _queue_rollup(
                        run.joint_operation_id, run.country_id))
                else:
                    transaction.on_commit(rollup_all.delay)
                requeued_runs += 1
    lost = PendingRollup.objects.filter(requested_at__lt=timezone.now() - _pending_lost_after())
    requeued_pending = sum(_queue_rollup(jo, country) for jo, country in
                           lost.values_list("joint_operation_id", "country_id"))
    requeued_exports = export_jobs.requeue_abandoned()
    if requeued_runs or requeued_pending or requeued_exports:
        logger.warning("catch-up: %d dead roll-ups, %d lost roll-up requests and %d exports "
                       "queued again", requeued_runs, requeued_pending, requeued_exports)
    return {"rollup_runs": requeued_runs, "pending_rollups": requeued_pending,
            "exports": requeued_exports}


@worker_ready.connect(dispatch_uid="reporting-catch-up-on-start")
def _catch_up_when_a_worker_starts(sender=None, **kwargs):
    """A worker that starts (after a crash, say) looks for the work its predecessor left."""
    try:
        queues = [queue.name for queue in sender.task_consumer.queues] if sender else []
        # On a queue this worker consumes, so that this worker runs it.
        catch_up.apply_async(queue=queues[0] if queues else None)
    except Exception:
        logger.warning("could not queue the catch-up at worker start", exc_info=True)


# Nobody reads the result: sending it then needs the broker only, not the result backend too.
@shared_task(name="reporting.rollup_country", ignore_result=True, **TASK_OPTIONS)
def rollup_country(joint_operation_id: int, country_id: int) -> int:
    """Recompute one country's totals; edits arriving from now on queue the next run."""
    PendingRollup.objects.filter(
        joint_operation_id=joint_operation_id, country_id=country_id
    ).delete()
    rows = rollups.rollup(joint_operation_id=joint_operation_id, country_id=country_id).rows
    rollups.refresh_outlier_flags(joint_operation_id)  # the region's flags see the new totals
    return rows


@shared_task(name="reporting.rollup_all", **TASK_OPTIONS)
def rollup_all() -> int:
    """The nightly full rebuild of every joint operation's totals."""
    return rollups.rollup().rows


@shared_task(name="reporting.rollup_verify", **TASK_OPTIONS)
def rollup_verify() -> int:
    """Compare CountryTotal with the records; every difference is logged as an error."""
    return len(rollups.verify())


@shared_task(name="reporting.run_export", bind=True, ignore_result=True, **TASK_OPTIONS)
def run_export_task(self, job_id: int) -> str:
    """Make one export's file (see ``export_jobs.run_export``); returns the job's status."""
    job = export_jobs.run_export(job_id, final_attempt=self.request.retries >= self.max_retries)
    return job.status if job else "skipped"


@shared_task(name="reporting.purge_expired_exports", **TASK_OPTIONS)
def purge_expired_exports() -> int:
    purged = export_jobs.purge_expired()
    if purged:
        logger.info("deleted the files of %d expired exports", purged)
    return purged


@shared_task(name="reporting.regional_totals")
def regional_totals(joint_operation_id: int) -> dict[str, int]:
    """The headline figures of a joint operation, aggregated from its records (the labelled
    live read, ``rollups.live_headline_figures``): a smoke check of the workers; no page
    reads it."""
    return rollups.live_headline_figures(joint_operation_id=joint_operation_id)
