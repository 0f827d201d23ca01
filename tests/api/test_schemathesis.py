"""schemathesis against the live schema, in-process on the WSGI app, as officer.tha.

Every check schemathesis has (``--checks all``: server errors, status codes, content types,
headers and bodies as documented, schema-valid requests accepted and schema-violating ones
refused, missing headers, unsupported methods, authentication...) over its examples, coverage
and fuzzing phases, with positive and negative data, and then its stateful phase following the
schema's links. The operations are shared out between worker processes
(``schemathesis_worker.py``, one per core) and one more runs the stateful phase, each loading
the WSGI application itself. The test asserts no failure, and that every operation was reached:
answered at least once with something other than 404. What the API enforces is in the schema
served to the caller, but for the rules across fields, records and a file's content that
OpenAPI cannot state: those are taught to schemathesis in ``schemathesis_rules.py``, as a client
keeps them, for the cases it means to be valid.
"""
from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
import sys
import time
from collections import Counter

import pytest

from operations.demo import demo_load
from reporting import rollups
from tests.api.conftest import token_client
from tests.api.schemathesis_worker import REPORT_PREFIX, STATEFUL
from tests.conftest import BASE_DIR, IN_CI, database_url_for_subprocess
from tests.counters import CASES

# Generated requests per operation and phase: CI's budget of 20 (about 28,000 requests, 8 min
# on 2 busy cores), or 5 for a quick local run (`make test` outside CI);
# SCHEMATHESIS_EXAMPLES=20 gives a local run CI's budget. Generation is deterministic.
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", 20 if IN_CI else 5))
# The coverage phase (boundary and missing values of every parameter, about 10,000 requests
# whatever EXAMPLES is) runs in CI; SCHEMATHESIS_COVERAGE=1 runs it locally too.
COVERAGE = os.environ.get("SCHEMATHESIS_COVERAGE", "1" if IN_CI else "0") == "1"
WORKERS = max(2, min(4, os.cpu_count() or 2))
TIMEOUT_SECONDS = 30 * 60


USERNAME = "officer.tha"
PASSWORD = "schemathesis-only-password"


def _worker_env(secret: str) -> dict:
    env = {key: value for key, value in os.environ.items() if key != "CELERY_BROKER_URL"}
    return {
        **env,
        "DATABASE_URL": database_url_for_subprocess(),
        "DJANGO_SETTINGS_MODULE": "jpoa.settings",
        "DEBUG": "0",  # Django's technical pages would not be the API's answers
        "SECURE_SSL_REDIRECT": "0",  # the in-process requests are plain HTTP, not behind TLS
        "SECRET_KEY": "schemathesis-worker-only",
        "SCHEMATHESIS_TOKEN": secret,
        "SCHEMATHESIS_USERNAME": USERNAME,
        "SCHEMATHESIS_PASSWORD": PASSWORD,
        "AXES_FAILURE_LIMIT": "1000000",  # the fuzzer's wrong passwords lock nobody out
        "AXES_ADDRESS_FAILURE_LIMIT": "1000000",
        "API_THROTTLE_USER": "1000000/hour",
        "API_THROTTLE_TOKEN": "1000000/hour",
        "API_THROTTLE_CREDENTIALS": "1000000/hour",
    }


