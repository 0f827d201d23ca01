"""The one read model of figures: what the roll-up (``CountryTotal``) says a joint operation's
countries add up to, with their return states and how fresh the roll-up is.

The dashboard, the debrief exports, the totals API, the home page and the return pages all
read figures through ``joint_operation_totals``; none adds records up. A read is one query for
the joint operation's state (countries, roll-up runs, pending roll-ups, return states) and,
when figures are asked for, one query for its ``CountryTotal`` rows (pages take them from the
cache, under a key holding a version every roll-up bumps and the time of the latest run).

Aggregates cross borders, breakdowns of one country do not: every figure of the model is open
to whoever may open the page, except one country's rows of a dimension (by sector, by
agency...), which a reader with an access view gets only for the countries they may break
down (``breakdown``); the regional breakdown (every country summed) is open to all.
"""
from __future__ import annotations

import datetime as dt
import functools
import time
from dataclasses import dataclass

from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.utils.translation import gettext as _

from countries import access
from countries.models import Country
from operations.models import CountryReturn, JointOperation, Operation

from .metrics import HEADLINE_METRICS, WEEK, Dimension, Metric
from .models import CountryTotal, PendingRollup, RollupRun

Key = tuple[int, str, str, str]  # (country id, metric, dimension, member)
Rows = dict[Key, int]

VERSION_KEY = "dashboard:version"
CACHE_SECONDS = 15 * 60


# ---------------------------------------------------------------------------------------------
# The cache's version, bumped by every successful roll-up
# ---------------------------------------------------------------------------------------------


def dashboard_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        # Start from the clock, not 1: entries of an evicted earlier version are never reused.
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY, 0)
    return version


def bump_dashboard_version() -> None:
    """Called by the roll-up after a successful run: every cached total and page is stale."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet (or evicted): any new value will do
        cache.set(VERSION_KEY, time.time_ns(), timeout=None)


# ---------------------------------------------------------------------------------------------
# The joint operation's state: countries, roll-up freshness, return states (one query)
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RollupState:
    """How fresh a joint operation's totals are."""

    last_updated: dt.datetime | None  # the latest successful run covering it; None: never
    pending_country_ids: frozenset[int]  # records changed, totals not yet redone
    failed_country_ids: frozenset[int]  # the latest run for the country failed
    failed_everything: bool  # the latest run of the whole joint operation (or of all) failed

    @property
    def is_stale(self) -> bool:
        return (self.last_updated is None or bool(self.pending_country_ids)
                or bool(self.failed_country_ids) or self.failed_everything)


def _rollup_state(latest_runs, pending_country_ids) -> RollupState:
    """The state from the latest finished run of each scope, (joint operation id or None,
    country id or None, outcome, finished at), and the countries with a roll-up pending.

    A failed run no longer counts once a later successful run covers its scope (the same
    country again, the whole joint operation, or the nightly rebuild of everything).
    """
    succeeded = [(jo, c, at) for jo, c, outcome, at in latest_runs
                 if outcome == RollupRun.Outcome.SUCCEEDED]

    def repaired(failed_jo, failed_country, failed_at) -> bool:
        return any(
            at > failed_at and (jo is None or (jo == failed_jo and c in (None, failed_country)))
            for jo, c, at in succeeded
        )

    failed = [(jo, c) for jo, c, outcome, at in latest_runs
              if outcome == RollupRun.Outcome.FAILED and not repaired(jo, c, at)]
    return RollupState(
        last_updated=max((at for *_, at in succeeded), default=None),
        pending_country_ids=frozenset(pending_country_ids),
        failed_country_ids=frozenset(c for _, c in failed if c is not None),
        failed_everything=any(c is None for _, c in failed),
    )


@dataclass(frozen=True)
class JointOperationState:
    """What every reader of figures reads about a joint operation before its totals: who
    takes part, how fresh the totals are, where each return stands."""

    countries: list[Country]  # with an operation in it, by name
    rollup: RollupState
    return_states: dict[int, str]  # country id -> state; a country without a return is open
    returns_digest: str = ""  # changes with any return's state or submission time


_COUNTRY_FIELDS = [f.attname for f in Country._meta.concrete_fields]


