"""The roll-up against hand-written SQL: random data sets, idempotency, crashes, coalescing."""
from __future__ import annotations

import datetime as dt
import random
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse

from countries.models import Agency, Country
from operations import models as om
from operations.demo import demo_load
from reporting import rollups
from reporting.metrics import METRICS
from reporting.models import CountryTotal, PendingRollup, RollupRun

# ---------------------------------------------------------------------------------------------
# The expected totals, written by hand in SQL (independent of the registry's ORM expressions)
# ---------------------------------------------------------------------------------------------

JOIN = "JOIN operations_operation o ON o.id = r.operation_id"
WEEK = "to_char(date_trunc('week', r.occurred_on), 'YYYY-MM-DD')"
AGENCY = "r.agency_id::text"
OFFICERS = "r.police_trained + r.airport_trained + r.immigration_trained + r.compliance_trained"
HAND_WRITTEN = {
    # metric: (table, value, {dimension: member expression})
    "victims_assisted": ("operations_victimassistancerecord", "SUM(r.count)",
                         {"sector": "r.sector", "exploitation_type": "r.exploitation_type",
                          "sex": "r.sex", "age_band": "r.age_band", "week": WEEK,
                          "agency": AGENCY}),
    "search_warrants": ("operations_searchwarrantrecord", "SUM(r.count)",
                        {"sector": "r.sector", "week": WEEK, "agency": AGENCY}),
    "suspects_identified": ("operations_suspectrecord", "SUM(r.count)",
                            {"sector": "r.sector", "week": WEEK, "agency": AGENCY}),
    "arrests": ("operations_arrestrecord", "SUM(r.count)",
                {"sector": "r.sector", "week": WEEK, "agency": AGENCY}),
    "investigations": ("operations_investigationrecord", "SUM(r.count)",
                       {"sector": "r.sector", "week": WEEK, "agency": AGENCY}),
    "enquiries": ("operations_enquiryrecord", "SUM(r.count)",
                  {"channel": "r.channel", "week": WEEK, "agency": AGENCY}),
    "awareness_activities": ("operations_awarenessactivityrecord", "SUM(r.count)",
                             {"sector": "r.sector", "week": WEEK, "agency": AGENCY}),
    "training_sessions": ("operations_trainingsessionrecord", "COUNT(*)",
                          {"week": WEEK, "agency": AGENCY}),
    "officers_trained": ("operations_trainingsessionrecord", f"SUM({OFFICERS})",
                         {"week": WEEK, "agency": AGENCY}),
    "intelligence_reports": ("operations_intelligencereport", "COUNT(*)", {"week": WEEK}),
    "enquiries_answered": ("operations_enquiryrecord", "COUNT(*)", {"channel": "r.channel"},
                           "r.answered_on IS NOT NULL"),
    "enquiry_days_to_answer": ("operations_enquiryrecord", "SUM(r.answered_on - r.occurred_on)",
                               {"channel": "r.channel"}, "r.answered_on IS NOT NULL"),
}
OFFICER_COLUMNS = {"police": "police_trained", "airport": "airport_trained",
                   "immigration": "immigration_trained", "compliance": "compliance_trained"}


def raw_totals() -> dict[tuple, int]:
    expected = {}
    with connection.cursor() as cursor:
        def run(metric, dimension, member_sql, value_sql, table, where="TRUE"):
            cursor.execute(f"SELECT o.joint_operation_id, r.country_id, {member_sql}, {value_sql} "
                           f"FROM {table} r {JOIN} WHERE {where} GROUP BY 1, 2, 3")
            for jo, country, member, value in cursor.fetchall():
                expected[(jo, country, metric, dimension, member)] = value

        for metric, (table, value_sql, dimensions, *where) in HAND_WRITTEN.items():
            run(metric, "", "''", value_sql, table, *where)
            for dimension, member_sql in dimensions.items():
                run(metric, dimension, member_sql, value_sql, table, *where)
        for category, column in OFFICER_COLUMNS.items():
            run("officers_trained", "officer_category", f"'{category}'", f"SUM(r.{column})",
                "operations_trainingsessionrecord")
    return expected


