"""``make bench-quick``'s code path (bench.suite.run) at small scale, on the test database.

It checks that every figure is produced and that the numbers are right — the roll-up equals
a fresh aggregate of the records, the hand-written SQL gives the same totals, the dashboard
aggregated on the fly is the same page, no guardian row is written, the generated records pass
the models' validation — and never how fast anything was: timings on a shared CI machine say
nothing, and ``make bench`` reports them.
"""
from __future__ import annotations

import pytest
from django.urls import NoReverseMatch, reverse

from bench import figures, report, suite
from bench.generate import BenchConfig
from operations import models as om
from reporting import rollups

pytestmark = pytest.mark.bench

SMALL = BenchConfig(records=20_000, countries=8, joint_operations=3)


def _api_built() -> bool:
    try:
        reverse("api:arrests-list")
    except NoReverseMatch:
        return False
    return True


def test_bench_quick_produces_every_figure_and_right_totals(db):
    # when
    results = suite.run(SMALL, figures.TEST)

    # then: every figure, in the order, with its numbers and a ratio for every goal
    assert [figure.key for figure in results.figures] == list(suite.ORDER)
    for figure in results.figures:
        if figure.key == "api" and not _api_built():
            assert figure.note == "not available (API not built)"
            continue
        assert figure.available, figure.key
        assert figure.measured and figure.beside and figure.checks, figure.key
        assert all(check.value == check.value for check in figure.checks), figure.key  # no NaN
    table = report.table(results)
    assert all(figure.label in table for figure in results.figures)

    # the data: the size asked for, valid by the models' own rules, and no guardian row
    assert results.data.total_records == SMALL.records
    assert len(results.data.country_ids) == SMALL.countries
    for model in om.OUTCOME_MODELS:
        for record in model.objects.filter(
                operation__joint_operation_id__in=results.data.joint_operation_ids)[:25]:
            record.full_clean()
    assert results.by_key["guardian"].checks[0].value == 0

    # the totals: the roll-up equals the raw aggregate, before and after the edit
    assert results.differences == []
    assert rollups.differences() == []
    assert results.by_key["rollup"].numbers["differing_rows"] == 0  # hand-written SQL agrees
    assert results.by_key["dashboard"].numbers["same_page_on_the_fly"]
    assert results.by_key["edit_rollup"].numbers["differences"] == []

    # every record was exported: as many bytes as COPY wrote, give or take the quoting
    export = results.by_key["export"].numbers
    assert export["export_bytes"] > 0 and export["copy_bytes"] > 0
