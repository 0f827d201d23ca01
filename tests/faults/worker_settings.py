"""Settings of the Celery workers the fault tests start and kill: the project's, plus the
test's private queue (so tasks the worker queues itself reach it) and the export pause lock."""
import os

from jpoa.settings import *  # noqa: F403

CELERY_TASK_DEFAULT_QUEUE = os.environ["JPOA_TEST_QUEUE"]
# reporting.export_jobs waits on this PostgreSQL advisory lock at each progress step.
FAULT_PAUSE_ADVISORY_LOCK = int(os.environ.get("JPOA_FAULT_PAUSE_LOCK") or 0) or None
