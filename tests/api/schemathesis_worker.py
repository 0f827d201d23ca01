"""One worker of ``test_schemathesis.py``: schemathesis's own engine, in-process, on a share of
the schema's operations (or on the whole schema for the stateful phase).

Run as ``python -m tests.api.schemathesis_worker <index> <workers> <examples> <coverage>``
(coverage 1 or 0: with or without the coverage phase) with
``DATABASE_URL`` pointing at the test database (the test commits the demo there), a token to
read the schema with in ``SCHEMATHESIS_TOKEN`` and the same user's login in
``SCHEMATHESIS_USERNAME`` and ``SCHEMATHESIS_PASSWORD`` (schemathesis logs in with them). Worker ``index`` of ``workers`` runs the examples, coverage and
fuzzing phases (positive and negative data) on every ``workers``-th operation, each request in
a transaction that is rolled back (so every request meets the same data); index ``-1`` runs the
stateful phase over every operation, following the schema's links, with its writes kept (a
link's next request needs what the last one created). Every check is on, as
``schemathesis run --checks all --mode all`` does. Prints one JSON line: the cases sent and the
operations answered with something other than 404, per operation label, and the failures.
"""
from __future__ import annotations

import json
import logging
import os
import sys
from collections import Counter

REPORT_PREFIX = "SCHEMATHESIS-REPORT "
STATEFUL = -1
TOKENS = "/api/v1/tokens/"
UNIT_PHASES = ("examples", "coverage", "fuzzing")


def config_for(*, username: str, password: str, token_name: str, examples: int,
               stateful: bool, coverage: bool = True) -> dict:
    """The run's configuration, as ``schemathesis.toml`` would have it. schemathesis gets its
    token from ``POST /api/v1/tokens/`` itself, so it knows that operation makes credentials
    (a wrong password refused there is no schema-valid request rejected)."""
    phases = {name: {"enabled": not stateful} for name in UNIT_PHASES}
    phases["coverage"]["enabled"] &= coverage  # its cases do not depend on ``examples``
    phases["stateful"] = {"enabled": stateful}
    return {
        "auth": {"dynamic": {"openapi": {"tokenAuth": {
            "path": TOKENS, "payload": {"username": username, "password": password,
                                        "name": token_name},
            "extract_selector": "/token"}}}},
        "checks": {"enabled": True},  # every check: --checks all
        # No NUL in generated text: PostgreSQL's text cannot hold it, and the API refuses it in
        # every string (400 "Null characters are not allowed.", DRF's own check), a rule the
        # schema does not repeat on each of its strings.
        "generation": {"mode": "all", "max-examples": examples, "deterministic": True,
                       "allow-x00": False},
        "phases": phases,
        "workers": 1,
        "cache": {"enabled": False},  # every run starts afresh, as in CI
        "suppress-health-check": ["all"],
        "continue-on-failure": True,
        "output": {"sanitization": {"enabled": False}},
    }


def with_login(application, *, username: str, token_name: str, rollback: bool):
    """The WSGI application; each request in a transaction that is rolled back if
    ``rollback``, but for the token requests, so that the token schemathesis logs in with stays
    valid. schemathesis logs in again now and then (every five minutes): its last token, by
    name (a name is unique among a user's active tokens), is revoked first."""
    from django.db import transaction
    from django.utils import timezone

    from api.models import ApiToken

    def app(environ, start_response):
        # An HTTP client takes gzip and unpacks it; this in-process transport does not unpack
        # what GZipMiddleware packs, so it asks for none.
        environ.pop("HTTP_ACCEPT_ENCODING", None)
        if environ.get("PATH_INFO") == TOKENS:
            ApiToken.objects.filter(user__username=username, name=token_name,
                                    revoked_at__isnull=True).update(revoked_at=timezone.now())
            return application(environ, start_response)
        if not rollback:
            return application(environ, start_response)
        with transaction.atomic():
            result = application(environ, start_response)
            try:
                body = b"".join(result)  # read inside the transaction (a file, say)
            finally:
                if hasattr(result, "close"):
                    result.close()
            transaction.set_rollback(True)
        return [body]

    return app


def _patch_wsgi_probes() -> None:
    """schemathesis 4.32's WSGI transport hands socket-only settings (``max_redirects``...) to
    werkzeug when a check sends a probe without a session (``ignored_auth``): drop them."""
    from schemathesis.transport.wsgi import WSGITransport

    send = WSGITransport.send

    def without_socket_settings(self, case, *, session=None, **kwargs):
        if session is None:
            for name in ("max_redirects", "verify", "cert", "proxies"):
                kwargs.pop(name, None)
        return send(self, case, session=session, **kwargs)

    WSGITransport.send = without_socket_settings


