"""Backups: `manage.py backup` / `restore` round-trip a loaded database with zero rows differing,
a refused or failed restore changes nothing, and the client programs match the server.

Everything runs on a database of its own (a copy of the migrated test database, loaded with
the demo and benchmark records), never on the test database other tests share.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path

import psycopg2
import pytest
from psycopg2 import sql

from core import backups, embedded_db
from tests.counters import CASES

# The marker makes pytest-django create the test database, which `loaded` copies; the tests
# themselves use their own database through psycopg2 and child processes.
pytestmark = pytest.mark.django_db

BASE_DIR = Path(__file__).resolve().parent.parent
MARKER_PATH = "/backup-test/changed-after-the-backup"


@dataclass
class Server:
    params: dict  # psycopg2 connection parameters, without dbname

    def connect(self, dbname: str):
        connection = psycopg2.connect(dbname=dbname, **self.params)
        connection.autocommit = True
        return connection

    def execute(self, dbname: str, statement, args=None) -> list[tuple]:
        connection = self.connect(dbname)  # no `with connection`: that opens a transaction
        try:
            with connection.cursor() as cursor:
                cursor.execute(statement, args)
                return cursor.fetchall() if cursor.description else []
        finally:
            connection.close()

    def url(self, dbname: str) -> str:
        from urllib.parse import quote

        auth = self.params["user"] + (f":{quote(self.params['password'], safe='')}"
                                      if self.params.get("password") else "")
        host = self.params.get("host") or ""
        if host.startswith("/"):
            return f"postgres://{auth}@/{dbname}?host={host}"
        port = f":{self.params['port']}" if self.params.get("port") else ""
        return f"postgres://{auth}@{host}{port}/{dbname}"


def manage(server: Server, dbname: str, *args: str, stdin: str | None = None,
           check: bool = True) -> subprocess.CompletedProcess:
    """`manage.py <args>` in a child process configured for ``dbname`` (tasks in-process)."""
    env = dict(os.environ, DATABASE_URL=server.url(dbname), CELERY_BROKER_URL="", DEBUG="1")
    result = subprocess.run(
        [sys.executable, "manage.py", *args], cwd=BASE_DIR, env=env, text=True,
        input=stdin, stdin=None if stdin is not None else subprocess.DEVNULL,
        capture_output=True, timeout=600,
    )
    if check:
        assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result


def snapshot(server: Server, dbname: str) -> dict[str, tuple]:
    """Per table: row count and an MD5 of every row in primary-key order; per sequence: its
    position; plus the names of every index, constraint and trigger."""
    state: dict[str, tuple] = {}
    connection = server.connect(dbname)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.oid, c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
            " WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY c.relname")
        for oid, table in cursor.fetchall():
            cursor.execute(
                "SELECT a.attname FROM pg_index i JOIN pg_attribute a ON a.attrelid = i.indrelid"
                " AND a.attnum = ANY(i.indkey) WHERE i.indrelid = %s AND i.indisprimary"
                " ORDER BY array_position(i.indkey::int2[], a.attnum)", [oid])
            key = [sql.SQL("t.{}").format(sql.Identifier(name)) for (name,) in cursor.fetchall()]
            order = sql.SQL(", ").join(key) if key else sql.SQL("t::text")
            cursor.execute(sql.SQL(
                "SELECT count(*), md5(coalesce(string_agg(t::text, E'\\n' ORDER BY {}), ''))"
                " FROM {} t").format(order, sql.Identifier(table)))
            state[f"table {table}"] = cursor.fetchone()
        cursor.execute("SELECT sequencename, last_value FROM pg_sequences WHERE schemaname = 'public'")
        for name, last_value in cursor.fetchall():
            state[f"sequence {name}"] = (last_value,)
        cursor.execute(
            "SELECT 'index ' || indexname FROM pg_indexes WHERE schemaname = 'public'"
            " UNION ALL SELECT 'constraint ' || conrelid::regclass || '.' || conname"
            " FROM pg_constraint c JOIN pg_namespace n ON n.oid = c.connamespace"
            " WHERE n.nspname = 'public'"
            " UNION ALL SELECT 'trigger ' || tgrelid::regclass || '.' || tgname FROM pg_trigger"
            " WHERE NOT tgisinternal")
        for (name,) in cursor.fetchall():
            state[name] = ()
    connection.close()
    return state


def rows(state: dict[str, tuple]) -> int:
    return sum(value[0] for name, value in state.items() if name.startswith("table "))


def differences(before: dict, after: dict) -> list[str]:
    return sorted(name for name in before.keys() | after.keys() if before.get(name) != after.get(name))


def mark_a_change(server: Server, dbname: str) -> None:
    """A write made after the backup: a restore takes it away, a refused one keeps it."""
    server.execute(dbname, "UPDATE operations_arrestrecord SET count = count + 1000"
                           " WHERE id = (SELECT min(id) FROM operations_arrestrecord)")
    server.execute(dbname, "INSERT INTO countries_accessevent (created_at, kind, username, path,"
                           " object_type, object_id) VALUES (now(), 'read', 'backup-test', %s, '', '')",
                   [MARKER_PATH])


@dataclass
class Loaded:
    server: Server
    dbname: str
    archive: Path
    before: dict


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """A database of its own with the demo and 3,000 benchmark records, and its backup."""
    from django.db import connections

    settings_dict = connections["default"].settings_dict
    server = Server({"user": settings_dict["USER"], "password": settings_dict["PASSWORD"] or None,
                     "host": settings_dict["HOST"] or None, "port": settings_dict["PORT"] or None})
    template, dbname = settings_dict["NAME"], f"{settings_dict['NAME']}_roundtrip"
    assert template.startswith("test_"), f"{template} is not a test database"
    with django_db_blocker.unblock():
        connections.close_all()  # CREATE DATABASE ... TEMPLATE needs the template to itself
    server.execute("postgres", sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
        sql.Identifier(dbname)))
    for attempt in range(10):
        try:
            server.execute("postgres", sql.SQL("CREATE DATABASE {} TEMPLATE {}").format(
                sql.Identifier(dbname), sql.Identifier(template)))
            break
        except psycopg2.errors.ObjectInUse:
            if attempt == 9:
                raise
            time.sleep(1)
    try:
        manage(server, dbname, "load_demo")
        manage(server, dbname, "bench_data", "--records", "3000", "--countries", "3",
               "--joint-operations", "1")
        # Text PostgreSQL must carry exactly: quotes, a line break, a tab, a backslash, unicode.
        server.execute(dbname, "INSERT INTO countries_accessevent (created_at, kind, username, path,"
                               " object_type, object_id) VALUES (now(), 'read', %s, %s, '', '')",
                       ["o'brien \"x\"\tα", "/records/\\d+/\nสวัสดี"])
        archive = tmp_path_factory.mktemp("backup") / "jpoa.dump"
        before = snapshot(server, dbname)
        output = manage(server, dbname, "backup", "--output", str(archive)).stdout
        assert f"to {archive}" in output and archive.stat().st_size > 0
        assert snapshot(server, dbname) == before  # a backup writes nothing
        yield Loaded(server, dbname, archive, before)
    finally:
        server.execute("postgres", sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
            sql.Identifier(dbname)))


def test_backup_wipe_restore_round_trip_loses_no_row(loaded):
    # given a loaded database and its backup
    before = loaded.before
    tables = [name for name in before if name.startswith("table ")]
    assert rows(before) > 3000 and before["table operations_victimassistancerecord"][0] > 0
    assert before["table operations_arrestrecordevent"][0] > 0  # the audit trail is in it too

    # when the database is wiped (dropped and created empty) and the backup restored into it
    server, dbname = loaded.server, loaded.dbname
    server.execute("postgres", sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(dbname)))
    server.execute("postgres", sql.SQL("CREATE DATABASE {} TEMPLATE template0").format(
        sql.Identifier(dbname)))
    assert rows(snapshot(server, dbname)) == 0
    restored = manage(server, dbname, "restore", str(loaded.archive), "--noinput")

    # then every table, row, sequence, index, constraint and trigger is back, unchanged
    after = snapshot(server, dbname)
    differ = differences(before, after)
    print(f"\nbackup round trip: {len(tables)} tables, {rows(before)} rows, "
          f"{len(before) - len(tables)} sequences/indexes/constraints/triggers, {len(differ)} differ")
    CASES["backup round trip (tables compared)"] += len(tables)
    CASES["backup round trip (rows compared)"] += rows(before)
    assert differ == []
    assert "Restored" in restored.stdout and "migrate" not in restored.stdout  # schema current
    # and the restored database works: the audit triggers record a new change
    events = "SELECT count(*) FROM operations_arrestrecordevent"
    [(audited,)] = server.execute(dbname, events)
    server.execute(dbname, "UPDATE operations_arrestrecord SET count = count + 1"
                           " WHERE id = (SELECT min(id) FROM operations_arrestrecord)")
    assert server.execute(dbname, events) == [(audited + 1,)]
    server.execute(dbname, "UPDATE operations_arrestrecord SET count = count - 1"
                           " WHERE id = (SELECT min(id) FROM operations_arrestrecord)")


def test_restore_asks_first_and_a_refusal_changes_nothing(loaded):
    # given a change made after the backup
    server, dbname = loaded.server, loaded.dbname
    mark_a_change(server, dbname)
    changed = snapshot(server, dbname)

    # when the restore is not confirmed: no terminal to answer, or an answer other than yes
    silent = manage(server, dbname, "restore", str(loaded.archive), check=False)
    declined = manage(server, dbname, "restore", str(loaded.archive), stdin="no\n", check=False)

    # then it refuses, says so, and the database still has the change
    for result in (silent, declined):
        assert result.returncode == 1
        assert "Restore cancelled: nothing was changed" in result.stderr
    assert "Type 'yes' to continue" in declined.stdout
    assert snapshot(server, dbname) == changed

    # when the answer is yes, the backup replaces the change
    manage(server, dbname, "restore", str(loaded.archive), stdin="yes\n")
    assert differences(loaded.before, snapshot(server, dbname)) == []


def test_a_restore_that_fails_midway_is_rolled_back_and_reported(loaded, tmp_path):
    # given a change made after the backup, and a copy of the backup damaged at its very end:
    # the last table's data, read after every object was dropped and created again and the
    # other tables were loaded (the custom format keeps the definitions up front)
    server, dbname = loaded.server, loaded.dbname
    mark_a_change(server, dbname)
    changed = snapshot(server, dbname)
    damaged = tmp_path / "damaged.dump"
    content = bytearray(loaded.archive.read_bytes())
    content[-64:] = bytes(64)
    damaged.write_bytes(bytes(content))

    # when
    result = manage(server, dbname, "restore", str(damaged), "--yes", check=False)

    # then it fails loudly, names the database, and nothing changed: no half-restored database
    assert result.returncode == 1
    assert "pg_restore of" in result.stderr and "could not uncompress data" in result.stderr
    assert f'database "{dbname}"' in result.stderr and "is unchanged" in result.stderr
    assert differences(changed, snapshot(server, dbname)) == []


def test_restore_of_a_missing_or_unreadable_file_is_refused_clearly(loaded, tmp_path):
    server, dbname = loaded.server, loaded.dbname
    missing = manage(server, dbname, "restore", str(tmp_path / "nope.dump"), "--yes", check=False)
    garbage = tmp_path / "garbage.dump"
    garbage.write_text("not a backup")
    unreadable = manage(server, dbname, "restore", str(garbage), "--yes", check=False)

    assert missing.returncode == 1 and "does not exist" in missing.stderr
    assert unreadable.returncode == 1 and "is unchanged" in unreadable.stderr


# ---------------------------------------------------------------------------------------------
# The client programs match the server
# ---------------------------------------------------------------------------------------------


def tool_major(directory: Path) -> int:
    output = subprocess.run([str(directory / "pg_dump"), "--version"], capture_output=True,
                            text=True, check=True).stdout
    return int(output.split(") ")[1].split(".")[0])


def test_client_programs_are_chosen_by_the_server_major_version(settings):
    # the embedded server's (16) and the system's (15) programs are both found and told apart
    settings.PG_BIN_DIR = ""
    for major in (15, 16):
        assert tool_major(backups.client_dir(major)) == major
    with pytest.raises(backups.BackupError, match="install postgresql-client-99|PG_BIN_DIR"):
        backups.client_dir(99)

    # PG_BIN_DIR, when set, is the only place looked at
    system_15 = backups.client_dir(15)
    settings.PG_BIN_DIR = str(system_15)
    assert backups.client_dir(14) == system_15  # an older server: a newer pg_dump reads it
    with pytest.raises(backups.BackupError, match=r"PG_BIN_DIR \(.*\) holds no pg_dump"):
        backups.client_dir(16)


@pytest.fixture
def pgdata():
    # Under var/, as in test_embedded_db: pgserver's postgres user must reach the directory.
    path = BASE_DIR / "var" / "test-embedded" / uuid.uuid4().hex[:8] / "pgdata"
    yield path
    shutil.rmtree(path.parent, ignore_errors=True)


def test_backup_and_restore_work_on_the_embedded_server(pgdata, tmp_path):
    # given the embedded server (pgserver, its own PostgreSQL version) with a table of data
    handle = embedded_db.start(pgdata, database="jpoa_embedded")
    try:
        server = Server({"user": "postgres", "host": str(pgdata.resolve())})
        server.execute("jpoa_embedded", "CREATE TABLE figures (id int PRIMARY KEY, label text);"
                                        " INSERT INTO figures SELECT n, 'figure ' || n"
                                        " FROM generate_series(1, 500) n")
        before = snapshot(server, "jpoa_embedded")
        archive = tmp_path / "embedded.dump"

        # when it is backed up, changed, and restored
        manage(server, "jpoa_embedded", "backup", "-o", str(archive))
        server.execute("jpoa_embedded", "DELETE FROM figures WHERE id > 100")
        manage(server, "jpoa_embedded", "restore", str(archive), "--yes")

        # then the data is back
        assert differences(before, snapshot(server, "jpoa_embedded")) == []
        assert server.execute("jpoa_embedded", "SELECT count(*) FROM figures") == [(500,)]
    finally:
        handle.cleanup()
