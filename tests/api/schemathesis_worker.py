"""One worker of ``test_schemathesis.py``: its share of the schema's operations, in-process.

Run as ``python -m tests.api.schemathesis_worker <index> <workers> <examples> <negatives>``
with ``DATABASE_URL`` pointing at the test database (the test commits the demo there) and
the token in ``SCHEMATHESIS_TOKEN``. Loads the live schema from the WSGI application, sends
every generated request to it (each in a transaction that is rolled back, so every request
meets the same data) and prints one JSON line: the cases tried per operation, and failures.
"""
from __future__ import annotations

import json
import logging
import os
import sys
from collections import Counter

REPORT_PREFIX = "SCHEMATHESIS-REPORT "


def main(index: int, workers: int, examples: int, negatives: int) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jpoa.settings")
    django.setup()

    import schemathesis
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections, transaction
    from hypothesis import HealthCheck, Phase, given, settings
    from schemathesis.checks import not_a_server_error
    from schemathesis.specs.openapi.checks import (
        content_type_conformance,
        response_schema_conformance,
        status_code_conformance,
    )

    from jpoa.wsgi import application

    checks = [not_a_server_error, status_code_conformance, content_type_conformance,
              response_schema_conformance]
    # As Django's test client does: keep the connection (and its transaction) across requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    logging.getLogger("django.request").setLevel(logging.ERROR)  # 4xx are expected here

    headers = {"Authorization": f"Bearer {os.environ['SCHEMATHESIS_TOKEN']}"}
    schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", application, headers=headers)
    operations = [result.ok() for result in schema.get_all_operations()]
    tried: Counter = Counter()
    failures: list[str] = []

    def run(operation, mode, count: int) -> None:
        @settings(max_examples=count, deadline=None, database=None, derandomize=True,
                  phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
        @given(case=operation.as_strategy(generation_mode=mode))
        def call(case):
            with transaction.atomic():
                response = case.call(headers=headers)
                transaction.set_rollback(True)
            tried[operation.label] += 1
            case.validate_response(response, checks=checks)

        call()

    modes = [(schemathesis.GenerationMode.POSITIVE, examples)]
    if negatives:
        modes.append((schemathesis.GenerationMode.NEGATIVE, negatives))
    for operation in operations[index::workers]:
        for mode, count in modes:
            try:
                run(operation, mode, count)
            except (Exception, BaseExceptionGroup) as error:  # reported together by the test
                failures.append(f"{operation.label} ({mode}): {error}")
    return {"operations": len(operations), "tried": dict(tried), "failures": failures}


if __name__ == "__main__":
    report = main(*(int(argument) for argument in sys.argv[1:5]))
    print(REPORT_PREFIX + json.dumps(report), flush=True)
