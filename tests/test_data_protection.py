"""Data protection: no victim identifier anywhere — models, database columns, exports, logs and
the API schema — and the retention of the access log and export files.

Victims are recorded only as counts by sex, age band, nationality (a country code),
exploitation type and sector. The scans below look for fields named like a personal
identifier, and follow canary values (a name, a passport number, a phone number...) sent
through every entry path to make sure none of them is stored, logged or exported.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pgtrigger
import pytest
import yaml
from django.apps import apps
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, models
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from countries.models import AccessEvent, Agency
from countries.tasks import access_log_purge, purge_access_log
from operations import models as om
from operations.models import JointOperation
from reporting import exports, rollups
from tests.api.conftest import token_client
from tests.counters import CASES

BASE_DIR = Path(__file__).resolve().parent.parent

# Names of personal identifiers: a field, column or property matching this has no place on
# victim data. (Nationality, a country code, is not one: it does not match.)
IDENTIFIER = re.compile(
    r"(^|[_\s])((first|last|given|family|full|middle|maiden|sur|nick|display|user)_?)?name(s)?($|[_\s])"
    r"|surname|passport|phone|mobile|telephone|(^|_)tel($|_)|fax|address|e_?mail|birth|(^|_)dob($|_)"
    r"|national_?id|id_?(number|card|no)|identity|identifier|document|photo|picture|image"
    r"|fingerprint|biometric|(^|_)ssn($|_)|visa|contact|(^|_)street|postcode|zip_?code|gps"
    r"|latitude|longitude|(^|_)(home|residence|village)($|_)",
    re.IGNORECASE,
)

# What an officer might try to slip in about a victim. None of it may be kept anywhere.
CANARIES = {
    "name": "Canary Victimname Zqx",
    "full_name": "Canary Victimname Zqx",
    "passport": "CANARYPP7731",
    "passport_number": "CANARYPP7731",
    "phone": "+66-81-CANARY-0199",
    "address": "99 Canary Lane, Zqx Province",
    "email": "canary.victim.zqx@example.org",
    "date_of_birth": "1999-09-09-canary",
    "national_id": "CANARYNID-4412",
}
CANARY_VALUES = sorted(set(CANARIES.values()))


def victim_models() -> list[type[models.Model]]:
    """VictimAssistanceRecord and every model holding data about it: its audit events, its
    object permissions, anything with a relation to it or "victim" in its name."""
    found = []
    for model in apps.get_models():
        related = any(
            field.is_relation and field.related_model is om.VictimAssistanceRecord
            for field in model._meta.get_fields() if not field.auto_created or field.concrete
        )
        if model is om.VictimAssistanceRecord or related or "victim" in model.__name__.lower():
            found.append(model)
    return found


def bookkeeping(field) -> bool:
    """pghistory's own columns on the audit event models (label, context, time, object)."""
    return field.name.startswith("pgh_")


# ---------------------------------------------------------------------------------------------
# (a) Models and database columns
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", ["name", "first_name", "victim_name", "passport_number", "phone",
                                  "home_address", "email", "date_of_birth", "dob", "national_id",
                                  "id_number", "photo", "Full name", "contact"])
def test_the_scan_recognises_identifier_names(name):
    assert IDENTIFIER.search(name)


@pytest.mark.parametrize("name", ["nationality", "age_band", "sex", "count", "sector", "agency",
                                  "exploitation_type", "occurred_on", "country", "version"])
def test_the_scan_lets_the_victim_dimensions_through(name):
    assert not IDENTIFIER.search(name)


