"""The figures: each measured beside its limit or peer, on the same database, in one run.

Paired measurements are interleaved (A, B, A, B...) so that load from other processes on the
machine falls on both sides alike. Requests go through the Django test client: the whole
middleware stack, sessions, authentication, templates and DRF, without a network socket.
"""
from __future__ import annotations

import math
import re
import statistics
import threading
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import dataclass, field
from unittest import mock

import psutil
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.cache.backends.dummy import DummyCache
from django.db import connection, transaction
from django.db.models import Count, Q
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import NoReverseMatch, reverse

from operations import models as om
from operations import record_csv, selectors, services
from operations.records import KINDS
from reporting import dashboard as dashboards
from reporting import rollups
from reporting import totals as figures_read
from reporting.metrics import METRICS
from reporting.models import CountryTotal

from . import urls as bench_urls
from .generate import BenchData

MB = 1024 * 1024


@dataclass(frozen=True)
class Scale:
    """How many times each thing is measured."""

    requests: int  # dashboard, floor and API requests, each
    slow_requests: int  # dashboards aggregated on the fly
    rollup_runs: int  # full roll-ups, and hand-written ones
    edit_rollup_runs: int  # roll-ups of one country after an edit
    export_runs: int  # passes over every record type's export, and COPY


FULL = Scale(requests=300, slow_requests=10, rollup_runs=3, edit_rollup_runs=10, export_runs=2)
QUICK = Scale(requests=60, slow_requests=5, rollup_runs=3, edit_rollup_runs=5, export_runs=1)
TEST = Scale(requests=12, slow_requests=2, rollup_runs=1, edit_rollup_runs=2, export_runs=1)


@dataclass
class Check:
    """One ratio (or count) against its goal."""

    label: str
    value: float
    goal: str
    met: bool
    unit: str = "x"

    def shown(self) -> str:
        if self.unit == "x":
            return f"{self.value:.3g}x" if self.value >= 0.001 else f"{self.value:.2e}x"
        return f"{self.value:g} {self.unit}".strip()


@dataclass
class Figure:
    key: str
    label: str
    measured: str = ""  # absolute numbers of the figure itself
    beside: str = ""  # absolute numbers of its limit or peer
    checks: list[Check] = field(default_factory=list)
    numbers: dict = field(default_factory=dict)  # everything, for the JSON file
    available: bool = True
    note: str = ""

    @property
    def met(self) -> bool:
        return self.available and all(check.met for check in self.checks)


# ---------------------------------------------------------------------------------------------
# Timing helpers
# ---------------------------------------------------------------------------------------------


def seconds(action: Callable[[], object]) -> float:
    started = time.perf_counter()
    action()
    return time.perf_counter() - started


def interleaved(actions: dict[str, Callable[[], object]], *, rounds: int,
                warmup: int) -> dict[str, list[float]]:
    for _ in range(warmup):
        for action in actions.values():
            action()
    samples: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(rounds):
        for name, action in actions.items():
            samples[name].append(seconds(action))
    return samples


def median(samples: list[float]) -> float:
    return statistics.median(samples)


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def ms(value: float) -> str:
    """Seconds as "12.3 ms", or "2.15 s" from one second up."""
    return f"{value * 1000:.3g} ms" if value < 1 else f"{value:.2f} s"


duration = ms


def _user(username: str):
    return get_user_model().objects.get(username=username)


def _client(username: str) -> Client:
    """A logged-in client; for a role that needs a second factor, a session verified by a
    confirmed TOTP device, as after the verify step (its checks then run on every request)."""
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from countries import two_factor

    user = _user(username)
    client = Client()
    client.force_login(user)
    if two_factor.two_factor_required(user):
        device = TOTPDevice.objects.filter(user=user, confirmed=True).first() or (
            TOTPDevice.objects.create(user=user, name="benchmark", confirmed=True))
        session = client.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session[two_factor.CHECKED_AT_SESSION_KEY] = time.time()
        session.save()
    return client


