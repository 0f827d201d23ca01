"""Row-level security, the database's second wall between countries (behind countries/access.py).

The outcome record tables have PostgreSQL row-level security policies (migration
``operations.0010_row_level_security``) that mirror ``access.records_visible``: a row is visible
when the user of the request, named by the per-connection setting ``jpoa.user_id``, may read it
by their memberships, their country groups' guardian shares, their countries' joint
investigations or an enquiry's addressee — all looked up by the policy in the same tables the
ORM reads. The owner of the tables (who migrates) is not subject to the policies; the portal
serves as a restricted role when ``DATABASE_APP_ROLE`` is set: every new connection then runs
``SET ROLE`` to it, and a connection with no user set sees no record at all (fail closed).

Whole-database work that is not done for one user (the roll-up and its check) reads every
country's records inside ``all_records()``, a transaction-local setting.

Every process imports this module while Django starts (core's app config imports it), so the
signal handlers below are connected before the first connection is made.
"""
from __future__ import annotations

import logging
import sys
from contextlib import contextmanager

from django.conf import settings
from django.db import DatabaseError, connection, transaction
from django.db.backends.signals import connection_created
from django.db.models.signals import post_migrate
from django.dispatch import receiver

logger = logging.getLogger(__name__)

APP_ROLE = "jpoa_app"  # made by the migration; DATABASE_APP_ROLE names it to serve as it
USER_SETTING = "jpoa.user_id"  # whose request: the policies work out what they may read
ALL_RECORDS_SETTING = "jpoa.all_records"  # "on" inside all_records(): every country's rows

# `manage.py migrate` creates and alters tables: it keeps the connecting (owner) role.
_MIGRATING = sys.argv[1:2] == ["migrate"]


@receiver(connection_created, dispatch_uid="jpoa-rls-serve-as-app-role")
def serve_as_app_role(sender, connection, **kwargs) -> None:
    """Every new connection serves as the restricted role, when one is configured."""
    role = getattr(settings, "DATABASE_APP_ROLE", "")
    if not role or _MIGRATING:
        return
    with connection.connection.cursor() as cursor:  # raw: before any query of the portal's
        cursor.execute(f"SET ROLE {connection.ops.quote_name(role)}")
    connection.jpoa_restricted = True


def is_restricted(db=None) -> bool:
    """The connection serves as the restricted role (the policies apply to it). The tables'
    owner reads every row anyway: for it, ``all_records`` has nothing to lift."""
    return getattr(db or connection, "jpoa_restricted", False)


def set_user(user) -> None:
    """Name the user the connection works for (None or anonymous: nobody, so no records)."""
    user_id = str(user.pk) if user is not None and user.is_authenticated else ""
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, %s, false)", [USER_SETTING, user_id])


def forget_user() -> None:
    """Clear the user at the end of a request: a reused connection starts with nobody."""
    set_user(None)


def forget_user_or_close() -> None:
    """Clear the user; when that fails, close the connection rather than keep it for reuse."""
    try:
        forget_user()
    except DatabaseError:
        connection.close()


class RequestUser:
    """Keeps ``jpoa.user_id`` on the request's user, also when it changes mid-request (login,
    logout, or the API authenticating a token after the middleware ran): installed as an
    execute wrapper, it sets the user again before the first query that follows a change."""

    def __init__(self, request):
        self.request = request
        self.applied = self  # a sentinel no request user can be
        self.busy = False

    def apply(self) -> None:
        user = getattr(self.request, "user", None)
        if user is self.applied:
            return
        self.busy = True  # loading the user (session, memberships) runs queries too
        try:
            set_user(user)
            self.applied = user
        finally:
            self.busy = False

    def __call__(self, execute, sql, params, many, context):
        if not self.busy:
            self.apply()
        return execute(sql, params, many, context)


@contextmanager
def all_records():
    """Read every country's records in this block, whoever the connection works for.

    For totals only (the roll-up, its verification, the headline and return figures). The
    setting is local to the block's transaction and set back when the block ends, so it never
    outlives the block into a request's later queries; its name and value are constants (no
    request input reaches them), and a request's own setting (``jpoa.user_id``) cannot turn it
    on. On the owner's connection (no restricted role) there is nothing to lift: no query.
    """
    if not is_restricted():
        yield
        return
    with transaction.atomic(savepoint=False):
        with connection.cursor() as cursor:
            cursor.execute("SELECT current_setting(%s, true), set_config(%s, 'on', true)",
                           [ALL_RECORDS_SETTING, ALL_RECORDS_SETTING])
            previous = cursor.fetchone()[0] or ""
        yield
        with connection.cursor() as cursor:
            cursor.execute("SELECT set_config(%s, %s, true)", [ALL_RECORDS_SETTING, previous])


def app_role_exists(cursor, role: str = APP_ROLE) -> bool:
    cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
    return cursor.fetchone() is not None


def grant_app_role(using: str = "default", role: str = APP_ROLE) -> bool:
    """Give ``role`` the portal's data privileges on every table and sequence (those made by
    later migrations too). False, with a warning, when the role is missing or the connecting
    user may not grant."""
    from django.db import connections

    db = connections[using]
    with db.cursor() as cursor:
        if not app_role_exists(cursor, role):
            logger.warning("row-level security: role %s does not exist; nothing granted", role)
            return False
        quoted = db.ops.quote_name(role)
        try:
            with transaction.atomic(using=using):
                cursor.execute(f"GRANT USAGE ON SCHEMA public TO {quoted}")
                cursor.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA "
                               f"public TO {quoted}")
                cursor.execute(f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {quoted}")
        except Exception as error:  # not the owner of every table: say so, keep migrating
            logger.warning("row-level security: could not grant %s its privileges (%s)",
                           role, error)
            return False
    return True


@receiver(post_migrate, dispatch_uid="jpoa-rls-grants")
def _grant_after_migrate(sender, using="default", **kwargs) -> None:
    """Tables made by any later migration are granted to the app role too (once per migrate)."""
    if sender.label != "operations":
        return
    from django.db import connections

    roles = {APP_ROLE, getattr(settings, "DATABASE_APP_ROLE", "") or APP_ROLE}
    with connections[using].cursor() as cursor:
        present = [role for role in sorted(roles) if app_role_exists(cursor, role)]
    for role in present:
        grant_app_role(using, role)
