"""Disclosure control of the public profile: one suppression pattern prints alike in every public
product of a joint operation, and no hidden figure can be worked out from all of them together
(the audit, checked against an attacker who tries every value)."""
from __future__ import annotations

import csv
import io
import itertools

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from countries.models import Country
from operations.models import CountryReturn, JointOperation
from reporting import disclosure, export_jobs, exports, rollups
from reporting.disclosure import INFINITY, Published
from reporting.metrics import DEBRIEF_METRICS, METRICS_BY_KEY
from reporting.models import ExportJob
from tests import factories
from tests.reporting.test_statement import PARAGRAPH_8

STATES = list(CountryReturn.State.values)
ARRESTS = METRICS_BY_KEY["arrests"]


def release_in_memory(values: dict[str, list[int]], *, threshold: int,
                      states: list[str] | None = None) -> exports.Release:
    """The public release of a joint operation that exists only here: metric key -> a value per
    country (metrics left out are zero)."""
    size = len(next(iter(values.values())))
    countries = [Country(pk=i + 1, code=f"Q{i:02d}", name=f"Country {i:02d}") for i in range(size)]
    joint_operation = JointOperation(pk=1, name="Small joint operation", slug="small",
                                     public_threshold=threshold)
    totals = {(c.pk, key, "", ""): column[i]
              for key, column in values.items() for i, c in enumerate(countries)}
    return_states = {c.pk: (states or [])[i] if states else CountryReturn.State.OPEN
                     for i, c in enumerate(countries)}
    return exports.public_release(joint_operation, countries, totals, return_states)


def printed_ints(data: exports.Debrief) -> list[int]:
    figures = [v for _c, row, _s in data.table() for v in row]
    figures += [data.regional_printed(m) for m in data.metrics]
    figures += [worded.low for _key, worded in data.statement.figures
                if worded.low == worded.high]
    return [v for v in figures if isinstance(v, int)]


# ---------------------------------------------------------------------------------------------
# Random joint operations: every public product set passes the audit
# ---------------------------------------------------------------------------------------------

cell = st.one_of(st.integers(0, 12), st.integers(0, 3000))


@st.composite
def joint_operations(draw, max_countries=30):
    size = draw(st.integers(1, max_countries))
    threshold = draw(st.sampled_from([3, 5, 11]))
    values = {m.key: draw(st.lists(cell, min_size=size, max_size=size))
              for m in DEBRIEF_METRICS[:4]}
    states = draw(st.lists(st.sampled_from(STATES), min_size=size, max_size=size))
    return values, threshold, states


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(joint_operations())
def test_no_hidden_figure_of_a_random_joint_operation_can_be_worked_out(case):
    values, threshold, states = case
    release = release_in_memory(values, threshold=threshold, states=states)

    assert release.derivable() == []
    for data in release.products:
        # the one pattern, printed alike by the region's product and each country's
        for metric in data.metrics:
            assert data.column(metric) == {
                c.pk: release.pattern.cell(metric.key, c.pk) for c in data.countries}
        # primary suppression: no figure under the threshold is printed, zero included
        assert all(v >= threshold for v in printed_ints(data))
        # no accepted-only margin in the public profile
        assert all(accepted is None for _m, _all, accepted in data.summary())


def attacker(values: list[int], column: disclosure.Column, threshold: int, cap: int):
    """Every value each hidden cell (and a hidden total) can take, by trying them all: the
    cells' printed ranges, the total as printed, nothing else."""
    def allowed(printed, up_to):
        if isinstance(printed, int):
            return [printed]
        if printed == disclosure.WITHHELD:
            return list(range(threshold, up_to + 1))
        return list(range(0, threshold))

    ids = sorted(column.cells)
    seen = {pk: set() for pk in ids if not isinstance(column.cells[pk], int)}
    totals_seen = set()
    total_range = allowed(column.total, cap * len(ids))
    for combination in itertools.product(*(allowed(column.cells[pk], cap) for pk in ids)):
        if sum(combination) in total_range:
            totals_seen.add(sum(combination))
            for pk, value in zip(ids, combination, strict=True):
                if pk in seen:
                    seen[pk].add(value)
    return seen, totals_seen


@settings(max_examples=150, deadline=None)
@given(st.integers(1, 4).flatmap(lambda n: st.lists(st.integers(0, 9), min_size=n, max_size=n)),
       st.sampled_from([3, 4, 5]))