def test_no_victim_model_has_an_identifier_or_free_text_field():
    # given every model that holds victim data
    found = victim_models()
    names = {model.__name__ for model in found}
    assert {"VictimAssistanceRecord", "VictimAssistanceRecordEvent"} <= names, names

    # then none of their fields is named like an identifier, and none takes free text: every
    # text field is a choice, or the nationality's three-letter country code
    scanned, problems = 0, []
    for model in found:
        for field in model._meta.get_fields():
            if not getattr(field, "concrete", False) or bookkeeping(field):
                continue
            scanned += 1
            label = f"{model.__name__}.{field.name}"
            if IDENTIFIER.search(field.name) or IDENTIFIER.search(str(field.verbose_name)):
                problems.append(f"{label}: named like an identifier")
            if isinstance(field, models.JSONField | models.BinaryField | models.FileField):
                problems.append(f"{label}: can hold anything")
            if isinstance(field, models.TextField) or (
                    isinstance(field, models.CharField) and not field.choices
                    and (field.max_length or 0) > 3):
                problems.append(f"{label}: free text")
    print(f"\ndata protection: {scanned} fields of {len(found)} victim models scanned, "
          f"{len(problems)} identifiers")
    CASES["data protection (victim model fields)"] += scanned
    assert problems == []


def test_no_victim_table_has_an_identifier_column(db):
    # the database itself, which a raw-SQL migration could change behind the models' back
    tables = [model._meta.db_table for model in victim_models()]
    with connection.cursor() as cursor:
        cursor.execute("SELECT table_name, column_name, data_type FROM information_schema.columns"
                       " WHERE table_schema = 'public' AND table_name = ANY(%s)", [tables])
        columns = cursor.fetchall()
    assert {table for table, _column, _type in columns} == set(tables)
    suspicious = [(t, c) for t, c, _type in columns if IDENTIFIER.search(c)]
    CASES["data protection (victim table columns)"] += len(columns)
    assert suspicious == []


def test_no_model_anywhere_has_a_victim_identifier_field():
    # a victim's name must not turn up elsewhere either (a note, a network, a share...)
    victim_identifier = re.compile(r"(victim|trafficked|survivor).*|.*(victim|trafficked|survivor)",
                                   re.IGNORECASE)
    fields = [(model, field) for model in apps.get_models() for field in model._meta.get_fields()
              if getattr(field, "concrete", False)]
    found = [f"{model.__name__}.{field.name}" for model, field in fields
             if victim_identifier.fullmatch(field.name) and IDENTIFIER.search(field.name)]
    CASES["data protection (all model fields)"] += len(fields)
    assert found == []


# ---------------------------------------------------------------------------------------------
# (b, c) Record entry and exports: the canaries are refused or dropped, and appear nowhere
# ---------------------------------------------------------------------------------------------