def _report(process: subprocess.Popen) -> dict:
    try:
        out, err = process.communicate(timeout=TIMEOUT_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
    lines = [line for line in out.splitlines() if line.startswith(REPORT_PREFIX)]
    assert process.returncode == 0 and lines, f"a worker failed:\n{out[-3000:]}\n{err[-5000:]}"
    return json.loads(lines[-1].removeprefix(REPORT_PREFIX))


def joint_investigation_with_thailand():
    """The demo has no joint investigation: one led by Thailand with Malaysia, so that its
    operations (notes, members, invite, close) have something to answer about."""
    from django.contrib.auth import get_user_model

    from cooperation import services as cooperation
    from cooperation.models import Network
    from countries.models import Country

    users = get_user_model().objects
    tha, mys = Country.objects.get(code="THA"), Country.objects.get(code="MYS")
    investigation = cooperation.investigation_propose(
        actor=users.get(username="focal.tha"), lead_country=tha,
        network=Network.objects.filter(registered_by=tha).order_by("pk").first(),
        title="Andaman crews", starts_on=dt.date(2015, 10, 1), ends_on=dt.date(2016, 3, 31),
        purpose="Follow the crews' recruiters.", invited=[mys])
    member = investigation.members.get(country=mys)
    cooperation.member_respond(actor=users.get(username="focal.mys"), member=member, accept=True)
    return investigation


def failed_export_of_thailand():
    """The demo has no export: one of officer.tha's that failed (its worker died), so that
    retrying one has something to answer about."""
    from django.contrib.auth import get_user_model

    from countries.models import Country
    from operations.models import JointOperation
    from reporting.models import ExportJob

    return ExportJob.objects.create(
        joint_operation=JointOperation.objects.get(slug="jpoa-2015"),
        country=Country.objects.get(code="THA"), format=ExportJob.Format.CSV,
        requested_by=get_user_model().objects.get(username=USERNAME),
        status=ExportJob.Status.FAILED, error="The worker stopped while making the file.")


def _password_the_workers_check(username: str, password: str) -> None:
    """The suite hashes with MD5, which the workers' settings do not know: PBKDF2 (cheaply)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import PBKDF2PasswordHasher

    encoded = PBKDF2PasswordHasher().encode(password, "schemathesissalt", iterations=1000)
    get_user_model().objects.filter(username=username).update(password=encoded)


@pytest.mark.django_db(transaction=True)  # committed: the workers read it over their own connections
def test_every_operation_answers_as_its_schema_says():
    # given the demo, added up, a joint investigation, a failed export, and officer.tha's
    # token and password
    demo_load()
    rollups.rollup()
    joint_investigation_with_thailand()
    failed_export_of_thailand()
    secret = token_client(USERNAME, name="schemathesis: the schema").secret
    _password_the_workers_check(USERNAME, PASSWORD)

    # when the workers run every phase and check on their share of the operations, and then
    # one more the stateful phase over all of them (it writes: after the others)
    started = time.monotonic()
    env = _worker_env(secret)

    def worker(index: int) -> subprocess.Popen:
        return subprocess.Popen(
            [sys.executable, "-m", "tests.api.schemathesis_worker", str(index), str(WORKERS),
             str(EXAMPLES), str(int(COVERAGE))],
            cwd=BASE_DIR, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)

    reports = [_report(process) for process in [worker(index) for index in range(WORKERS)]]
    reports.append(_report(worker(STATEFUL)))
    elapsed = time.monotonic() - started

    # then no check failed, nothing went wrong in schemathesis, and every operation was reached
    sent: Counter = Counter()
    reached: Counter = Counter()
    for report in reports:
        sent.update(report["sent"])
        reached.update(report["reached"])
    failures = [failure for report in reports for failure in report["failures"]]
    errors = [error for report in reports for error in report["errors"]]
    operations = reports[0]["operations"]
    CASES["schemathesis (generated requests)"] += sum(sent.values())
    CASES["schemathesis (operations)"] += len(operations)
    print(f"\nschemathesis: {len(operations)} operations, {sum(sent.values())} requests, "
          f"{sum(1 for label in operations if reached[label])} reached with an answer other "
          f"than 404, {len(failures)} failures, {elapsed:.0f} s")
    assert not failures, f"{len(failures)} failures:\n\n" + "\n\n".join(failures)
    assert not errors, "\n\n".join(errors)
    assert len(operations) >= 100
    unreached = [label for label in operations if not reached[label]]
    assert not unreached, f"answered only 404 (or nothing): {unreached}"
