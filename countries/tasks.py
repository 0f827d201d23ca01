"""Celery tasks of the countries app: the access log's retention purge."""
from __future__ import annotations

import datetime as dt
import logging

import pgtrigger
from celery import shared_task
from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone

from .models import AccessEvent

logger = logging.getLogger(__name__)

PURGE_BATCH = 10_000  # rows per transaction: a year's backlog never holds one long lock


def access_log_purge(*, now: dt.datetime | None = None) -> int:
    """Delete access log entries older than ACCESS_LOG_RETENTION_DAYS; return how many.

    The log is append-only: only this purge may delete, and only past the retention period.
    """
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.ACCESS_LOG_RETENTION_DAYS)
    purged = 0
    while True:
        with transaction.atomic(), pgtrigger.ignore("countries.AccessEvent:access_log_append_only"):
            ids = list(AccessEvent.objects.filter(created_at__lt=cutoff)
                       .order_by("id").values_list("id", flat=True)[:PURGE_BATCH])
            if not ids:
                break
            purged += AccessEvent.objects.filter(id__in=ids).delete()[0]
    if purged:
        logger.info("purged %d access log entries older than %s", purged, cutoff.isoformat())
    return purged


@shared_task(name="countries.purge_access_log", acks_late=True, autoretry_for=(DatabaseError,),
             retry_backoff=True, max_retries=5)
def purge_access_log() -> int:
    return access_log_purge()