def _get(client: Client, url: str, status: int = 200):
    response = client.get(url)
    if response.status_code != status:
        raise AssertionError(f"GET {url}: {response.status_code}, expected {status}")
    return response


def query_count(action: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as queries:
        action()
    return len(queries)


# ---------------------------------------------------------------------------------------------
# 1. The co-chairs' dashboard
# ---------------------------------------------------------------------------------------------


def totals_on_the_fly(*, joint_operation_id, last_updated) -> figures_read.Rows:
    """What ``totals.cached_total_rows`` returns, aggregated from the records on every call:
    the same registry, the same dimensions, no CountryTotal, no cache."""
    scope = Q(operation__joint_operation_id=joint_operation_id)
    return {
        (country_id, metric_key, dimension, member): value
        for metric in METRICS
        for _jo, country_id, metric_key, dimension, member, value in rollups.metric_rows(
            metric, scope)
    }


# The CSRF token is masked afresh on every page: left out when two pages are compared.
CSRF = re.compile(rb'(name="csrfmiddlewaretoken" value="|"X-CSRFToken": ")[^"]*"')


def _page(response) -> bytes:
    return CSRF.sub(rb"\1", response.content)


def dashboard_figure(data: BenchData, scale: Scale) -> Figure:
    client = _client(data.usernames["co_chair"])
    url = reverse("reporting:dashboard")
    with override_settings(ROOT_URLCONF="bench.urls"):
        actions = {"floor": lambda: _get(client, bench_urls.FLOOR_PATH),
                   "dashboard": lambda: _get(client, url)}
        samples = interleaved(actions, rounds=scale.requests, warmup=5)
        queries = {name: query_count(action) for name, action in actions.items()}
        cached_page = _page(_get(client, url))
        # On the fly: nothing cached, neither the totals nor the rendered body.
        with mock.patch.object(figures_read, "cached_total_rows", totals_on_the_fly), \
                mock.patch.object(dashboards, "cache", DummyCache("bench-on-the-fly", {})):
            on_the_fly_page = _page(_get(client, url))  # also the warm-up
            queries["on the fly"] = query_count(actions["dashboard"])
            samples["on the fly"] = [seconds(actions["dashboard"])
                                     for _ in range(scale.slow_requests)]
    floor, page, fly = (median(samples[k]) for k in ("floor", "dashboard", "on the fly"))
    page_p95, floor_p95 = p95(samples["dashboard"]), p95(samples["floor"])
    same_page = cached_page == on_the_fly_page
    return Figure(
        key="dashboard",
        label="co-chairs' dashboard (/dashboard/)",
        measured=(f"median {ms(page)}, p95 {ms(page_p95)} over {len(samples['dashboard'])} "
                  f"requests; {queries['dashboard']} queries"),
        beside=(f"floor (empty page behind the login): median {ms(floor)}, p95 "
                f"{ms(floor_p95)}, {queries['floor']} queries; on the fly from the records: "
                f"median {ms(fly)} over {len(samples['on the fly'])} requests, "
                f"{queries['on the fly']} queries"),
        checks=[
            Check("dashboard ÷ floor, median", page / floor, "<= 2x", page / floor <= 2),
            Check("dashboard ÷ floor, p95", page_p95 / floor_p95, "<= 2x",
                  page_p95 / floor_p95 <= 2),
            Check("on the fly ÷ dashboard, median", fly / page, ">= 20x", fly / page >= 20),
        ],
        numbers={"samples_s": samples, "queries": queries, "same_page_on_the_fly": same_page},
        note="" if same_page else "the page aggregated on the fly differs from the cached one",
    )


# ---------------------------------------------------------------------------------------------
# 2. The full roll-up, beside hand-written SQL
# ---------------------------------------------------------------------------------------------

WEEK_SQL = "to_char(date_trunc('week', r.occurred_on), 'YYYY-MM-DD')"
COUNT_SUM = "SUM(r.count)"
# The agency that entered the record: the return page's breakdown (not a published dimension).
AGENCY = ("agency", "r.agency_id::text", None)
SECTOR_WEEK = [("sector", "r.sector", None), ("week", WEEK_SQL, None), AGENCY]
# metric -> (table, value, [(dimension, member, value or None for the metric's)][, where]),
# written by hand.
HAND_WRITTEN = {
    "victims_assisted": ("operations_victimassistancerecord", COUNT_SUM, [
        ("sector", "r.sector", None), ("exploitation_type", "r.exploitation_type", None),
        ("sex", "r.sex", None), ("age_band", "r.age_band", None), ("week", WEEK_SQL, None),
        AGENCY]),
    "search_warrants": ("operations_searchwarrantrecord", COUNT_SUM, SECTOR_WEEK),
    "suspects_identified": ("operations_suspectrecord", COUNT_SUM, SECTOR_WEEK),
    "arrests": ("operations_arrestrecord", COUNT_SUM, SECTOR_WEEK),
    "investigations": ("operations_investigationrecord", COUNT_SUM, SECTOR_WEEK),
    "enquiries": ("operations_enquiryrecord", COUNT_SUM,
                  [("channel", "r.channel", None), ("week", WEEK_SQL, None), AGENCY]),
    "awareness_activities": ("operations_awarenessactivityrecord", COUNT_SUM, SECTOR_WEEK),
    "training_sessions": ("operations_trainingsessionrecord", "COUNT(r.id)",
                          [("week", WEEK_SQL, None), AGENCY]),
    "officers_trained": (
        "operations_trainingsessionrecord",
        "SUM(r.police_trained + r.airport_trained + r.immigration_trained"
        " + r.compliance_trained)",
        [("officer_category", f"'{category}'", f"SUM(r.{category}_trained)")
         for category in ("police", "airport", "immigration", "compliance")]
        + [("week", WEEK_SQL, None), AGENCY]),
    "intelligence_reports": ("operations_intelligencereport", "COUNT(r.id)",
                             [("week", WEEK_SQL, None)]),
    "enquiries_answered": ("operations_enquiryrecord", "COUNT(r.id)",
                           [("channel", "r.channel", None)], "r.answered_on IS NOT NULL"),
    "enquiry_days_to_answer": ("operations_enquiryrecord", "SUM(r.answered_on - r.occurred_on)",
                               [("channel", "r.channel", None)], "r.answered_on IS NOT NULL"),
}


def hand_written_sql(metric_key: str) -> str:
    table, value, dimensions, *where = HAND_WRITTEN[metric_key]
    source = (f" FROM {table} r JOIN operations_operation o ON o.id = r.operation_id"
              + (f" WHERE {where[0]}" if where else ""))
    parts = [f"SELECT o.joint_operation_id, r.country_id, '{metric_key}', '', '',"
             f" COALESCE({value}, 0){source} GROUP BY o.joint_operation_id, r.country_id"]
    for dimension, member, member_value in dimensions:
        group_member = "" if member.startswith("'") else f", {member}"
        parts.append(
            f"SELECT o.joint_operation_id, r.country_id, '{metric_key}', '{dimension}',"
            f" {member}, COALESCE({member_value or value}, 0){source}"
            f" GROUP BY o.joint_operation_id, r.country_id{group_member}")
    return ("INSERT INTO reporting_countrytotal"
            " (joint_operation_id, country_id, metric, dimension, member, value) "
            + " UNION ALL ".join(parts))


def hand_written_activity_sql() -> str:
    """The completeness report's rows (records per country and week, the last entry), by hand:
    what the roll-up writes beside the totals (``rollups.activity_rows``)."""
    records = " UNION ALL ".join(
        f"SELECT operation_id, country_id, occurred_on, created_at FROM {kind.model._meta.db_table}"
        for kind in KINDS)
    return ("INSERT INTO reporting_countryactivity"
            " (joint_operation_id, country_id, week, records, last_entry_at)"
            " SELECT o.joint_operation_id, r.country_id, date_trunc('week', r.occurred_on)::date,"
            " COUNT(*), MAX(r.created_at)"
            f" FROM ({records}) r JOIN operations_operation o ON o.id = r.operation_id"
            " GROUP BY 1, 2, 3")


def hand_written_rollup() -> None:
    """Every joint operation's totals, by hand: one INSERT ... SELECT ... GROUP BY per metric,
    and the activity the roll-up writes beside them."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM reporting_countrytotal")
        cursor.execute("DELETE FROM reporting_countryactivity")
        for metric in METRICS:
            cursor.execute(hand_written_sql(metric.key))
        cursor.execute(hand_written_activity_sql())


def _totals() -> set[tuple]:
    return set(CountryTotal.objects.values_list(*rollups.COLUMNS))


def rollup_figure(data: BenchData, scale: Scale) -> tuple[Figure, float]:
    missing = [m.key for m in METRICS if m.key not in HAND_WRITTEN]
    if missing:
        raise AssertionError(f"bench.figures.HAND_WRITTEN has no SQL for {missing}")
    orm, hand = [], []
    hand_rows: set[tuple] = set()
    for _ in range(scale.rollup_runs):
        orm.append(seconds(rollups.rollup))
        with transaction.atomic():
            hand.append(seconds(hand_written_rollup))
            hand_rows = _totals()
            transaction.set_rollback(True)  # the portal's own totals stay
    orm_rows = _totals()
    full, peer = median(orm), median(hand)
    differing = len(orm_rows ^ hand_rows)
    figure = Figure(
        key="rollup",
        label="full roll-up of all joint operations",
        measured=(f"median {duration(full)} over {len(orm)} runs "
                  f"({len(orm_rows):,} CountryTotal rows)"),
        beside=f"hand-written INSERT ... SELECT ... GROUP BY: median {duration(peer)}",
        checks=[Check("roll-up ÷ hand-written", full / peer, "<= 1.5x", full / peer <= 1.5),
                Check("rows differing from the hand-written totals", differing, "0",
                      differing == 0, unit="rows")],
        numbers={"rollup_s": orm, "hand_written_s": hand, "rows": len(orm_rows),
                 "differing_rows": differing},
    )
    return figure, full


# ---------------------------------------------------------------------------------------------
# 3. The roll-up after one record edit
# ---------------------------------------------------------------------------------------------


def edit_rollup_figure(data: BenchData, scale: Scale, full_rollup: float) -> tuple[Figure, list]:
    officer = _user(data.usernames["officer"])
    agency_ids = list(officer.memberships.values_list("agency_id", flat=True))
    record = (om.ArrestRecord.objects
              .filter(operation__joint_operation_id=data.latest_joint_operation_id,
                      agency_id__in=agency_ids)
              .order_by("pk").first())
    started = time.perf_counter()
    services.record_update(actor=officer, record=record, data={"count": record.count + 1},
                           version=record.version)
    edit = time.perf_counter() - started  # with the roll-up it queues (in-process here)
    joint_operation_id, country_id = data.latest_joint_operation_id, record.country_id
    runs = [seconds(lambda: rollups.rollup(joint_operation_id=joint_operation_id,
                                           country_id=country_id))
            for _ in range(scale.edit_rollup_runs)]
    # The edited country is the largest (the worst case); every country once, for the typical.
    every_country = [seconds(lambda c=c: rollups.rollup(joint_operation_id=joint_operation_id,
                                                        country_id=c))
                     for c in data.country_ids]
    # The step the roll-up task takes after it: the region's outlier flags (not the totals).
    flags = [seconds(lambda: rollups.refresh_outlier_flags(joint_operation_id))
             for _ in range(scale.edit_rollup_runs)]
    share = (om.ArrestRecord.objects.filter(operation__joint_operation_id=joint_operation_id,
                                            country_id=country_id).count()
             / max(1, om.ArrestRecord.objects.count()))
    verify_started = time.perf_counter()
    differences = rollups.differences()
    verify = time.perf_counter() - verify_started
    one = median(runs)
    return Figure(
        key="edit_rollup",
        label="roll-up after one record edit",
        measured=(f"median {duration(one)} over {len(runs)} runs for the edited record's "
                  f"country, the largest ({share:.1%} of the records); any country, each "
                  f"run once (its pages not yet cached): median "
                  f"{duration(median(every_country))} over {len(every_country)}; the "
                  f"outlier flags' refresh the task runs after it: median "
                  f"{duration(median(flags))}; the edit "
                  f"itself (with the roll-up it queues) took {duration(edit)}"),
        beside=f"full roll-up: median {duration(full_rollup)}",
        checks=[Check("one country ÷ full roll-up", one / full_rollup, "<= 1/100 (0.01x)",
                      one / full_rollup <= 0.01),
                Check("differences() after the edit", len(differences), "0",
                      not differences, unit="differences")],
        numbers={"country_rollup_s": runs, "every_country_rollup_s": every_country,
                 "outlier_flags_s": flags,
                 "edited_country_share": share, "edit_s": edit, "verify_s": verify,
                 "differences": differences[:20]},
    ), differences


# ---------------------------------------------------------------------------------------------
# 3b. The record create path with the plausibility checks, beside the same path without them
# ---------------------------------------------------------------------------------------------


def create_figure(data: BenchData, scale: Scale) -> Figure:
    """``services.record_create`` (what the page, the import and the API call) of an arrest,
    with the plausibility checks (``operations.plausibility``: hard limits in clean_fields,
    the soft bound in clean) and with them switched off, interleaved; each create in a
    transaction rolled back, so the data stay as generated. Two kinds of record: a typical one
    (2 arrests) and one above the soft bound with its reason (120 arrests)."""

    from operations import plausibility

    officer = _user(data.usernames["officer"])
    agency = officer.memberships.select_related("agency").first().agency
    joint_operation = om.JointOperation.objects.get(pk=data.latest_joint_operation_id)
    occurred_on = joint_operation.starts_on

    def create(count: int, reason: str = ""):
        def action():
            with transaction.atomic():
                services.record_create(actor=officer, model=om.ArrestRecord,
                                       joint_operation=joint_operation,
                                       data={"agency": agency, "occurred_on": occurred_on,
                                             "count": count, "crime_type": "trafficking",
                                             "unusual_reason": reason})
                transaction.set_rollback(True)
        return action

    def unchecked(action):
        def without():
            with mock.patch.object(plausibility, "hard_errors", lambda record: {}), \
                    mock.patch.object(plausibility, "soft_errors", lambda record: {}):
                action()
        return without

    typical, large = create(2), create(120, "One raid on a fishing fleet.")
    samples = interleaved({"checked": typical, "unchecked": unchecked(typical),
                           "large_checked": large, "large_unchecked": unchecked(large)},
                          rounds=scale.requests, warmup=5)
    checked, bare = median(samples["checked"]), median(samples["unchecked"])
    large_checked, large_bare = median(samples["large_checked"]), median(samples["large_unchecked"])
    queries = query_count(typical), query_count(unchecked(typical))
    return Figure(
        key="create",
        label="record create path with the plausibility checks",
        measured=(f"typical record (2 arrests): median {ms(checked)}, {queries[0]} queries; "
                  f"above the soft bound with its reason (120): median {ms(large_checked)}; "
                  f"{len(samples['checked'])} creates each, rolled back"),
        beside=(f"the same creates with the checks switched off: median {ms(bare)}, "
                f"{queries[1]} queries; above the bound {ms(large_bare)}"),
        checks=[Check("with checks ÷ without, typical", checked / bare, "<= 1.2x",
                      checked / bare <= 1.2),
                Check("with checks ÷ without, above the bound", large_checked / large_bare,
                      "<= 1.2x", large_checked / large_bare <= 1.2)],
        numbers={"checked_s": samples["checked"], "unchecked_s": samples["unchecked"],
                 "large_checked_s": samples["large_checked"],
                 "large_unchecked_s": samples["large_unchecked"], "queries": queries},
    )


# ---------------------------------------------------------------------------------------------
# 4. The officer's scoped list API page
# ---------------------------------------------------------------------------------------------


def api_figure(data: BenchData, scale: Scale) -> Figure:
    label = "officer's scoped list API page (/api/v1/records/arrests/)"
    try:
        url = reverse("api:arrests-list")
    except NoReverseMatch:
        return Figure(key="api", label=label, available=False,
                      note="not available (API not built)")
    officer, superuser = (_client(data.usernames[r]) for r in ("officer", "administrator"))
    # The throttles still run (the same cache reads and writes); only their limits are lifted.
    rates = dict.fromkeys(settings.REST_FRAMEWORK.get("DEFAULT_THROTTLE_RATES", {}),
                          "1000000000/hour")
    with override_settings(REST_FRAMEWORK={**settings.REST_FRAMEWORK,
                                           "DEFAULT_THROTTLE_RATES": rates}):
        actions = {"officer": lambda: _get(officer, url), "superuser": lambda: _get(superuser, url)}
        samples = interleaved(actions, rounds=scale.requests, warmup=5)
        queries = {name: query_count(action) for name, action in actions.items()}
        counts = {name: action().json().get("count") for name, action in actions.items()}
    scoped, unscoped = median(samples["officer"]), median(samples["superuser"])
    return Figure(
        key="api",
        label=label,
        measured=(f"officer: median {ms(scoped)}, p95 {ms(p95(samples['officer']))}, "
                  f"{queries['officer']} queries, page 1 of {counts['officer']:,} records"),
        beside=(f"superuser (unscoped): median {ms(unscoped)}, p95 "
                f"{ms(p95(samples['superuser']))}, {queries['superuser']} queries, "
                f"page 1 of {counts['superuser']:,} records"),
        checks=[Check("officer ÷ superuser, median", scoped / unscoped, "<= 1.5x",
                      scoped / unscoped <= 1.5),
                Check("query count, officer − superuser",
                      queries["officer"] - queries["superuser"], "same (0)",
                      queries["officer"] == queries["superuser"], unit="queries")],
        numbers={"samples_s": samples, "queries": queries, "counts": counts},
    )


# ---------------------------------------------------------------------------------------------
# 5. The CSV export, beside COPY
# ---------------------------------------------------------------------------------------------


class _Sink:
    """A file that counts what is written to it and keeps nothing."""

    def __init__(self):
        self.bytes = 0

    def write(self, data) -> int:
        self.bytes += len(data)
        return len(data)


def _export(client: Client, slug: str, query: dict | None = None) -> int:
    response = client.get(reverse("operations:record_export_csv", args=[slug]), query or {})
    if response.status_code != 200:
        raise AssertionError(f"export of {slug}: {response.status_code}")
    return sum(len(chunk) for chunk in response.streaming_content)


def _copy(user, kind) -> int:
    """The same rows as the export of ``kind`` (the same query), by PostgreSQL's COPY."""
    rows = record_csv.export_rows(kind, selectors.record_list(user=user, kind=kind))
    sql, params = rows.query.sql_with_params()
    sink = _Sink()
    with connection.cursor() as cursor:
        select = cursor.mogrify(sql, params).decode()
        cursor.copy_expert(f"COPY ({select}) TO STDOUT WITH (FORMAT csv, HEADER)", sink)
    return sink.bytes


class _PeakRss:
    """The process's largest resident size while the block runs (sampled every 5 ms)."""

    def __enter__(self):
        self.process = psutil.Process()
        self.start = self.peak = self.process.memory_info().rss
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self):
        while not self._stop.wait(0.005):
            self.peak = max(self.peak, self.process.memory_info().rss)

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, self.process.memory_info().rss)

    @property
    def growth(self) -> int:
        return self.peak - self.start


