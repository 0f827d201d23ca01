"""Row-level security on the outcome record tables (issue 10, item 3; see core/rls.py).

The policies mirror ``countries.access.records_visible``: a row is visible when the user named by
the setting ``jpoa.user_id`` is an active superuser, or holds an active officer or focal point
membership in the record's country; and, while they hold such a membership, when the record or
its joint investigation is shared (guardian view permission) with one of their groups, or it is
an enquiry addressed to their country. Writes are limited to their countries' rows (an enquiry's
addressee may also update it: that is how it is answered). ``jpoa.all_records`` = 'on' (the
roll-up, inside a transaction) sees and writes everything. With no setting nothing is visible.

RLS is ENABLED, not FORCED: the tables' owner (who migrates, and the test suite) is unaffected;
the portal serves as the NOLOGIN role ``jpoa_app`` made here when DATABASE_APP_ROLE is set. Roles
are cluster-wide: creating it is idempotent, and skipped with a warning when the connecting user
may not create roles.
"""
import logging

from django.conf import settings
from django.db import migrations

logger = logging.getLogger("core.rls")

APP_ROLE = "jpoa_app"

# (model name, addressee column): the record types of operations/records.py KINDS.
RECORD_TABLES = (
    ("arrestrecord", None),
    ("searchwarrantrecord", None),
    ("suspectrecord", None),
    ("victimassistancerecord", None),
    ("investigationrecord", None),
    ("enquiryrecord", "counterpart_id"),
    ("awarenessactivityrecord", None),
    ("trainingsessionrecord", None),
    ("intelligencereport", None),
)

FUNCTIONS_SQL = """
CREATE OR REPLACE FUNCTION jpoa_user_id() RETURNS bigint LANGUAGE sql STABLE AS
$$ SELECT nullif(current_setting('jpoa.user_id', true), '')::bigint $$;

CREATE OR REPLACE FUNCTION jpoa_all_records() RETURNS boolean LANGUAGE sql STABLE AS
$$ SELECT coalesce(current_setting('jpoa.all_records', true), '') = 'on' $$;

-- access.scope_for: an inactive user has no scope; superusers read every record.
CREATE OR REPLACE FUNCTION jpoa_is_superuser() RETURNS boolean LANGUAGE sql STABLE AS
$$ SELECT EXISTS (SELECT 1 FROM auth_user
                   WHERE id = jpoa_user_id() AND is_superuser AND is_active) $$;

-- access.scope_for(user).record_country_ids: active officer and focal point memberships.
CREATE OR REPLACE FUNCTION jpoa_record_country_ids() RETURNS bigint[] LANGUAGE sql STABLE AS
$$ SELECT coalesce(array_agg(DISTINCT a.country_id), '{}')
     FROM countries_membership m
     JOIN countries_agency a ON a.id = m.agency_id
     JOIN auth_user u ON u.id = m.user_id
    WHERE m.user_id = jpoa_user_id() AND m.is_active AND u.is_active
      AND m.role IN ('officer', 'focal_point') $$;
"""

# Each function in a sub-SELECT: evaluated once per statement, not once per row.
EVERYTHING = "(SELECT jpoa_all_records()) OR (SELECT jpoa_is_superuser())"
COUNTRIES = "(SELECT jpoa_record_country_ids())::bigint[]"  # an array, not a set of rows


def _shared(column: str, model: str, app_label: str = "operations") -> str:
    """access.shared_ids: the ids shared (view permission) with one of the user's groups, as
    ``= ANY(ARRAY(...))`` like the ORM filter, so that PostgreSQL can OR index scans."""
    return f"""{column} = ANY (ARRAY (
        SELECT p.content_object_id FROM operations_{model}groupobjectpermission p
          JOIN auth_user_groups ug ON ug.group_id = p.group_id
          JOIN auth_permission ap ON ap.id = p.permission_id
          JOIN django_content_type ct ON ct.id = ap.content_type_id
         WHERE ug.user_id = (SELECT jpoa_user_id())
           AND ap.codename = 'view_{model}' AND ct.app_label = '{app_label}'))"""