def _fresh_idempotency_keys() -> None:
    """A client makes a new Idempotency-Key for each new request: a generated key that is valid
    (the same "0" for two different bodies, say) is replaced by a UUID, as a client would send;
    an invalid one is left as generated, for the API to refuse."""
    import uuid

    import schemathesis

    from api.idempotency import HEADER
    from api.idempotency import KEY_PATTERN as valid

    @schemathesis.hook
    def map_headers(ctx, headers):
        if headers and isinstance(headers.get(HEADER), str) and valid.fullmatch(headers[HEADER]):
            headers[HEADER] = str(uuid.uuid4())
        return headers


def _describe(failure, case, response) -> str:
    request = f"{case.method} {case.formatted_path}"
    answer = "none"
    if response is not None:
        try:
            answer = f"{response.status_code} {response.text[:500]}"
        except UnicodeDecodeError:  # a file's bytes
            answer = f"{response.status_code} <{len(response.content):,} bytes, not text>"
    return (f"{failure.operation} [{type(failure).__name__}] {failure.title}: "
            f"{failure.message.strip()[:1500]}\n  request: {request} headers={case.headers!r} "
            f"query={case.query!r} body={str(case.body)[:500]!r}\n  answer: {answer}")


def main(index: int, workers: int, examples: int, coverage: int = 1) -> dict:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "jpoa.settings")
    django.setup()

    import schemathesis
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections
    from schemathesis.config import SchemathesisConfig
    from schemathesis.engine import events, from_schema

    from jpoa.wsgi import application
    from tests.api import schemathesis_rules

    # As Django's test client does: keep the connection (and its transaction) across requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    logging.getLogger("django.request").setLevel(logging.CRITICAL)  # 4xx are expected here

    stateful = index == STATEFUL
    token = os.environ["SCHEMATHESIS_TOKEN"]  # to read the schema, which is the user's own
    username, token_name = os.environ["SCHEMATHESIS_USERNAME"], f"schemathesis {index}"
    _patch_wsgi_probes()
    _fresh_idempotency_keys()
    schemathesis_rules.install(username)  # the rules across fields, as a client keeps them
    config = SchemathesisConfig.from_dict(config_for(
        username=username, password=os.environ["SCHEMATHESIS_PASSWORD"], token_name=token_name,
        examples=examples, stateful=stateful, coverage=bool(coverage)))
    app = with_login(application, username=username, token_name=token_name,
                     rollback=not stateful)
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/schema/", app, config=config, headers={"Authorization": f"Bearer {token}"})
    labels = sorted(result.ok().label for result in schema.get_all_operations())
    if not stateful:
        mine = set(labels[index::workers])
        schema = schema.include(lambda ctx: ctx.operation.label in mine)

    sent: Counter = Counter()
    reached: Counter = Counter()
    failures: dict[tuple, str] = {}
    errors: list[str] = []
    for event in from_schema(schema).execute():
        if isinstance(event, events.ScenarioFinished):
            recorder = event.recorder
            print(f"{event.phase} {recorder.label}: {len(recorder.cases)} cases", file=sys.stderr,
                  flush=True)  # progress, for whoever watches a slow run
            for case_id, node in recorder.cases.items():
                interaction = recorder.interactions.get(case_id)
                if interaction is None or interaction.response is None:
                    continue
                label = node.value.operation.label
                sent[label] += 1
                if interaction.response.status_code != 404:
                    reached[label] += 1
            for case_id, checks in recorder.checks.items():
                for check in checks:
                    if check.failure_info is None:
                        continue
                    failure = check.failure_info.failure
                    key = (failure.operation, check.name, failure.title)
                    if key not in failures:
                        interaction = recorder.interactions.get(case_id)
                        failures[key] = f"({check.name}) " + _describe(
                            failure, recorder.cases[case_id].value,
                            interaction.response if interaction else None)
        elif isinstance(event, events.NonFatalError):
            errors.append(f"{event.label}: {event.info.format() if hasattr(event, 'info') else event}")
        elif isinstance(event, events.FatalError):
            errors.append(f"fatal: {event.exception!r}")
    return {"operations": labels, "sent": dict(sent), "reached": dict(reached),
            "failures": list(failures.values()), "errors": errors}


if __name__ == "__main__":
    report = main(*(int(argument) for argument in sys.argv[1:5]))
    print(REPORT_PREFIX + json.dumps(report), flush=True)