def test_an_attacker_trying_every_value_learns_no_more_than_the_audit_says(values, threshold):
    # given a small figure's public column, and an attacker who tries every value up to a cap
    release = release_in_memory({"arrests": values}, threshold=threshold)
    column = release.pattern.columns["arrests"]
    cap = sum(values) + 2 * threshold  # above anything a withheld figure could be
    seen, totals_seen = attacker(values, column, threshold, cap)
    findings = {f.country_ids: f for f in release.findings() if f.metric == "arrests"}

    # then every hidden figure keeps two values or more, and the audit's interval is exactly
    # what the attacker found (up to the cap, for figures with no upper limit)
    for pk, possible in seen.items():
        assert len(possible) >= 2, (values, column)
        finding = findings[frozenset({pk})]
        assert min(possible) == finding.low
        assert max(possible) == (cap if finding.high == INFINITY else finding.high)
    if not isinstance(column.total, int):
        assert len(totals_seen) >= 2


# ---------------------------------------------------------------------------------------------
# The audit catches what the old public profile gave away
# ---------------------------------------------------------------------------------------------

def facts(product, cells: dict[int, int | str], total: int | str, threshold=5, metric="arrests"):
    found = [Published(product, metric, frozenset({pk}), *disclosure.interval(v, threshold))
             for pk, v in cells.items()]
    found.append(Published(product, metric, frozenset(cells),
                           *disclosure.interval(total, threshold)))
    return found


def test_the_audit_works_out_figures_hidden_behind_an_accepted_only_total():
    # given the old release: A accepted with 40, B accepted with 3, C open with 12; B hidden,
    # C withheld to protect it, and the accepted-only total beside the regional one
    old = facts("region", {1: 40, 2: "<5", 3: "*"}, 55)
    old.append(Published("region", "arrests", frozenset({1, 2}), 43, 43))

    found = {f.country_ids: (f.low, f.high) for f in disclosure.audit(old)}

    # then both hidden figures follow by subtraction
    assert found[frozenset({2})] == (3, 3)
    assert found[frozenset({3})] == (12, 12)


def test_the_audit_works_out_a_figure_a_single_country_release_printed():
    # given the region withholding Malaysia's 20 for Thailand's 3, and Malaysia's own public
    # export printing its 20
    old = facts("region", {1: "<5", 2: "*", 3: 30}, 53)
    old += facts("Malaysia", {2: 20}, 20)

    found = {f.country_ids: (f.low, f.high) for f in disclosure.audit(old)}

    assert found[frozenset({1})] == (3, 3)


def test_a_lone_hidden_figure_withheld_beside_its_own_threshold_is_still_found():
    # a "*" is at least the threshold: a 1 beside a withheld 5 under a total of 6 is found
    found = disclosure.audit(facts("region", {1: "<5", 2: "*"}, 6))
    assert [f.derivable for f in found if f.country_ids == frozenset({1})] == [False]
    # (0..1 is two values) but with zero printed as 0 it would have been exactly 1:
    found = disclosure.audit([*facts("region", {1: "<5", 2: "*"}, 6),
                              Published("zero printed", "arrests", frozenset({1}), 1, 4)])
    assert [(f.low, f.high) for f in found if f.country_ids == frozenset({1})] == [(1, 1)]


def test_the_pattern_withholds_the_total_when_no_country_figure_can_protect_the_hidden_one():
    # one country of 0 and one of 5: withholding the 5 (so at least 5) would leave 5 − 5 = 0
    release = release_in_memory({"arrests": [0, 5]}, threshold=5)
    column = release.pattern.columns["arrests"]
    assert column.cells == {1: "<5", 2: 5}
    assert column.total == disclosure.WITHHELD
    assert release.derivable() == []
    region = release.products[0]
    assert "made at least five arrests" in region.statement.items


def test_a_threshold_too_low_to_protect_is_refused():
    # two countries of one arrest each: under "<2" and a withheld total both can only be 1
    release = release_in_memory({"arrests": [1, 1]}, threshold=2)
    assert [f.derivable for f in release.findings() if f.metric == "arrests"] == [True] * 3
    with pytest.raises(disclosure.UnsafeRelease, match=r"cannot be released: with a threshold "
                       r"of 2, these hidden figures could be worked out from the published "
                       r"ones: Arrests \(the region, Country 00, Country 01\)\. Raise"):
        release.check()


