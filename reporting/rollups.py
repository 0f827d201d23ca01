"""The only writer of CountryTotal: totals recomputed from the records with set-based SQL.

A run replaces the totals of its scope (one country of one joint operation, or everything) in
one transaction, with one ``INSERT ... SELECT`` that reads each metric's records once and
produces every dimension of it with ``GROUPING SETS`` (``metrics_insert``). Running it twice
changes nothing; a run that crashed left nothing half-written and is simply run again.

``metric_rows`` computes the same rows the plain way, one ``GROUP BY`` per dimension joined by
``UNION ALL``: ``differences()`` checks the stored totals against it.
"""
from __future__ import annotations

import functools
import logging
import time

from django.db import connection, transaction
from django.db.models import Aggregate, Count, DateField, F, Max, Q, QuerySet, Sum, Value
from django.db.models.functions import Cast, Coalesce, TruncWeek
from django.utils import timezone

from core import rls
from operations.records import KINDS

from . import outliers
from .metrics import HEADLINE_METRICS, METRICS, TOTAL, Dimension, Metric
from .models import CountryActivity, CountryTotal, RollupRun
from .totals import bump_dashboard_version

logger = logging.getLogger(__name__)

COLUMNS = ("joint_operation_id", "country_id", "metric", "dimension", "member", "value")


def metric_rows(metric: Metric, scope: Q) -> QuerySet:
    """One SELECT (a UNION ALL over the metric's dimensions) of the metric's total rows.

    Each row is (joint operation, country, metric, dimension, member, value), grouped by
    joint operation and country, for the records matching ``scope``.
    """
    base = metric.model.objects.filter(scope).filter(metric.filters)
    parts = []
    for dimension in (TOTAL, *metric.dimensions):
        for member, value in metric.member_values(dimension):
            parts.append(
                base.annotate(
                    _jo=F("operation__joint_operation_id"), _country=F("country_id"),
                    _metric=Value(metric.key), _dimension=Value(dimension.key), _member=member,
                )
                .values("_jo", "_country", "_metric", "_dimension", "_member")
                .annotate(_value=Coalesce(value, 0))
                .values_list("_jo", "_country", "_metric", "_dimension", "_member", "_value")
                .order_by()
            )
    return parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]


def _member_columns(metric: Metric) -> tuple[list[tuple[Dimension, object]], list[tuple]]:
    """The metric's dimensions split in two: those whose member is an expression of a record
    (grouped), and those with one aggregate per fixed member (officer categories)."""
    grouped, per_member = [], []
    for dimension in metric.dimensions:
        pairs = metric.member_values(dimension)
        if len(pairs) == 1 and pairs[0][1] is metric.value:
            grouped.append((dimension, pairs[0][0]))
        else:
            per_member.append((dimension, [(member.value, value) for member, value in pairs]))
    return grouped, per_member


def _per_row(aggregate) -> object | None:
    """What ``aggregate`` adds up for one record (``SUM`` of it gives the aggregate), or None."""
    if getattr(aggregate, "filter", None) is not None or getattr(aggregate, "distinct", False):
        return None
    source = aggregate.get_source_expressions()[0] if isinstance(aggregate, Aggregate) else None
    if type(aggregate) is Sum:
        return source
    if type(aggregate) is Count and isinstance(source, F) and source.name in ("id", "pk"):
        return Value(1)  # the key is never NULL: every record counts one
    return None


def metric_insert(metric: Metric, scope: Q) -> tuple[str, tuple]:
    """One ``INSERT ... SELECT`` of every total row of the metric for the records in ``scope``."""
    return metrics_insert([metric], scope)


def metrics_insert(metrics, scope: Q) -> tuple[str, tuple]:
    """One ``INSERT ... SELECT`` of every total row of ``metrics`` for the records in ``scope``
    (a CTE and its SELECTs per metric): a run is one round trip, not one per metric."""
    ctes, selects, cte_params, select_params = [], [], [], []
    for i, metric in enumerate(metrics):
        cte, cte_args, parts, part_args = _metric_select(metric, scope, f"t{i}")
        ctes.append(cte)
        cte_params += cte_args
        selects += parts
        select_params += part_args
    sql = (f"INSERT INTO {CountryTotal._meta.db_table} ({', '.join(COLUMNS)}) "
           f"WITH {', '.join(ctes)} " + " UNION ALL ".join(selects))
    return sql, (*cte_params, *select_params)


