"""Project-level endpoints that belong to no app: the health check."""
import logging

from django.conf import settings
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)


def _database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except Exception:
        logger.exception("health check: database unreachable")
        return False


def _broker_ok() -> bool:
    if not settings.CELERY_BROKER_URL:
        return True  # tasks run in-process: there is no broker to reach
    from celery import current_app as app  # the project's (jpoa/celery.py), set when Django starts

    try:
        with app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
            conn.ensure_connection(max_retries=1, timeout=2)
        return True
    except Exception:
        logger.exception("health check: broker unreachable")
        return False


@never_cache
@require_GET
def healthz(request):
    """200 when the database and the broker answer, 503 otherwise; never says more than that."""
    healthy = _database_ok() and _broker_ok()
    return JsonResponse({"status": "ok" if healthy else "unavailable"}, status=200 if healthy else 503)