def _state_sql() -> str:
    run, pending = RollupRun._meta.db_table, PendingRollup._meta.db_table
    country, operation = Country._meta.db_table, Operation._meta.db_table
    columns = ", ".join(f'c."{name}"' for name in _COUNTRY_FIELDS)
    # One SELECT (no CTE): pghistory leaves statements that start with SELECT alone.
    return f"""
        SELECT countries.rows, runs.jo_ids, runs.country_ids, runs.outcomes, runs.finished,
               pending.ids, returns.states, returns.digest
          FROM (SELECT json_agg(json_build_array({columns}) ORDER BY c.name, o.id) AS rows
                  FROM {operation} o JOIN {country} c ON c.id = o.country_id
                 WHERE o.joint_operation_id = %(jo)s) countries,
               (SELECT array_agg(joint_operation_id) AS jo_ids, array_agg(country_id)
                       AS country_ids, array_agg(outcome) AS outcomes,
                       array_agg(finished_at) AS finished
                  FROM (  -- the latest finished run of each scope covering the joint operation
                        SELECT DISTINCT ON (joint_operation_id, country_id)
                               joint_operation_id, country_id, outcome, finished_at
                          FROM {run}
                         WHERE (joint_operation_id = %(jo)s OR joint_operation_id IS NULL)
                           AND finished_at IS NOT NULL AND outcome <> %(running)s
                         ORDER BY joint_operation_id, country_id, finished_at DESC) latest
               ) runs,
               (SELECT array_agg(country_id) AS ids FROM {pending}
                 WHERE joint_operation_id = %(jo)s) pending,
               (SELECT json_object_agg(country_id, state) AS states,
                       -- what the completeness report shows of the returns, for its cache key
                       md5(string_agg(country_id || ':' || state || ':'
                                      || coalesce(submitted_at::text, ''), ','
                                      ORDER BY country_id)) AS digest
                  FROM {CountryReturn._meta.db_table}
                 WHERE joint_operation_id = %(jo)s) returns
    """


def joint_operation_state(*, joint_operation: JointOperation) -> JointOperationState:
    """The joint operation's countries, roll-up state and return states in one query.

    The dashboard reads this on every request, so it is one round trip with no model
    machinery but the countries' (a few objects), whatever the number of runs and records.
    """
    with connection.cursor() as cursor:
        cursor.execute(_state_sql(), {"jo": joint_operation.pk,
                                      "running": RollupRun.Outcome.RUNNING})
        rows, jo_ids, country_ids, outcomes, finished, pending, states, digest = cursor.fetchone()
    db = connection.alias
    return JointOperationState(
        countries=[Country.from_db(db, _COUNTRY_FIELDS, values) for values in rows or ()],
        rollup=_rollup_state(list(zip(jo_ids or (), country_ids or (), outcomes or (),
                                      finished or (), strict=True)), pending or ()),
        return_states={int(pk): state for pk, state in (states or {}).items()},
        returns_digest=digest or "",
    )


# ---------------------------------------------------------------------------------------------
# The totals
# ---------------------------------------------------------------------------------------------


def country_total_rows(*, joint_operation_id: int) -> Rows:
    """Every (country id, metric, dimension, member) -> value of a joint operation: one query."""
    return {
        (country_id, metric, dimension, member): value
        for country_id, metric, dimension, member, value in
        CountryTotal.objects.filter(joint_operation_id=joint_operation_id)
        .order_by().values_list("country_id", "metric", "dimension", "member", "value")
    }


def cached_total_rows(*, joint_operation_id: int, last_updated: dt.datetime | None) -> Rows:
    """``country_total_rows`` from the cache, or in one query.

    The key also holds the time of the latest successful run, so totals cached between a bump
    and the run's commit, or by a process whose cache did not see the bump (a per-process
    cache), are never served after that run.
    """
    stamp = int(last_updated.timestamp() * 1_000_000) if last_updated else 0
    key = f"dashboard:{dashboard_version()}:totals:{joint_operation_id}:{stamp}"
    rows = cache.get(key)
    if rows is None:
        rows = country_total_rows(joint_operation_id=joint_operation_id)
        cache.set(key, rows, CACHE_SECONDS)
    return rows


@dataclass(frozen=True)
class Figure:
    metric: Metric
    value: int


def _key(metric: Metric | str) -> str:
    return metric if isinstance(metric, str) else metric.key