def stored_totals() -> dict[tuple, int]:
    return {tuple(key): value for *key, value in CountryTotal.objects.values_list(
        "joint_operation_id", "country_id", "metric", "dimension", "member", "value")}


def assert_totals_match_raw_sql():
    expected, stored = raw_totals(), stored_totals()
    differing = {key: (expected.get(key, 0), stored.get(key, 0))
                 for key in expected.keys() | stored.keys()
                 if expected.get(key, 0) != stored.get(key, 0)}
    assert differing == {}
    assert expected, "the data set produced no totals at all"


def test_the_registry_declares_what_the_hand_written_sql_checks():
    assert {m.key for m in METRICS} == set(HAND_WRITTEN)


# ---------------------------------------------------------------------------------------------
# Random data sets
# ---------------------------------------------------------------------------------------------


def random_records(rng: random.Random, n: int) -> None:
    """``n`` records of random types, countries, agencies, dates and dimensions, straight in."""
    operations = list(om.Operation.objects.select_related("joint_operation"))
    agencies = {}
    for agency in Agency.objects.all():
        agencies.setdefault(agency.country_id, []).append(agency)
    countries = list(Country.objects.all())
    by_model = {}
    for _ in range(n):
        operation = rng.choice(operations)
        period = operation.joint_operation
        days = (period.ends_on - period.starts_on).days
        common = {
            "operation": operation, "country_id": operation.country_id,
            "agency": rng.choice(agencies[operation.country_id]),
            "occurred_on": period.starts_on + dt.timedelta(days=rng.randint(0, days)),
        }
        model = rng.choice(om.OUTCOME_MODELS)
        fields = record_fields(rng, model, operation, countries, common["occurred_on"])
        by_model.setdefault(model, []).append(model(**common, **fields))
    for model, records in by_model.items():
        model.objects.bulk_create(records)


def record_fields(rng, model, operation, countries, occurred_on) -> dict:
    sector = rng.choice(["", *om.Sector.values])
    return {
            om.ArrestRecord: lambda: {"count": rng.randint(1, 9), "crime_type": "trafficking",
                                      "sector": sector},
            om.SearchWarrantRecord: lambda: {"count": rng.randint(1, 3), "crime_type": "smuggling",
                                             "sector": sector},
            om.SuspectRecord: lambda: {"count": rng.randint(1, 5), "role": rng.choice(om.SuspectRole.values),
                                       "crime_type": "trafficking", "sector": sector},
            om.VictimAssistanceRecord: lambda: {
                "count": rng.randint(1, 6), "sex": rng.choice(om.Sex.values),
                "age_band": rng.choice(om.AgeBand.values), "nationality": rng.choice(["MMR", "KHM", "LAO"]),
                "exploitation_type": rng.choice(om.ExploitationType.values), "sector": sector},
            om.InvestigationRecord: lambda: {"count": 1, "crime_type": "smuggling", "sector": sector},
            om.EnquiryRecord: lambda: {
                "count": rng.randint(1, 4), "channel": rng.choice(om.EnquiryChannel.values),
                "crime_type": "trafficking",
                "counterpart": rng.choice([c for c in countries if c.pk != operation.country_id]),
                "answered_on": rng.choice([None, occurred_on + dt.timedelta(days=rng.randint(0, 20))])},
            om.AwarenessActivityRecord: lambda: {"count": rng.randint(1, 3),
                                                 "audience": rng.choice(om.Audience.values), "sector": sector},
            om.TrainingSessionRecord: lambda: {f: rng.randint(0, 30) for f in OFFICER_COLUMNS.values()},
            om.IntelligenceReport: lambda: {"title": "t", "crime_type": "trafficking", "modus_operandi": "m"},
        }[model]()


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5])
def test_totals_equal_a_raw_sql_aggregate_for_random_data(demo, seed):
    # given the demo plus a random data set
    random_records(random.Random(seed), 300)

    # when everything is rolled up
    run = rollups.rollup()

    # then every metric and dimension equals the hand-written SQL, and verify agrees
    assert run.outcome == RollupRun.Outcome.SUCCEEDED and run.rows == CountryTotal.objects.count()
    assert_totals_match_raw_sql()
    assert rollups.differences() == []


