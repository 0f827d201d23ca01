"""The API's rules that OpenAPI cannot state, as a client knows them from the operations'
descriptions, taught to schemathesis once: each rule below turns a case schemathesis means to
be valid (a positive one) into one that keeps the rule. Negative cases are left as generated,
so that every refusal the schema does state is still tried.

What the schema itself states (it is made for the caller: their agencies, the days of their
joint operations, the countries their enquiries may go to, the country they export...) is not
repeated here. What is here is a rule across fields, records or a file's content:
- a figure above its soft bound is saved only with ``unusual_reason`` (the bound also adapts
  to the country's history; above the configured one, a client gives its reason);
- an enquiry is answered on or after the day it was sent (the record's own date, or the one
  stored when only the answer is sent);
- a training session trained at least one officer, in one category or another;
- a metric of ``/totals/`` is broken down only by its own dimensions;
- a bulk file holds rows of the record type's import template (``format: binary`` says
  nothing of a file's content).
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import re

import schemathesis

BULK = re.compile(r"^/api/v1/records/(?P<slug>[\w-]+)/bulk/$")
RECORD = re.compile(r"^/api/v1/records/(?P<slug>[\w-]+)/(\{id\}/)?$")
ANSWER = "/api/v1/enquiries/incoming/{id}/answer/"
TOTALS = "/api/v1/totals/"
REASON = "Counted one by one at the port and confirmed by the unit commander."
_files = itertools.count()  # every bulk file different: the same file is imported only once


def _positive(case) -> bool:
    meta = getattr(case, "meta", None)
    return meta is not None and meta.generation.mode.is_positive


def _day(value) -> dt.date | None:
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(value) if isinstance(value, str) else None
    except ValueError:
        return None


def _stored(kind, case):
    record_id = (case.path_parameters or {}).get("id")
    if record_id is None:
        return None
    return kind.model.objects.filter(pk=record_id).first() if str(record_id).isdigit() else None


def _number(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def keep_record_rules(kind, row: dict, stored=None) -> None:
    """``row`` (a body or a bulk row) made to keep the rules across the record's fields, the
    values it leaves out being the stored record's (a change) or the defaults (a new one)."""
    from operations import plausibility

    def value(name):
        return row[name] if name in row else getattr(stored, name, None)

    limits = kind.figure_limits
    if limits and not str(value(plausibility.REASON_FIELD) or "").strip() and any(
            (_number(value(name)) or 0) > limit.soft for name, limit in limits.items()):
        choices = kind.model._meta.get_field(plausibility.REASON_FIELD).choices
        row[plausibility.REASON_FIELD] = choices[0][0] if choices else REASON
    officers = getattr(kind.model, "OFFICER_FIELDS", None)
    if officers and not any(_number(value(name)) for name in officers.values()):
        row[next(iter(officers.values()))] = 1
    if "answered_on" in kind.entry_fields:
        sent, answered = _day(value("occurred_on")), _day(value("answered_on"))
        if sent and answered and answered < sent:
            row["answered_on"] = sent.isoformat()


def _record_case(kind, case) -> None:
    if isinstance(case.body, dict):
        keep_record_rules(kind, case.body, _stored(kind, case))
    elif isinstance(case.body, list):  # a bulk list of rows
        for row in case.body:
            if isinstance(row, dict):
                keep_record_rules(kind, row)


def _answer_case(case) -> None:
    from operations.models import EnquiryRecord

    record_id = str((case.path_parameters or {}).get("id", ""))
    enquiry = EnquiryRecord.objects.filter(pk=record_id).first() if record_id.isdigit() else None
    answered = _day(case.body.get("answered_on")) if isinstance(case.body, dict) else None
    if enquiry is not None and answered and answered < enquiry.occurred_on:
        case.body["answered_on"] = enquiry.occurred_on.isoformat()


def _totals_case(case) -> None:
    from reporting.metrics import DIMENSIONS, METRICS_BY_KEY

    query = case.query or {}
    metric, dimension = METRICS_BY_KEY.get(query.get("metric")), DIMENSIONS.get(query.get("dimension"))
    if metric and dimension and dimension not in metric.dimensions:
        del query["dimension"]


def bulk_file(kind, username: str) -> bytes:
    """A CSV of the import template with one good row of ``username``'s, unlike any other."""
    from django.contrib.auth import get_user_model

    from api.record_serializers import EXAMPLE_VALUES
    from countries import access
    from countries.models import Agency, Country
    from operations.selectors import joint_operation_current

    user = get_user_model().objects.get(username=username)
    agency = access.agencies_for_entry(user, Agency.objects.order_by("pk")).first()
    joint_operation = joint_operation_current()
    n = next(_files)
    length = (joint_operation.ends_on - joint_operation.starts_on).days + 1
    values = {**EXAMPLE_VALUES, "agency": agency.acronym or agency.name, "answered_on": "",
              "occurred_on": (joint_operation.starts_on + dt.timedelta(days=n % length)).isoformat(),
              "counterpart": Country.objects.exclude(pk=agency.country_id).order_by("code")[0].code}
    first_figure = next(iter(kind.figure_limits), None)
    if first_figure is not None:  # 1 to the soft bound, then the next day
        values[first_figure] = 1 + (n // length) % kind.figure_limits[first_figure].soft
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(kind.entry_fields)
    writer.writerow([values.get(name, "") for name in kind.entry_fields])
    return buffer.getvalue().encode("utf-8")


def install(username: str) -> None:
    """Register the hook (in a schemathesis worker, before the run)."""
    from operations.records import KINDS_BY_SLUG

    @schemathesis.hook
    def map_case(ctx, case):
        if not _positive(case):
            return case
        path = case.operation.path
        if path == ANSWER:
            _answer_case(case)
        elif path == TOTALS:
            _totals_case(case)
        elif (bulk := BULK.match(path)) and isinstance(case.body, dict) and "file" in case.body:
            case.body["file"] = bulk_file(KINDS_BY_SLUG[bulk["slug"]], username)
        elif (record := BULK.match(path) or RECORD.match(path)) and record["slug"] in KINDS_BY_SLUG:
            _record_case(KINDS_BY_SLUG[record["slug"]], case)
        return case
