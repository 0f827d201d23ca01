"""Database backups: pg_dump / pg_restore (custom format) against the configured database.

The connection comes from ``settings.DATABASES`` (DATABASE_URL or the embedded server), the
password travels in the environment (never on a command line), and the client programs are
chosen to match the server's major version: the embedded server's own, the system's
``/usr/lib/postgresql/<major>/bin``, ``PG_BIN_DIR`` or the PATH.
"""
from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import DatabaseError, connections
from psycopg2.extensions import make_dsn

# libpq connection parameters that may appear in DATABASES[...]["OPTIONS"] (from ?sslmode=...).
LIBPQ_OPTIONS = {
    "host", "hostaddr", "port",  # postgres://user@/db?host=/socket/dir puts the socket here
    "sslmode", "sslcert", "sslkey", "sslrootcert", "sslcrl", "sslpassword", "sslnegotiation",
    "connect_timeout", "options", "application_name", "target_session_attrs", "passfile",
    "service", "gssencmode", "channel_binding", "keepalives", "keepalives_idle",
    "keepalives_interval", "keepalives_count", "krbsrvname", "requirepeer",
}


class BackupError(Exception):
    """A backup or restore could not be made; the message says why and what to do."""


@dataclass(frozen=True)
class Target:
    """Where pg_dump / pg_restore connect: a libpq conninfo without the password, plus the env."""

    conninfo: str
    env: dict[str, str]
    name: str
    host: str

    def describe(self) -> str:
        return f'database "{self.name}" on {self.host}'


def target(alias: str = "default") -> Target:
    """The connection of ``settings.DATABASES[alias]`` for the client programs."""
    config = settings.DATABASES[alias]
    params = {
        "dbname": config["NAME"],
        "user": config.get("USER") or None,
        "host": config.get("HOST") or None,
        "port": str(config["PORT"]) if config.get("PORT") else None,
    }
    params.update({k: str(v) for k, v in (config.get("OPTIONS") or {}).items() if k in LIBPQ_OPTIONS})
    env = dict(os.environ)
    for name in ("PGPASSWORD", "PGDATABASE", "PGHOST", "PGPORT", "PGUSER", "PGSERVICE"):
        env.pop(name, None)  # only the settings decide where the tools connect
    if config.get("PASSWORD"):
        env["PGPASSWORD"] = str(config["PASSWORD"])
    host = params["host"] or "the local socket"
    if params["port"]:
        host = f"{host}:{params['port']}"
    return Target(conninfo=make_dsn(**{k: v for k, v in params.items() if v}), env=env,
                  name=config["NAME"], host=host)


def server_major_version(alias: str = "default") -> int:
    connection = connections[alias]
    try:
        connection.ensure_connection()
    except DatabaseError as error:
        raise BackupError(f"Cannot connect to {target(alias).describe()}: {error}".strip()) from error
    return connection.pg_version // 10000


def _candidate_dirs() -> list[Path]:
    if getattr(settings, "PG_BIN_DIR", ""):
        return [Path(settings.PG_BIN_DIR)]  # chosen explicitly: that one or a clear error
    dirs = []
    embedded = importlib.util.find_spec("pgserver")  # found, not imported (that starts nothing)
    if embedded and embedded.origin:  # pgserver ships a whole PostgreSQL for the embedded server
        dirs.append(Path(embedded.origin).parent / "pginstall" / "bin")
    dirs.extend(sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True))
    on_path = shutil.which("pg_dump")
    if on_path:
        dirs.append(Path(on_path).resolve().parent)
    return dirs


def _major_version(program: Path) -> int | None:
    try:
        output = subprocess.run([str(program), "--version"], capture_output=True, text=True,
                                timeout=30, check=True).stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"\) (\d+)", output)
    return int(match.group(1)) if match else None