@pytest.mark.parametrize("seed", [6, 7])
def test_the_one_pass_insert_writes_exactly_the_rows_of_one_group_by_per_dimension(demo, seed):
    # given the demo plus a random data set
    random_records(random.Random(seed), 200)
    operation = om.Operation.objects.get(country__code="THA")

    # for every kind of scope and every metric, the statement the roll-up runs (one pass over
    # the records, GROUPING SETS) writes the very rows of the plain form (one GROUP BY per
    # dimension, UNION ALL), zeros included
    for joint_operation_id, country_id in ((None, None), (operation.joint_operation_id, None),
                                           (operation.joint_operation_id, operation.country_id)):
        scope = rollups._scope_filter(joint_operation_id, country_id)
        for metric in METRICS:
            expected = sorted(rollups.metric_rows(metric, scope))
            with transaction.atomic():
                CountryTotal.objects.all().delete()
                with connection.cursor() as cursor:
                    cursor.execute(*rollups.metric_insert(metric, scope))
                written = sorted(CountryTotal.objects.values_list(*rollups.COLUMNS))
                transaction.set_rollback(True)
            assert expected, metric.key
            assert written == expected, (metric.key, joint_operation_id, country_id)


def test_one_country_is_recomputed_alone(demo):
    rollups.rollup()
    thailand = Country.objects.get(code="THA")
    operation = om.Operation.objects.get(country=thailand)
    other_rows = CountryTotal.objects.exclude(country=thailand).values_list("pk", "value")
    before = set(other_rows)

    om.ArrestRecord.objects.create(operation=operation, country=thailand, agency=operation.lead_agency,
                                   occurred_on=dt.date(2015, 10, 1), count=4, crime_type="smuggling")
    rollups.rollup(joint_operation_id=operation.joint_operation_id, country_id=thailand.pk)

    assert set(other_rows) == before  # untouched rows, same ids
    assert_totals_match_raw_sql()


# ---------------------------------------------------------------------------------------------
# Idempotency and crashes
# ---------------------------------------------------------------------------------------------


def test_two_runs_in_a_row_give_identical_rows(demo):
    rollups.rollup()
    first = stored_totals()
    rollups.rollup()
    assert stored_totals() == first


def test_a_run_that_crashes_between_metrics_leaves_the_old_totals_and_a_rerun_is_correct(demo):
    # given correct totals, then new records
    rollups.rollup()
    before = stored_totals()
    random_records(random.Random(7), 100)

    # when a run dies after writing some metrics (the database refuses one metric half-way)
    with connection.cursor() as cursor:
        cursor.execute("""
            CREATE FUNCTION test_crash() RETURNS trigger AS $$
            BEGIN
                IF NEW.metric = 'officers_trained' THEN RAISE EXCEPTION 'simulated crash'; END IF;
                RETURN NEW;
            END $$ LANGUAGE plpgsql;
            CREATE TRIGGER test_crash BEFORE INSERT ON reporting_countrytotal
                FOR EACH ROW EXECUTE FUNCTION test_crash();
        """)
    with pytest.raises(Exception, match="simulated crash"):
        rollups.rollup()

    # then nothing is half-written, and the run says it failed
    assert stored_totals() == before
    failed = RollupRun.objects.filter(outcome=RollupRun.Outcome.FAILED).get()
    assert "simulated crash" in failed.error

    # when the cause is gone and the run is simply repeated
    with connection.cursor() as cursor:
        cursor.execute("DROP TRIGGER test_crash ON reporting_countrytotal; DROP FUNCTION test_crash();")
    rollups.rollup()

    # then the totals are right
    assert_totals_match_raw_sql()


def test_verify_reports_and_logs_every_difference(demo, caplog):
    rollups.rollup()
    CountryTotal.objects.filter(metric="arrests", dimension="", country__code="THA").update(value=999)
    with caplog.at_level("ERROR", logger="reporting.rollups"):
        problems = rollups.verify()
    assert len(problems) == 1 and "arrests" in problems[0] and "999" in problems[0]
    assert any("999" in record.getMessage() for record in caplog.records)


def test_the_rollup_command_rebuilds_and_verifies(demo, capsys):
    call_command("rollup", "--verify", "--joint-operation", "jpoa-2015")
    assert "Verified" in capsys.readouterr().out
    assert_totals_match_raw_sql()