class JointOperationTotals:
    """A joint operation's figures as the roll-up stored them, for one reader.

    ``rows`` is read on first use, so a page that only needs the state (the dashboard on a
    cached body) costs one query.
    """

    def __init__(self, joint_operation: JointOperation, state: JointOperationState, *,
                 user=None, cached: bool):
        self.joint_operation = joint_operation
        self.countries = state.countries
        self._country_ids = frozenset(c.pk for c in state.countries)
        self.user = user  # the reader; None: no user (exports, tasks, commands)
        # What the reader may open about each country, worked out once.
        self.view = (access.countries_view(user, self._country_ids)
                     if user is not None else None)
        self.rollup = state.rollup
        self.return_states = state.return_states
        self.returns_digest = state.returns_digest
        self._cached = cached

    @functools.cached_property
    def rows(self) -> Rows:
        if self._cached:
            return cached_total_rows(joint_operation_id=self.joint_operation.pk,
                                     last_updated=self.rollup.last_updated)
        return country_total_rows(joint_operation_id=self.joint_operation.pk)

    # -- the state ---------------------------------------------------------------------------

    @property
    def last_updated(self) -> dt.datetime | None:
        return self.rollup.last_updated

    def is_pending(self, country_id: int) -> bool:
        """The country's records changed and its totals are being redone."""
        return country_id in self.rollup.pending_country_ids

    def return_state(self, country_id: int) -> str:
        return self.return_states.get(country_id, CountryReturn.State.OPEN)

    @functools.cached_property
    def accepted_ids(self) -> frozenset[int]:
        """Countries of the joint operation whose return the secretariat accepted."""
        return frozenset(c.pk for c in self.countries
                         if self.return_states.get(c.pk) == CountryReturn.State.ACCEPTED)

    # -- figures -----------------------------------------------------------------------------

    def value(self, country_id: int, metric: Metric | str, dimension: str = "",
              member: str = "") -> int:
        """One stored figure (the metric's total when no dimension is given), 0 when none."""
        return self.rows.get((country_id, _key(metric), dimension, member), 0)

    def total(self, metric: Metric | str, country_ids, dimension: str = "",
              member: str = "") -> int:
        """The figure summed over ``country_ids``."""
        return sum(self.value(c, metric, dimension, member) for c in country_ids)

    def regional(self, metric: Metric | str, *, accepted_only: bool = False) -> int:
        """The figure of every country (of accepted returns only)."""
        return self.total(metric, [c.pk for c in self.countries
                                   if not accepted_only or c.pk in self.accepted_ids])

    def figures(self, *, country_id: int | None = None,
                metrics: tuple[Metric, ...] = HEADLINE_METRICS) -> list[Figure]:
        """The headline figures of one country, or of the region (every country)."""
        ids = [country_id] if country_id is not None else [c.pk for c in self.countries]
        return [Figure(metric=metric, value=self.total(metric, ids)) for metric in metrics]

    # -- breakdowns --------------------------------------------------------------------------

    def may_break_down(self, country_id: int) -> bool:
        """The reader may see this one country's breakdowns (by sector, agency, week...)."""
        if self.view is None:
            return True
        if country_id in self._country_ids:
            return country_id in self.view.breakdown_ids
        # Not taking part (a return row without an operation): no rows, the same rule.
        return access.can_view_country_breakdown(self.user, country_id)

    def breakdown(self, metric: Metric | str, dimension: Dimension, *,
                  country_id: int | None = None) -> dict[str, int]:
        """Member -> value of the metric broken down by ``dimension``, for one country or
        the region (None). One country's is refused (PermissionDenied) to a reader who may
        not break that country down; the region's is open to all."""
        if country_id is not None and not self.may_break_down(country_id):
            raise PermissionDenied(_("You may break down only your own country's figures."))
        ids = {country_id} if country_id is not None else {c.pk for c in self.countries}
        found: dict[str, int] = {}
        for (c, m, d, member), value in self.rows.items():
            if d == dimension.key and m == _key(metric) and c in ids:
                found[member] = found.get(member, 0) + value
        return found

    def members(self, dimension: Dimension, country_ids, metric_keys) -> list[str]:
        """The dimension's fixed members, then any other member found in the totals."""
        return dimension_members(dimension, self.rows, country_ids, metric_keys)

    def weeks(self, country_ids) -> list[dt.date]:
        """The Monday of every week of the period, plus any other week the totals hold."""
        return period_weeks(self.joint_operation, self.rows, country_ids)


def dimension_members(dimension: Dimension, rows: Rows, country_ids, metric_keys) -> list[str]:
    """The dimension's fixed members, then any other member found in ``rows`` (with a value,
    for one of ``metric_keys`` and ``country_ids``)."""
    fixed = [member for member, _label in dimension.choices]
    found = sorted({member for (c, m, d, member), v in rows.items()
                    if d == dimension.key and m in metric_keys and c in country_ids and v}
                   - set(fixed))
    return fixed + found


def period_weeks(joint_operation: JointOperation, rows: Rows, country_ids) -> list[dt.date]:
    """The Monday of every week of the period, plus any other week ``rows`` hold."""
    monday = joint_operation.starts_on - dt.timedelta(days=joint_operation.starts_on.weekday())
    weeks = set()
    while monday <= joint_operation.ends_on:
        weeks.add(monday)
        monday += dt.timedelta(days=7)
    for (c, _m, d, member), v in rows.items():
        if d == WEEK.key and c in country_ids and v:
            try:
                weeks.add(dt.date.fromisoformat(member))
            except ValueError:
                continue
    return sorted(weeks)


def joint_operation_totals(joint_operation: JointOperation, *, user=None,
                           cached: bool = False) -> JointOperationTotals:
    """The figures of ``joint_operation`` for ``user`` (None: no reader's scope applies).

    Pages pass ``cached=True``; the API and the exports read the table each time.
    """
    return JointOperationTotals(joint_operation,
                                joint_operation_state(joint_operation=joint_operation),
                                user=user, cached=cached)
