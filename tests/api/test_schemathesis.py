"""schemathesis against the live schema, in-process on the WSGI app, as officer.tha.

Every operation of the schema gets at least EXAMPLES generated valid requests (100 in CI, 20
by default elsewhere) and a tenth as many invalid ones; every answer must be something other
than a server error, with a status, content type and body that the schema documents. The
operations are shared out between worker processes (one per core, see
``schemathesis_worker.py``), each loading the WSGI application itself, so that the run takes
minutes rather than a quarter of an hour.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from collections import Counter

import pytest

from operations.demo import demo_load
from reporting import rollups
from tests.api.conftest import token_client
from tests.api.schemathesis_worker import REPORT_PREFIX
from tests.conftest import BASE_DIR, IN_CI, database_url_for_subprocess
from tests.counters import CASES

# Valid requests per operation, at least: CI's full budget of 100, or 20 for a quick local run
# (`make test` outside CI); SCHEMATHESIS_EXAMPLES=100 gives a local run CI's budget.
EXAMPLES = int(os.environ.get("SCHEMATHESIS_EXAMPLES", 100 if IN_CI else 20))
NEGATIVES = max(1, EXAMPLES // 10)  # invalid requests per operation
WORKERS = max(2, min(4, os.cpu_count() or 2))
TIMEOUT_SECONDS = 15 * 60


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


@pytest.mark.django_db(transaction=True)  # committed: the workers read it over their own connections
def test_every_operation_answers_as_its_schema_says():
    # given the demo, added up, and officer.tha's token
    demo_load()
    rollups.rollup()
    secret = token_client("officer.tha", name="schemathesis").secret

    # when the workers send every operation its generated requests
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.api.schemathesis_worker", str(index), str(WORKERS),
             str(EXAMPLES), str(NEGATIVES)],
            cwd=BASE_DIR, env=_worker_env(secret), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
            text=True)
        for index in range(WORKERS)
    ]
    reports = [_report(process) for process in processes]

    # then no answer failed a check, and every operation was tried enough
    tried: Counter = Counter()
    for report in reports:
        tried.update(report["tried"])
    failures = [failure for report in reports for failure in report["failures"]]
    operations = reports[0]["operations"]
    CASES["schemathesis (generated requests)"] += sum(tried.values())
    CASES["schemathesis (operations)"] += operations
    assert not failures, "\n\n".join(failures)
    assert operations >= 80 and len(tried) == operations
    too_few = {label: count for label, count in tried.items() if count < EXAMPLES}
    assert not too_few, too_few