def text_everywhere() -> dict[str, str]:
    """Every table's rows as text (as seen inside this test's transaction)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        tables = [name for (name,) in cursor.fetchall()]
        texts = {}
        for table in tables:
            cursor.execute(f'SELECT coalesce(string_agg(t::text, E\'\\n\'), \'\') FROM "{table}" t')
            texts[table] = cursor.fetchone()[0]
    return texts


def with_canaries(row: dict) -> dict:
    return {**row, **CANARIES}


def test_victim_identifiers_sent_through_every_entry_path_are_kept_nowhere(client, demo, caplog):
    # given an officer, logged in through the login page, and everything logged from now on
    caplog.set_level(logging.DEBUG)
    rtp = Agency.objects.get(acronym="RTP", country__code="THA")
    response = client.post(reverse("login"), {"username": "officer.tha",
                                               "password": "jpoa-demo-2015"})
    assert response.status_code == 302
    victim = {"occurred_on": "2015-10-03", "agency": rtp.pk, "count": 3, "sex": "female",
              "age_band": "18-24", "nationality": "MMR", "exploitation_type": "labour",
              "sector": "fishing"}
    before = om.VictimAssistanceRecord.objects.count()

    # when the canaries ride along with a record entered on the page (as extra form fields)...
    page = client.post(reverse("operations:record_create", args=["victims-assisted"]),
                       with_canaries(victim))
    assert page.status_code == 302
    # ...in the nationality field itself (refused: not a country code)...
    refused = client.post(reverse("operations:record_create", args=["victims-assisted"]),
                          {**victim, "nationality": CANARIES["name"]})
    assert refused.status_code == 400 and om.VictimAssistanceRecord.objects.count() == before + 1
    # ...through the API, as fields of the record (refused: the type has no such field)...
    api = token_client("officer.tha")
    created = api.post("/api/v1/records/victims-assisted/",
                       with_canaries({**victim, "joint_operation": "jpoa-2015"}), format="json",
                       HTTP_IDEMPOTENCY_KEY="0b0f8a52-5d0e-4c53-9d7e-0c0ffee00001")
    assert created.status_code == 400
    assert set(json.loads(created.content)["error"]["fields"]) >= {"name", "passport", "email"}
    bulk = api.post("/api/v1/records/victims-assisted/bulk/?joint_operation=jpoa-2015",
                    [with_canaries(victim)], format="json")
    assert bulk.status_code == 400
    # ...and as extra columns of an import file (refused: unknown columns)
    header = list(victim) + list(CANARIES)
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(header)
    writer.writerow([*(str(v) for v in victim.values()), *CANARIES.values()])
    imported = client.post(reverse("operations:record_import", args=["victims-assisted"]),
                           {"file": SimpleUploadedFile("victims.csv", buffer.getvalue().encode())})
    assert "Unknown columns" in imported.content.decode()
    assert om.VictimAssistanceRecord.objects.count() == before + 1  # only the page's record

    # and the figures are exported: debrief statistics in every text format, record CSV
    rollups.rollup()
    joint_operation = JointOperation.objects.get(slug="jpoa-2015")
    outputs: dict[str, str] = {}
    for profile in ("restricted", "public"):
        data = exports.debrief(joint_operation, profile=profile)
        outputs[f"debrief {profile} csv"] = exports.render(data, "csv").decode()
        outputs[f"debrief {profile} text"] = exports.render(data, "text").decode()
        workbook = load_workbook(io.BytesIO(exports.render(data, "xlsx")), read_only=True)
        outputs[f"debrief {profile} xlsx"] = "\n".join(
            "\t".join("" if v is None else str(v) for v in row)
            for sheet in workbook.worksheets for row in sheet.iter_rows(values_only=True))
    record_csv = client.get(reverse("operations:record_export_csv", args=["victims-assisted"]))
    outputs["record csv"] = b"".join(record_csv.streaming_content).decode()
    outputs["import template"] = client.get(
        reverse("operations:import_template_csv", args=["victims-assisted"])).content.decode()
    outputs["api list"] = api.get("/api/v1/records/victims-assisted/?page_size=500").content.decode()

    # then no canary is in the database, an export, or a log record
    stored = text_everywhere()
    logs = [record.getMessage() + " " + repr(vars(record)) for record in caplog.records]
    leaks = [(where, canary) for canary in CANARY_VALUES
             for where, text in [*stored.items(), *outputs.items(),
                                 *((f"log {i}", line) for i, line in enumerate(logs))]
             if canary.lower() in text.lower()]
    assert leaks == []
    assert len(logs) > 0  # the run did log (logins, refused requests): the scan saw something

    # and no export's columns are named like an identifier
    headers = {
        "debrief csv": next(csv.reader(io.StringIO(outputs["debrief restricted csv"]))),
        "record csv": next(csv.reader(io.StringIO(outputs["record csv"]))),
        "import template": next(csv.reader(io.StringIO(outputs["import template"]))),
    }
    named = [(where, h) for where, row in headers.items() for h in row
             if IDENTIFIER.search(h) and h not in ("metric_label",)]
    assert named == []
    assert "nationality" in headers["record csv"]  # the victims' columns were really scanned
    cases = len(stored) + len(outputs) + len(logs)
    print(f"\ndata protection: {len(CANARY_VALUES)} canaries through 5 entry paths, "
          f"{len(stored)} tables, {len(outputs)} exports, {len(logs)} log records scanned, 0 leaks")
    CASES["data protection (tables, exports, log records scanned)"] += cases


# ---------------------------------------------------------------------------------------------
# (d) The API schema
# ---------------------------------------------------------------------------------------------

# Read-only properties that name the agency and the officer who entered a record, not a victim.
NOT_ABOUT_THE_VICTIM = {"agency_name", "created_by"}


def properties(schema: dict, node, path: str = ""):
    """(path, property name) of every property under ``node``, following $refs once."""
    seen = set()

    def walk(node, path):
        if isinstance(node, dict):
            ref = node.get("$ref")
            if ref and ref not in seen:
                seen.add(ref)
                walk(schema["components"]["schemas"][ref.rsplit("/", 1)[-1]], ref)
            for name, sub in (node.get("properties") or {}).items():
                yield path, name
                yield from walk(sub, f"{path}.{name}")
            for key, value in node.items():
                if key not in ("properties", "$ref"):
                    yield from walk(value, path)
        elif isinstance(node, list):
            for item in node:
                yield from walk(item, path)

    return list(walk(node, path))


def test_the_api_schema_has_no_victim_identifier_property(demo):
    # given the schema as served to a member
    response = token_client("officer.tha").get(reverse("api:schema"))
    assert response.status_code == 200
    schema = yaml.safe_load(response.content)

    # when every property and parameter reachable from the victim paths and components is read
    victim_paths = {p: item for p, item in schema["paths"].items() if "victim" in p}
    components = {n: c for n, c in schema["components"]["schemas"].items() if "victim" in n.lower()}
    assert victim_paths and components
    found = properties(schema, victim_paths) + properties(schema, components)
    parameters = [(path, p["name"]) for path, item in victim_paths.items()
                  for operation in item.values() if isinstance(operation, dict)
                  for p in operation.get("parameters", [])]

    # then none is named like an identifier
    names = {name for _path, name in found + parameters}
    assert {"nationality", "sex", "age_band", "exploitation_type"} <= names
    flagged = sorted({(path, name) for path, name in found + parameters
                      if IDENTIFIER.search(name) and name not in NOT_ABOUT_THE_VICTIM})
    CASES["data protection (API schema properties)"] += len(found) + len(parameters)
    assert flagged == []


# ---------------------------------------------------------------------------------------------
# Retention: the access log at least a year, export files EXPORT_RETENTION_HOURS
# ---------------------------------------------------------------------------------------------


def access_event(days_old: float, username: str) -> AccessEvent:
    event = AccessEvent.objects.create(kind=AccessEvent.Kind.LOGIN, username=username)
    # created_at is auto_now_add and the log is append-only: backdate it as the past would have
    with pgtrigger.ignore("countries.AccessEvent:access_log_append_only"):
        AccessEvent.objects.filter(pk=event.pk).update(
            created_at=timezone.now() - dt.timedelta(days=days_old))
    return event


def test_the_purge_deletes_only_entries_older_than_the_retention(db, settings):
    # given entries from either side of the retention period (default 400 days)
    assert settings.ACCESS_LOG_RETENTION_DAYS == 400
    keep = [access_event(days, f"keep.{days}") for days in (0, 365, 399.9)]
    drop = [access_event(days, f"drop.{days}") for days in (400.1, 800)]

    # when beat's task runs (through Celery, in-process)
    result = purge_access_log.apply()

    # then exactly the old ones are gone
    assert result.successful() and result.result == len(drop)
    remaining = set(AccessEvent.objects.values_list("username", flat=True))
    assert remaining == {e.username for e in keep}
    assert access_log_purge() == 0  # a second run finds nothing more


def test_the_access_log_stays_append_only_outside_the_purge(db):
    import django.db

    event = access_event(1000, "old.but.protected")
    with pytest.raises(django.db.InternalError), django.db.transaction.atomic():
        AccessEvent.objects.filter(pk=event.pk).delete()
    assert AccessEvent.objects.filter(pk=event.pk).exists()


def test_purges_are_on_the_beat_schedule():
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert {"countries.purge_access_log", "reporting.purge_expired_exports"} <= tasks
    from jpoa.celery import app

    app.loader.import_default_modules()
    assert {"countries.purge_access_log", "reporting.purge_expired_exports"} <= set(app.tasks)


def test_a_retention_shorter_than_a_year_is_refused_at_start():
    env = dict(os.environ, ACCESS_LOG_RETENTION_DAYS="90", DEBUG="1",
               DATABASE_URL=os.environ.get("DATABASE_URL") or "postgres://unused@127.0.0.1/unused")
    result = subprocess.run([sys.executable, "-c", "import jpoa.settings"], cwd=BASE_DIR, env=env,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "ACCESS_LOG_RETENTION_DAYS must be at least 365" in result.stderr
