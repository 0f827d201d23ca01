"""The audit trail's plumbing: which events are tracked, and the context attached to them.

Every domain model is decorated with ``@audited()``: PostgreSQL triggers (django-pghistory)
record inserts, updates and deletes from every write path (views, admin, bulk operations,
``QuerySet.update``, tasks). Event tables are append-only (PGHISTORY_APPEND_ONLY).
"""
from __future__ import annotations

import contextlib

import pghistory
from celery.signals import task_postrun, task_prerun


def audited(*, exclude: list[str] | None = None, table: str | None = None):
    """The class decorator that tracks a model's inserts, updates and deletes.

    ``exclude`` leaves columns out of the (append-only) events: data that must be erasable.
    ``table`` names the event table, for a model moved from another app that keeps its tables.
    """
    options = {}
    if exclude:
        options["exclude"] = exclude
    if table:
        options["meta"] = {"db_table": table}
    return pghistory.track(
        pghistory.InsertEvent(), pghistory.UpdateEvent(), pghistory.DeleteEvent(), **options)


def client_ip(request) -> str | None:
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request)


_task_contexts: dict[str, contextlib.ExitStack] = {}


@task_prerun.connect
def _enter_task_context(task_id=None, task=None, **kwargs):
    stack = contextlib.ExitStack()
    stack.enter_context(pghistory.context(task=task.name, task_id=task_id))
    _task_contexts[task_id] = stack


@task_postrun.connect
def _exit_task_context(task_id=None, **kwargs):
    stack = _task_contexts.pop(task_id, None)
    if stack is not None:
        stack.close()