def _peak_python(action: Callable[[], object]) -> int:
    """The largest Python heap the action used beyond what was allocated before it."""
    tracemalloc.reset_peak()
    before = tracemalloc.get_traced_memory()[0]
    action()
    return tracemalloc.get_traced_memory()[1] - before


def _small_export(data: BenchData, admin) -> tuple[str, dict, int]:
    """A filter of the largest record type that gives about 10,000 rows (fewer at small scale)."""
    kind = max(KINDS, key=lambda k: data.records.get(k.model.__name__, 0))
    per_country = dict(kind.model.objects.order_by().values_list("country__code")
                       .annotate(rows=Count("id")))
    code = min(per_country, key=lambda c: abs(per_country[c] - 10_000))
    return kind.slug, {"country": code}, per_country[code]


def export_figure(data: BenchData, scale: Scale) -> Figure:
    admin_name = data.usernames["administrator"]
    client, admin = _client(admin_name), _user(admin_name)
    total_rows = data.total_records

    # Memory first, untimed: Python's heap (tracemalloc) and the resident size (libpq's
    # buffers are outside Python's heap: a client-side cursor would show there).
    slug, query, small_rows = _small_export(data, admin)
    tracemalloc.start()
    try:
        _export(client, slug, query)  # warm-up
        with _PeakRss() as small_rss:
            small_heap = _peak_python(lambda: _export(client, slug, query))
        with _PeakRss() as all_rss:
            all_heap = _peak_python(lambda: [_export(client, k.slug) for k in KINDS])
    finally:
        tracemalloc.stop()
    heap_growth = max(0, all_heap - small_heap)
    rss_growth = max(0, all_rss.growth - small_rss.growth)

    # Throughput: every record type's export, then the same rows by COPY, interleaved.
    export_s, copy_s, export_bytes, copy_bytes = [], [], 0, 0
    for _ in range(scale.export_runs):
        run_export = run_copy = 0.0
        export_bytes = copy_bytes = 0
        for kind in KINDS:
            started = time.perf_counter()
            export_bytes += _export(client, kind.slug)
            run_export += time.perf_counter() - started
            started = time.perf_counter()
            copy_bytes += _copy(admin, kind)
            run_copy += time.perf_counter() - started
        export_s.append(run_export)
        copy_s.append(run_copy)
    export_rate, copy_rate = total_rows / median(export_s), total_rows / median(copy_s)
    largest = max(data.records.values())
    return Figure(
        key="export",
        label=f"CSV export of {total_rows:,} records (every record type, streamed)",
        measured=(f"{median(export_s):.2f} s, {export_rate:,.0f} rows/s; peak memory: "
                  f"{small_heap / MB:.1f} MB Python heap for {small_rows:,} rows, "
                  f"{all_heap / MB:.1f} MB for all {total_rows:,} (largest type "
                  f"{largest:,} rows); resident size +{small_rss.growth / MB:.1f} MB and "
                  f"+{all_rss.growth / MB:.1f} MB"),
        beside=(f"COPY (...) TO STDOUT of the same rows: {median(copy_s):.2f} s, "
                f"{copy_rate:,.0f} rows/s"),
        checks=[Check("export ÷ COPY throughput", export_rate / copy_rate, ">= 0.5x",
                      export_rate / copy_rate >= 0.5),
                Check(f"peak memory growth, {small_rows:,} → {total_rows:,} rows",
                      round(max(heap_growth, rss_growth) / MB, 1), "<= 50 MB",
                      max(heap_growth, rss_growth) <= 50 * MB, unit="MB")],
        numbers={"export_s": export_s, "copy_s": copy_s, "export_bytes": export_bytes,
                 "copy_bytes": copy_bytes, "small_export": {"kind": slug, "query": query,
                                                            "rows": small_rows},
                 "python_heap_peak_bytes": {"small": small_heap, "all": all_heap},
                 "rss_growth_bytes": {"small": small_rss.growth, "all": all_rss.growth}},
    )


# ---------------------------------------------------------------------------------------------
# 6. Guardian rows
# ---------------------------------------------------------------------------------------------


def guardian_figure(data: BenchData) -> Figure:
    added = data.guardian_rows_added
    return Figure(
        key="guardian",
        label="guardian rows after generating the data",
        measured=(f"{added} added ({data.guardian_rows_after} in all, for "
                  f"{data.total_records:,} records)"
                  + (" — data reused from an earlier run" if data.reused else "")),
        beside="-",
        checks=[Check("guardian rows added", added, "0 added", added == 0, unit="rows")],
        numbers={"before": data.guardian_rows_before, "after": data.guardian_rows_after},
    )