# ---------------------------------------------------------------------------------------------
# Every committed change queues a roll-up; bursts coalesce
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def eager_demo(db, django_capture_on_commit_callbacks):
    """The demo as if committed: its announcements sent, its totals rolled up (tasks in-process)."""
    with django_capture_on_commit_callbacks(execute=True):
        demo_load()


def thai_officer_edit(client, count: int) -> None:
    """The Thai officer adds an arrest record through the page."""
    client.force_login(get_user_model().objects.get(username="officer.tha"))
    response = client.post(reverse("operations:record_create", args=["arrests"]), {
        "occurred_on": "2015-10-09", "agency": Agency.objects.get(acronym="RTP").pk,
        "count": str(count), "crime_type": "smuggling"})
    assert response.status_code == 302


def thai_arrests() -> int:
    row = CountryTotal.objects.filter(country__code="THA", metric="arrests", dimension="").first()
    return row.value if row else 0


def test_a_committed_edit_rolls_up_its_country(client, eager_demo, django_capture_on_commit_callbacks):
    before = thai_arrests()
    with django_capture_on_commit_callbacks(execute=True):
        thai_officer_edit(client, 5)
    assert thai_arrests() == before + 5
    run = RollupRun.objects.first()
    assert run.country.code == "THA" and run.outcome == RollupRun.Outcome.SUCCEEDED
    assert not PendingRollup.objects.exists()


def test_a_burst_of_edits_in_one_transaction_is_one_run(eager_demo, django_capture_on_commit_callbacks):
    operation = om.Operation.objects.get(country__code="THA")
    runs = RollupRun.objects.count()
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        for day in range(1, 21):
            om.ArrestRecord.objects.create(operation=operation, country_id=operation.country_id,
                                           agency=operation.lead_agency, count=1,
                                           occurred_on=dt.date(2015, 10, day), crime_type="smuggling")
    assert len(callbacks) == 1
    assert RollupRun.objects.count() == runs + 1


def test_a_pending_rollup_absorbs_further_requests(eager_demo, django_capture_on_commit_callbacks):
    operation = om.Operation.objects.get(country__code="THA")
    # a run is already queued for Thailand (its task has not started yet)
    PendingRollup.objects.create(joint_operation_id=operation.joint_operation_id,
                                 country_id=operation.country_id)
    runs = RollupRun.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        om.ArrestRecord.objects.create(operation=operation, country_id=operation.country_id,
                                       agency=operation.lead_agency, count=1,
                                       occurred_on=dt.date(2015, 10, 2), crime_type="smuggling")
    assert RollupRun.objects.count() == runs  # absorbed by the queued run
    assert PendingRollup.objects.count() == 1


def test_a_rolled_back_edit_queues_nothing_and_later_edits_still_do(
        eager_demo, django_capture_on_commit_callbacks):
    operation = om.Operation.objects.get(country__code="THA")
    record = {"operation": operation, "country_id": operation.country_id,
              "agency": operation.lead_agency, "count": 1, "occurred_on": dt.date(2015, 10, 2),
              "crime_type": "smuggling"}
    runs = RollupRun.objects.count()
    with django_capture_on_commit_callbacks(execute=True):
        with pytest.raises(RuntimeError), transaction.atomic():
            om.ArrestRecord.objects.create(**record)
            raise RuntimeError("abandon")
        om.ArrestRecord.objects.create(**record)
    assert RollupRun.objects.count() == runs + 1


# ---------------------------------------------------------------------------------------------
# With a real worker on Redis
# ---------------------------------------------------------------------------------------------


@pytest.mark.worker
def test_an_officers_edit_reaches_the_totals_through_the_real_worker(client, celery_worker_queue):
    demo_load()
    rollups.rollup()
    before = thai_arrests()

    # when the officer saves a record through the page (committed: transactional test)
    thai_officer_edit(client, 6)

    # then, without any manual step, the worker brings the country's totals up to date
    deadline = time.monotonic() + 90
    while thai_arrests() != before + 6 and time.monotonic() < deadline:
        time.sleep(0.5)
    assert thai_arrests() == before + 6
    assert rollups.differences() == []