def _metric_select(metric: Metric, scope: Q, t: str) -> tuple[str, list, list[str], list]:
    """The metric's rows as a CTE named ``t`` and the SELECTs adding them up.

    The records are read once (``t``: each record's joint operation, country, members and the
    value it adds), and the totals of every dimension are added up from ``t`` with
    ``GROUPING SETS``; a dimension with one aggregate per member (officer categories) is
    unpivoted from the same rows. A count is a sum of ones. An aggregate that is not a plain
    sum (none today) would be computed per combination of members in ``t`` first, and summed
    again. The rows are exactly ``metric_rows``' (the tests compare them, zeros included).
    """
    grouped, per_member = _member_columns(metric)
    aliases = [f"_g{i}" for i in range(len(grouped))]
    sums = {"_v": metric.value}
    for i, (_dimension, pairs) in enumerate(per_member):
        for j, (_member, value) in enumerate(pairs):
            sums[f"_s{i}_{j}"] = value
    inner = (
        metric.model.objects.filter(scope).filter(metric.filters)
        .annotate(_jo=F("operation__joint_operation_id"), _country=F("country_id"),
                  **{alias: expression for alias, (_d, expression) in zip(aliases, grouped, strict=True)})
    )
    per_row = {name: _per_row(value) for name, value in sums.items()}
    if all(expression is not None for expression in per_row.values()):
        # Each record's own values: PostgreSQL adds them up for every grouping set in one scan.
        inner = inner.annotate(**per_row).values("_jo", "_country", *aliases, *per_row)
    else:  # an aggregate that is not a plain sum: summed by every member first, then again
        inner = inner.values("_jo", "_country", *aliases).annotate(**sums)
    inner = inner.order_by()
    inner_sql, inner_params = inner.query.sql_with_params()
    params = []
    if aliases:
        dimension = ("CASE " + " ".join(f'WHEN GROUPING("{a}") = 0 THEN %s' for a in aliases)
                     + " ELSE '' END")
        member = ("CASE " + " ".join(f'WHEN GROUPING("{a}") = 0 THEN "{a}"' for a in aliases)
                  + " ELSE '' END")
        sets = ", ".join(['("_jo", "_country")',
                          *(f'("_jo", "_country", "{a}")' for a in aliases)])
        group_by = f"GROUPING SETS ({sets})"
    else:
        dimension, member, group_by = "''", "''", '"_jo", "_country"'
    selects = [f'SELECT "_jo", "_country", %s, {dimension}, {member}, COALESCE(SUM("_v"), 0)'
               f" FROM {t} GROUP BY {group_by}"]
    params += [metric.key, *(d.key for d, _e in grouped)]
    for i, (dimension_, pairs) in enumerate(per_member):
        values = ", ".join(f'(%s, "_s{i}_{j}")' for j in range(len(pairs)))
        selects.append(
            f'SELECT "_jo", "_country", %s, %s, m.member, COALESCE(SUM(m.value), 0)'
            f" FROM {t} CROSS JOIN LATERAL (VALUES {values}) AS m (member, value)"
            f' GROUP BY "_jo", "_country", m.member')
        params += [metric.key, dimension_.key, *(member for member, _v in pairs)]
    return f"{t} AS ({inner_sql})", list(inner_params), selects, params


# Stand-ins for a scope's ids: the run's INSERT is compiled once per kind of scope and run
# with the real ids. Building and compiling the ~40 querysets of a run took the ORM as long as
# PostgreSQL took to run them for one country (docs/benchmarks.md).
_JOINT_OPERATION, _COUNTRY = -1_000_001, -1_000_002


@functools.cache
def _insert_statement(by_joint_operation: bool, by_country: bool) -> tuple:
    scope = _scope_filter(_JOINT_OPERATION if by_joint_operation else None,
                          _COUNTRY if by_country else None)
    return metrics_insert(METRICS, scope)


def _insert(joint_operation_id: int | None, country_id: int | None) -> int:
    sql, params = _insert_statement(joint_operation_id is not None, country_id is not None)
    ids = {_JOINT_OPERATION: joint_operation_id, _COUNTRY: country_id}
    with connection.cursor() as cursor:
        cursor.execute(sql, [ids.get(p, p) if type(p) is int else p for p in params])
        return cursor.rowcount


def activity_rows(scope: Q) -> list[CountryActivity]:
    """Records per (joint operation, country, week the results happened in) of every record
    type, and when the last was entered: one query (a UNION ALL over the record types), added
    up here (a few rows per country and week)."""
    parts = [
        kind.model.objects.filter(scope).order_by()
        .values(_jo=F("operation__joint_operation_id"), _country=F("country_id"),
                _week=Cast(TruncWeek("occurred_on"), DateField()))
        .annotate(_records=Count("id"), _last=Max("created_at"))
        .values_list("_jo", "_country", "_week", "_records", "_last")
        for kind in KINDS
    ]
    added: dict[tuple, list] = {}
    for jo, country, week, records, last in parts[0].union(*parts[1:], all=True):
        row = added.setdefault((jo, country, week), [0, last])
        row[0] += records
        row[1] = max(row[1], last)
    return [CountryActivity(joint_operation_id=jo, country_id=country, week=week,
                            records=records, last_entry_at=last)
            for (jo, country, week), (records, last) in added.items()]


def _scope_filter(joint_operation_id: int | None, country_id: int | None) -> Q:
    scope = Q()
    if joint_operation_id is not None:
        scope &= Q(operation__joint_operation_id=joint_operation_id)
    if country_id is not None:
        scope &= Q(country_id=country_id)
    if joint_operation_id is not None and country_id is not None:
        # Always true (a record's country is its operation's), but it lets PostgreSQL find the
        # one operation first and read only its records, not the country's of every period.
        scope &= Q(operation__country_id=country_id)
    return scope


