"""Celery tasks of the reporting app: roll-ups when records change, nightly rebuild and verify."""
from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError, connection

from operations.models import JointOperation

from . import export_jobs, rollups
from .models import PendingRollup
from .selectors import headline_figures

logger = logging.getLogger(__name__)

TASK_OPTIONS = {
    "acks_late": True,  # a worker killed mid-run leaves the message to be redelivered
    "autoretry_for": (DatabaseError,),
    "retry_backoff": True,
    "retry_backoff_max": 300,
    "retry_jitter": True,
    "max_retries": 5,
}


def rollup_requested(sender=None, *, joint_operation_id: int, country_id: int, **kwargs) -> None:
    """Queue one roll-up of the pair unless one is already pending (bursts coalesce)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {PendingRollup._meta.db_table} (joint_operation_id, country_id, requested_at)"
            " VALUES (%s, %s, now()) ON CONFLICT DO NOTHING RETURNING id",
            [joint_operation_id, country_id],
        )
        queued_now = cursor.fetchone() is not None
    if queued_now:
        rollup_country.apply_async(
            (joint_operation_id, country_id), countdown=settings.ROLLUP_COALESCE_SECONDS
        )


@shared_task(name="reporting.rollup_country", **TASK_OPTIONS)
def rollup_country(joint_operation_id: int, country_id: int) -> int:
    """Recompute one country's totals; edits arriving from now on queue the next run."""
    PendingRollup.objects.filter(
        joint_operation_id=joint_operation_id, country_id=country_id
    ).delete()
    return rollups.rollup(joint_operation_id=joint_operation_id, country_id=country_id).rows


@shared_task(name="reporting.rollup_all", **TASK_OPTIONS)
def rollup_all() -> int:
    """The nightly full rebuild of every joint operation's totals."""
    return rollups.rollup().rows


@shared_task(name="reporting.rollup_verify", **TASK_OPTIONS)
def rollup_verify() -> int:
    """Compare CountryTotal with the records; every difference is logged as an error."""
    return len(rollups.verify())


@shared_task(name="reporting.run_export", bind=True, **TASK_OPTIONS)
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
    """The headline figures of a joint operation, aggregated from its records."""
    joint_operation = JointOperation.objects.get(pk=joint_operation_id)
    return {f.metric.key: f.value for f in headline_figures(joint_operation=joint_operation)}