# ---------------------------------------------------------------------------------------------
# A small joint operation nobody tuned, through the database and the files
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def small(db):
    """Three countries: one accepted with large figures, one accepted with small ones, one
    open; arrests and victims entered as records and rolled up."""
    joint_operation = factories.JointOperationFactory(slug="small-2026", name="Small 2026")
    plan = {"QLA": (3, 14, CountryReturn.State.ACCEPTED),   # arrests per record x records
            "QSA": (1, 2, CountryReturn.State.ACCEPTED),
            "QOP": (2, 4, CountryReturn.State.OPEN)}
    countries = {}
    for code, (count, records, state) in plan.items():
        country = factories.CountryFactory(code=code, name=f"Country {code}")
        operation = factories.OperationFactory(
            joint_operation=joint_operation, lead_agency=factories.AgencyFactory(country=country))
        factories.ArrestRecordFactory.create_batch(records, operation=operation, count=count)
        factories.VictimAssistanceRecordFactory.create_batch(
            1 if code != "QLA" else 4, operation=operation, count=1 if code != "QLA" else 7)
        when = timezone.now() if state == CountryReturn.State.ACCEPTED else None
        CountryReturn.objects.update_or_create(
            joint_operation=joint_operation, country=country,
            defaults={"state": state, "submitted_at": when, "accepted_at": when})
        countries[code] = country
    rollups.rollup(joint_operation_id=joint_operation.pk)
    return joint_operation, countries


def facts_from_files(release: exports.Release) -> list[Published]:
    """What the CSV and the workbook of every public product print, read back from the files."""
    threshold = release.pattern.threshold
    by_label = {str(m.label): m.key for m in DEBRIEF_METRICS}
    found = []
    for data in release.products:
        name = data.country.name if data.country else "region"
        ids = {c.code: c.pk for c in data.countries}
        everyone = frozenset(ids.values())
        for row in csv.DictReader(io.StringIO(exports.render(data, "csv").decode())):
            value = int(row["value"]) if row["value"].isdigit() else row["value"]
            found.append(Published(f"{name} csv", row["metric"], frozenset({ids[row["country_code"]]}),
                                   *disclosure.interval(value, threshold)))
        book = load_workbook(io.BytesIO(exports.render(data, "xlsx")))
        assert book.sheetnames == ["Summary", "By country"]
        summary = list(book["Summary"].iter_rows(values_only=True))
        start = next(i for i, row in enumerate(summary) if row[0] == "Figure")
        assert summary[start] == ("Figure", "All entered")  # no accepted-only column
        for label, value, *_rest in summary[start + 1:]:
            found.append(Published(f"{name} xlsx", by_label[label], everyone,
                                   *disclosure.interval(value, threshold)))
        rows = list(book["By country"].iter_rows(values_only=True))
        labels = rows[0][2:-1]
        for row in rows[1:]:
            if row[1] == "All countries":
                for label, value in zip(labels, row[2:], strict=False):
                    found.append(Published(f"{name} xlsx", by_label[label], everyone,
                                           *disclosure.interval(value, threshold)))
            elif row[0] in ids:
                for label, value in zip(labels, row[2:-1], strict=True):
                    found.append(Published(f"{name} xlsx", by_label[label],
                                           frozenset({ids[row[0]]}),
                                           *disclosure.interval(value, threshold)))
        for key, worded in data.statement.figures:
            found.append(Published(f"{name} text", key, everyone, worded.low,
                                   INFINITY if worded.high is None else worded.high))
    return found


def test_no_hidden_figure_of_a_small_joint_operation_follows_from_its_public_files(small):
    # given the small joint operation's whole public release: the region's files and each
    # country's, as a focal point would export them
    joint_operation, countries = small
    release = exports.release_of(joint_operation)
    published = facts_from_files(release)

    # when every figure printed in any of them is put together
    findings = disclosure.audit(published)

    # then figures were hidden, and none can be worked out
    hidden = [f for f in findings if f.metric in ("arrests", "victims_assisted")]
    assert len(hidden) >= 4
    assert [f for f in findings if f.derivable] == []
    # and Country QSA's two arrests stay hidden in its own public export too
    own = exports.debrief(joint_operation, country=countries["QSA"], profile="public")
    assert own.column(ARRESTS)[countries["QSA"].pk] == "<5"
    assert own.regional_printed(ARRESTS) == "<5"
    assert "arrest" not in exports.render(own, "text").decode()  # left out, as a zero is


def test_a_single_country_export_prints_the_figure_the_region_withholds(small):
    joint_operation, countries = small
    region = exports.debrief(joint_operation, profile="public")
    withheld = [c for c in region.countries
                if region.column(ARRESTS)[c.pk] == disclosure.WITHHELD]
    assert withheld, region.column(ARRESTS)

    own = exports.debrief(joint_operation, country=withheld[0], profile="public")

    rows = list(csv.DictReader(io.StringIO(exports.render(own, "csv").decode())))
    assert [r["value"] for r in rows if r["metric"] == "arrests"] == ["*"]
    assert "made at least five arrests" in exports.render(own, "text").decode()