def _scope_name(joint_operation_id, country_id) -> str:
    if joint_operation_id is None:
        return "all"
    return f"{joint_operation_id}/{country_id}" if country_id is not None else f"{joint_operation_id}/all"


def rollup(*, joint_operation_id: int | None = None, country_id: int | None = None) -> RollupRun:
    """Replace the totals of one country of one joint operation (or of a wider scope)."""
    run = RollupRun.objects.create(
        joint_operation_id=joint_operation_id, country_id=country_id,
        scope=_scope_name(joint_operation_id, country_id),
    )
    started = time.monotonic()
    try:
        # Every country's records, whoever's request (eager mode) or worker runs it.
        with transaction.atomic(), rls.all_records():
            with connection.cursor() as cursor:
                # Runs of overlapping scopes queue behind each other instead of interleaving.
                cursor.execute("SELECT pg_advisory_xact_lock(hashtext('jpoa-rollup'))")
            for model in (CountryTotal, CountryActivity):
                stale = model.objects.all()
                if joint_operation_id is not None:
                    stale = stale.filter(joint_operation_id=joint_operation_id)
                if country_id is not None:
                    stale = stale.filter(country_id=country_id)
                stale._raw_delete(stale.db)
            rows = _insert(joint_operation_id, country_id)
            CountryActivity.objects.bulk_create(
                activity_rows(_scope_filter(joint_operation_id, country_id)))
            if country_id is None:  # a whole joint operation (or all): its flags follow
                outliers.refresh(joint_operation_id)
            # Marked succeeded in the same transaction (one commit): never "succeeded" without
            # its totals, nor totals without the run that wrote them.
            run.outcome, run.rows = RollupRun.Outcome.SUCCEEDED, rows
            run.finished_at = timezone.now()
            run.duration_ms = int((time.monotonic() - started) * 1000)
            run.save(update_fields=["outcome", "rows", "finished_at", "duration_ms"])
    except Exception as error:
        RollupRun.objects.filter(pk=run.pk).update(
            outcome=RollupRun.Outcome.FAILED, finished_at=timezone.now(),
            duration_ms=int((time.monotonic() - started) * 1000), error=repr(error)[:4000],
        )
        logger.exception("roll-up %s failed", run.scope)
        raise
    bump_dashboard_version()  # cached dashboards are out of date
    return run


def refresh_outlier_flags(joint_operation_id: int) -> None:
    """The joint operation's outlier flags brought up to date with its totals (and those of
    the operations after it, whose history it is): after a country's roll-up, as its own step
    (``tasks.rollup_country``), since the flags compare the whole region's figures. Queued
    behind the roll-ups like one of them."""
    with transaction.atomic(), rls.all_records():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(hashtext('jpoa-rollup'))")
        outliers.refresh(joint_operation_id)


def differences(*, joint_operation_id: int | None = None) -> list[str]:
    """Where CountryTotal and a fresh aggregate of the records disagree (empty when none)."""
    scope = _scope_filter(joint_operation_id, None)
    expected = {}
    with rls.all_records():  # every country's records (row-level security)
        for metric in METRICS:
            for *key, value in metric_rows(metric, scope):
                expected[tuple(key)] = value
    stored_rows = CountryTotal.objects.all()
    if joint_operation_id is not None:
        stored_rows = stored_rows.filter(joint_operation_id=joint_operation_id)
    stored = {tuple(key): value for *key, value in stored_rows.values_list(*COLUMNS)}
    problems = []
    for key in sorted(expected.keys() | stored.keys(), key=str):
        if expected.get(key, 0) != stored.get(key, 0):
            problems.append(f"{key}: records say {expected.get(key, 0)}, "
                            f"CountryTotal says {stored.get(key, 0)}")
    return problems


def verify(*, joint_operation_id: int | None = None) -> list[str]:
    """Compare, and log every difference loudly (an error per difference)."""
    problems = differences(joint_operation_id=joint_operation_id)
    for problem in problems:
        logger.error("roll-up verification: %s", problem)
    if not problems:
        logger.info("roll-up verification: totals match the records")
    return problems


def live_headline_figures(*, joint_operation_id: int) -> dict[str, int]:
    """The headline figures of a joint operation added up from the records now, bypassing
    CountryTotal (one aggregate per metric, every country: past row-level security).

    Not for pages: every figure a user sees comes from the roll-up (``reporting/totals.py``).
    This is the raw aggregate beside it, like ``differences``, for the ``regional_totals``
    task (a Celery smoke check) and for checking the demo against the statement.
    """
    scope = Q(operation__joint_operation_id=joint_operation_id)
    with rls.all_records():
        return {metric.key: metric.aggregate(metric.model.objects.filter(scope))
                for metric in HEADLINE_METRICS}