def client_dir(server_major: int) -> Path:
    """The directory of a pg_dump / pg_restore pair for a server of ``server_major``.

    The same major version first; otherwise the oldest newer one (pg_dump refuses to dump a
    server newer than itself, and an archive needs a pg_restore at least as new as its pg_dump).
    """
    found: dict[int, Path] = {}
    for directory in _candidate_dirs():
        dump, restore = directory / "pg_dump", directory / "pg_restore"
        if not (dump.is_file() and restore.is_file()):
            continue
        major = _major_version(dump)
        if major is not None and major == _major_version(restore):
            found.setdefault(major, directory)
    if server_major in found:
        return found[server_major]
    newer = sorted(major for major in found if major > server_major)
    if newer:
        return found[newer[0]]
    seen = ", ".join(f"{major} in {path}" for major, path in sorted(found.items())) or "none"
    if getattr(settings, "PG_BIN_DIR", ""):
        raise BackupError(
            f"PG_BIN_DIR ({settings.PG_BIN_DIR}) holds no pg_dump/pg_restore for PostgreSQL "
            f"{server_major} or newer (found: {seen}).")
    raise BackupError(
        f"No pg_dump/pg_restore for PostgreSQL {server_major} (found: {seen}). Install "
        f"postgresql-client-{server_major} or set PG_BIN_DIR to the directory holding them."
    )


def _run(command: list[str], env: dict[str, str], what: str) -> subprocess.CompletedProcess:
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        detail = (result.stderr or result.stdout).strip()
        raise BackupError(f"{what} failed (exit status {result.returncode}):\n{detail}")
    return result


def archive_tables(archive: Path, bin_dir: Path) -> list[str]:
    """The tables whose data is in ``archive`` (reads its table of contents, or fails)."""
    result = _run([str(bin_dir / "pg_restore"), "--list", str(archive)], dict(os.environ),
                  f"Reading {archive}")
    return [line.split()[-2] for line in result.stdout.splitlines()
            if not line.startswith(";") and " TABLE DATA " in line]


def default_backup_path(name: str) -> Path:
    from django.utils import timezone

    stamp = timezone.now().strftime("%Y%m%dT%H%M%SZ")
    return Path(settings.BACKUP_DIR) / f"{name}-{stamp}.dump"


def backup(output: Path, *, alias: str = "default") -> list[str]:
    """Dump the database to ``output`` (custom format); return the tables whose data it holds.

    The dump is written next to ``output`` and renamed into place once pg_dump succeeded and the
    archive reads back, so a failed run never leaves a file that looks like a backup.
    """
    where = target(alias)
    bin_dir = client_dir(server_major_version(alias))
    connections[alias].close()
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    partial = output.with_name(f".{output.name}.partial")
    try:
        _run([str(bin_dir / "pg_dump"), "--format=custom", "--no-password",
              f"--file={partial}", f"--dbname={where.conninfo}"],
             where.env, f"pg_dump of {where.describe()}")
        tables = archive_tables(partial, bin_dir)
        partial.replace(output)
    finally:
        partial.unlink(missing_ok=True)
    return tables


def restore(archive: Path, *, alias: str = "default") -> list[str]:
    """Replace the configured database's objects with those of ``archive``, all or nothing.

    pg_restore runs with --clean --if-exists in a single transaction and stops at the first
    error: a restore that fails rolls back, leaving the database as it was before.
    """
    archive = Path(archive)
    if not archive.is_file():
        raise BackupError(f"{archive} does not exist or is not a file.")
    where = target(alias)
    bin_dir = client_dir(server_major_version(alias))
    connections[alias].close()  # our own session must not hold anything the restore drops
    tables = archive_tables(archive, bin_dir)
    _run([str(bin_dir / "pg_restore"), "--clean", "--if-exists", "--single-transaction",
          "--exit-on-error", "--no-owner", "--no-password", f"--dbname={where.conninfo}",
          str(archive)],
         where.env, f"pg_restore of {archive} into {where.describe()}")
    return tables