def _policies(model: str, addressee: str | None, investigations_app: str = "operations") -> str:
    """``investigations_app``: the app label of joint investigations' content type (cooperation
    since migration cooperation.0001)."""
    table = f"operations_{model}"
    own = f"{EVERYTHING} OR country_id = ANY ({COUNTRIES})"
    also = [_shared("id", model),
            _shared("joint_investigation_id", "jointinvestigation", investigations_app)]
    answer = own
    if addressee:
        also.append(f"{addressee} = ANY ({COUNTRIES})")
        answer = f"{own} OR {addressee} = ANY ({COUNTRIES})"
    visible = f"{own} OR (cardinality({COUNTRIES}) > 0 AND ({' OR '.join(also)}))"
    return f"""
ALTER TABLE {table} ENABLE ROW LEVEL SECURITY;
DROP POLICY IF EXISTS jpoa_read ON {table};
DROP POLICY IF EXISTS jpoa_insert ON {table};
DROP POLICY IF EXISTS jpoa_update ON {table};
DROP POLICY IF EXISTS jpoa_delete ON {table};
CREATE POLICY jpoa_read ON {table} FOR SELECT USING ({visible});
CREATE POLICY jpoa_insert ON {table} FOR INSERT WITH CHECK ({own});
CREATE POLICY jpoa_update ON {table} FOR UPDATE USING ({answer}) WITH CHECK ({answer});
CREATE POLICY jpoa_delete ON {table} FOR DELETE USING ({own});
"""


FORWARD_SQL = FUNCTIONS_SQL + "".join(_policies(m, a) for m, a in RECORD_TABLES)

REVERSE_SQL = "".join(f"""
DROP POLICY IF EXISTS jpoa_read ON operations_{m};
DROP POLICY IF EXISTS jpoa_insert ON operations_{m};
DROP POLICY IF EXISTS jpoa_update ON operations_{m};
DROP POLICY IF EXISTS jpoa_delete ON operations_{m};
ALTER TABLE operations_{m} DISABLE ROW LEVEL SECURITY;
""" for m, _a in RECORD_TABLES) + """
DROP FUNCTION IF EXISTS jpoa_record_country_ids();
DROP FUNCTION IF EXISTS jpoa_is_superuser();
DROP FUNCTION IF EXISTS jpoa_all_records();
DROP FUNCTION IF EXISTS jpoa_user_id();
"""

# Another database of the cluster (a parallel test worker's) may be creating it at this moment.
CREATE_ROLE_SQL = f"""
DO $$ BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{APP_ROLE}') THEN
        CREATE ROLE {APP_ROLE} NOLOGIN;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
END $$;
"""

# SET ROLE needs the connecting (session) user to be a member of the role.
JOIN_ROLE_SQL = f"""
DO $$ BEGIN
    GRANT {APP_ROLE} TO CURRENT_USER;
EXCEPTION WHEN OTHERS THEN
    RAISE WARNING 'could not grant {APP_ROLE} to %: %', current_user, SQLERRM;
END $$;
"""

GRANTS_SQL = f"""
GRANT USAGE ON SCHEMA public TO {APP_ROLE};
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {APP_ROLE};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {APP_ROLE};
ALTER DEFAULT PRIVILEGES IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {APP_ROLE};
ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {APP_ROLE};
"""


def create_app_role(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT rolsuper, rolcreaterole FROM pg_roles WHERE rolname = current_user")
        superuser, may_create = cursor.fetchone()
        cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [APP_ROLE])
        exists = cursor.fetchone() is not None
        if not exists and not (superuser or may_create):
            logger.warning(
                "row-level security: the database user may not create roles, so role %s was "
                "not made: the policies are in place but the portal serves as the tables' owner, "
                "whom they do not restrict, until an administrator runs CREATE ROLE %s NOLOGIN, "
                "GRANT %s TO <the portal's user>, and migrates again.",
                APP_ROLE, APP_ROLE, APP_ROLE)
            return
        if not exists:
            cursor.execute(CREATE_ROLE_SQL)
        if not superuser:
            cursor.execute(JOIN_ROLE_SQL)
            cursor.execute("SELECT pg_has_role(current_user, %s, 'MEMBER')", [APP_ROLE])
            if not cursor.fetchone()[0]:
                logger.warning(
                    "row-level security: the database user is not a member of role %s, so "
                    "DATABASE_APP_ROLE=%s would fail to SET ROLE: an administrator runs "
                    "GRANT %s TO <the portal's user>.", APP_ROLE, APP_ROLE, APP_ROLE)
        cursor.execute(GRANTS_SQL)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("countries", "0003_api_tokens"),
        ("operations", "0009_planning_and_network_links"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(create_app_role, migrations.RunPython.noop, elidable=False),
        migrations.RunSQL(FORWARD_SQL, REVERSE_SQL),
    ]
