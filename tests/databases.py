"""The suite's databases: migrated once per run into a template, the demo loaded once into a
second template, both cloned for each pytest-xdist worker; a test that uses the demo runs on
the worker's copy with the demo, every other test on the empty copy.

A run builds, under a file lock, whichever worker gets there first:
  test_<name>_template       migrated, empty
  test_<name>_demo_template  the same with the 2015 demo (and no commit hooks run: exactly what
                             a test saw when it loaded the demo inside its own transaction)
and each worker clones them as test_<name>_<gwN> and test_<name>_<gwN>_demo (serially:
test_<name> and test_<name>_demo). pytest-django's transaction around each test keeps the copies
as they were. Transactional tests (live server, real workers) run on the empty copy, whose
tables they truncate after them as before, and load the demo themselves: the demo copy is never
truncated.
"""
from __future__ import annotations

import fcntl
import tempfile
import uuid
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import psycopg2
from django.conf import settings
from django.db import connection, transaction
from psycopg2 import sql

DEMO_FIXTURES = {"demo", "world"}  # tests that request one of these run on the demo copy


@dataclass(frozen=True)
class Names:
    template: str
    demo_template: str
    empty: str  # this process's copy of the template
    demo: str  # this process's copy of the demo template


names: Names | None = None  # set by setup() in a process that uses the database


def names_for(worker_id: str | None) -> Names:
    settings_dict = connection.settings_dict
    base = settings_dict["TEST"].get("NAME") or f"test_{settings_dict['NAME']}"
    own = f"{base}_{worker_id}" if worker_id else base
    return Names(template=f"{base}_template", demo_template=f"{base}_demo_template",
                 empty=own, demo=f"{own}_demo")


@contextmanager
def server_cursor():
    """A cursor on the server's maintenance database, autocommit (CREATE/DROP DATABASE)."""
    s = connection.settings_dict
    conn = psycopg2.connect(dbname="postgres", user=s["USER"], password=s["PASSWORD"] or None,
                            host=s["HOST"] or None, port=s["PORT"] or None)
    conn.autocommit = True
    try:
        with conn.cursor() as cursor:
            yield cursor
    finally:
        conn.close()


def drop(cursor, name: str) -> None:
    cursor.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))


def clone(cursor, source: str, target: str) -> None:
    drop(cursor, target)
    cursor.execute(sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
        sql.Identifier(target), sql.Identifier(source)))


def use(name: str) -> None:
    """Point the default connection (and every thread's next connection) at database ``name``."""
    from django.contrib.contenttypes.models import ContentType

    if connection.settings_dict["NAME"] == name:
        return
    connection.close()
    connection.settings_dict["NAME"] = name
    settings.DATABASES["default"]["NAME"] = name
    # Content type ids differ between the copies once a transactional test has flushed one.
    ContentType.objects.clear_cache()


@contextmanager
def run_lock(template: str):
    """An exclusive lock for this database name on this machine; yields the lock file."""
    path = Path(tempfile.gettempdir()) / f"jpoa-{template}.lock"
    with open(path, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield handle
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _load_demo_without_commit_hooks() -> None:
    from jpoa.celery import app
    from operations.demo import demo_load

    eager = app.conf.task_always_eager
    app.conf.task_always_eager = True  # should anything queue a task, it never reaches a broker
    try:
        with transaction.atomic():
            demo_load()
            # A test that loaded the demo in its transaction never ran these (no commit).
            connection.run_on_commit.clear()
        connection.__dict__.pop("_jpoa_records_changed", None)
    finally:
        app.conf.task_always_eager = eager


def build_templates(n: Names, *, verbosity: int, keepdb: bool) -> None:
    """Migrate the template (with ``keepdb``, only what is new) and load the demo template."""
    test_settings = connection.settings_dict["TEST"]
    test_name, test_settings["NAME"] = test_settings.get("NAME"), n.template
    try:
        connection.creation.create_test_db(verbosity=verbosity, autoclobber=True,
                                           serialize=False, keepdb=keepdb)
    finally:
        test_settings["NAME"] = test_name
    connection.close()
    with server_cursor() as cursor:
        clone(cursor, n.template, n.demo_template)
    use(n.demo_template)
    _load_demo_without_commit_hooks()
    connection.close()


def setup(*, worker_id: str | None, run_id: str | None, verbosity: int, keepdb: bool) -> Names:
    """Make this process's two copies (building the templates first if no one has this run)."""
    global names
    n = names_for(worker_id)
    run_id = run_id or uuid.uuid4().hex  # serially every run builds its own
    with run_lock(n.template) as lock:
        lock.seek(0)
        if lock.read().strip() != run_id:
            build_templates(n, verbosity=verbosity, keepdb=keepdb)
            lock.seek(0)
            lock.truncate()
            lock.write(run_id)
            lock.flush()
        with server_cursor() as cursor:
            clone(cursor, n.template, n.empty)
            clone(cursor, n.demo_template, n.demo)
    names = n
    use(n.empty)
    return n


def teardown(*, drop_templates: bool) -> None:
    connection.close()
    if names is None:
        return
    with server_cursor() as cursor:
        drop(cursor, names.empty)
        drop(cursor, names.demo)
        if drop_templates:
            drop(cursor, names.template)
            drop(cursor, names.demo_template)


def drop_templates_of(worker_id: str | None = None) -> None:
    """On the xdist controller, once every worker is done: the templates go too."""
    n = names_for(worker_id)
    with server_cursor() as cursor:
        drop(cursor, n.template)
        drop(cursor, n.demo_template)


def on_demo_copy() -> bool:
    return names is not None and connection.settings_dict["NAME"] == names.demo


def transactional(item) -> bool:
    """Whether pytest-django runs ``item`` as a TransactionTestCase (tables truncated after)."""
    from pytest_django.fixtures import validate_django_db

    marker = item.get_closest_marker("django_db")
    transaction_, reset_sequences = (validate_django_db(marker)[:2] if marker else (False, False))
    fixtures = set(item.fixturenames)
    return bool(transaction_ or reset_sequences
                or fixtures & {"transactional_db", "live_server", "django_db_reset_sequences"})


def wants_demo_copy(item) -> bool:
    return bool(DEMO_FIXTURES & set(item.fixturenames)) and not transactional(item)


def database_for(item) -> str:
    return names.demo if wants_demo_copy(item) else names.empty