def test_the_restricted_profile_still_prints_every_figure_and_the_accepted_total(small):
    joint_operation, countries = small
    data = exports.debrief(joint_operation)
    assert data.column(ARRESTS) == {countries["QLA"].pk: 42, countries["QOP"].pk: 8,
                                    countries["QSA"].pk: 2}
    assert (ARRESTS, 52, 44) in data.summary()
    book = load_workbook(io.BytesIO(exports.render(data, "xlsx")))
    assert ("Figure", "All entered", "Returns accepted") in list(
        book["Summary"].iter_rows(values_only=True))


def test_disclosure_audit_says_the_release_is_safe(small, capsys):
    joint_operation, _countries = small
    call_command("disclosure_audit", joint_operation.slug)
    out = capsys.readouterr().out
    assert "safe to release" in out
    assert "WORKED OUT" not in out
    assert "Arrests, Country QSA: between 0 and 4" in out


@pytest.fixture
def unsafe(db):
    """Two countries of one arrest each, under a threshold of 2: "<2" twice beside a withheld
    total (at least 2) can only be 1 and 1, so no public release is safe."""
    joint_operation = factories.JointOperationFactory(slug="pair-2026", name="Pair 2026",
                                                      public_threshold=2)
    for code in ("QPA", "QPB"):
        operation = factories.OperationFactory(
            joint_operation=joint_operation,
            lead_agency=factories.AgencyFactory(country=factories.CountryFactory(code=code)))
        factories.ArrestRecordFactory(operation=operation, count=1)
    rollups.rollup(joint_operation_id=joint_operation.pk)
    assert exports.release_of(joint_operation).derivable()
    return joint_operation


def test_disclosure_audit_of_a_release_that_cannot_be_protected_exits_1(unsafe, capsys):
    with pytest.raises(SystemExit) as exit_:
        call_command("disclosure_audit", unsafe.slug)
    out = capsys.readouterr().out
    assert exit_.value.code == 1, out
    assert "WORKED OUT Arrests, Country QPA: between 1 and 1" in out
    assert "public profile is refused" in out
    # the same figures under a threshold of 5 could be released
    call_command("disclosure_audit", unsafe.slug, "--threshold", "5")
    assert "safe to release" in capsys.readouterr().out


# ---------------------------------------------------------------------------------------------
# Refused everywhere a public file is made
# ---------------------------------------------------------------------------------------------


def test_the_export_page_refuses_an_unsafe_public_release_on_its_profile_field(client, unsafe):
    joint_operation = unsafe
    admin = get_user_model().objects.create_superuser("admin.small", password="x" * 16)
    client.force_login(admin)

    response = client.post(reverse("reporting:export_list"), {
        "joint_operation": joint_operation.slug, "country": "", "format": "csv",
        "profile": "public", "rounded": []})

    assert response.status_code == 400
    assert "cannot be released" in response.context["form"].errors["profile"][0]
    assert not ExportJob.objects.exists()
    # the restricted profile of the same joint operation is still there
    response = client.post(reverse("reporting:export_list"), {
        "joint_operation": joint_operation.slug, "country": "", "format": "csv",
        "profile": "restricted", "rounded": []})
    assert response.status_code == 200


def test_a_queued_public_export_whose_release_became_unsafe_fails_saying_why(
        unsafe, django_capture_on_commit_callbacks):
    joint_operation = unsafe
    admin = get_user_model().objects.create_superuser("admin.small", password="x" * 16)
    with django_capture_on_commit_callbacks(execute=True):
        job = export_jobs.request_export(user=admin, joint_operation=joint_operation,
                                         country=None, fmt="xlsx", profile="public", rounded=())
    job.refresh_from_db()
    assert job.status == ExportJob.Status.FAILED
    assert "cannot be released" in job.error and not job.file


def test_the_command_line_refuses_an_unsafe_public_release(unsafe):
    joint_operation = unsafe
    with pytest.raises(CommandError, match="cannot be released"):
        call_command("debrief_statistics", joint_operation.slug, "--profile", "public")


# ---------------------------------------------------------------------------------------------
# The 2015 demo's public release
# ---------------------------------------------------------------------------------------------


def test_the_2015_public_release_still_reads_like_paragraph_8(demo, capsys):
    rollups.rollup()
    joint_operation = JointOperation.objects.get(slug="jpoa-2015")

    data = exports.debrief(joint_operation, profile="public")

    assert list(data.statement.items) == PARAGRAPH_8
    call_command("disclosure_audit", "jpoa-2015")
    assert "safe to release" in capsys.readouterr().out
