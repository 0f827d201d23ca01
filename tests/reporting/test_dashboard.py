"""The regional dashboard: figures from CountryTotal only, constant queries, access to records."""
from __future__ import annotations

import datetime as dt
import html as html_module
import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from countries.models import Agency, Country
from operations import models as om
from operations import policies as operations_policies
from operations.demo import SPLIT, STATEMENT_TOTALS
from reporting import rollups
from reporting.dashboard import VERSION_KEY, bump_dashboard_version, statement_figure
from reporting.metrics import HEADLINE_METRICS
from reporting.models import CountryTotal, PendingRollup, RollupRun
from tests.factories import (
    AgencyFactory,
    ArrestRecordFactory,
    CountryFactory,
    EnquiryRecordFactory,
    OperationFactory,
    VictimAssistanceRecordFactory,
)

URL = reverse("reporting:dashboard")
ACCEPTED_2015 = ("AUS", "NZL", "LKA", "MYS")  # the demo's accepted returns
KEYS = [m.key for m in HEADLINE_METRICS]


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def totals(demo):
    """The 2015 demo, added up (the demo loads inside the test transaction: no automatic run)."""
    rollups.rollup()


def login(client, username):
    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    return user


def headline(html: str) -> dict[str, tuple[str, str]]:
    """metric -> (provisional, accepted) as the headline cards show them."""
    found = {}
    for key, body in re.findall(r'<article class="figure" data-metric="(\w+)">(.*?)</article>',
                                html, re.S):
        provisional = re.search(r'class="figure-value[^"]*"[^>]*>([^<]+)<', body).group(1)
        accepted = re.search(r"data-accepted>([^<]+)<", body)
        found[key] = (provisional, accepted.group(1) if accepted else "")
    return found


def country_rows(html: str) -> dict[str, str]:
    return dict(re.findall(r'<tr data-country="(\w+)"[^>]*>(.*?)</tr>', html, re.S))


def record_links(html: str) -> list[str]:
    main = html.split('<main id="main"', 1)[1]
    return re.findall(r'href="(/records/[^"]*)"', main)


def _number(text: str) -> int | float | None:
    return None if text == "" else float(text) if "." in text else int(text)


def chart_data(html: str, chart: str) -> dict:
    """What a chart draws (its server-made SVG): labels, and each series' figures by label."""
    figure = re.search(rf'<figure class="chart" id="chart-{chart}"(.*?)</figure>', html,
                       re.S).group(1)
    drawings = re.findall(r'<svg class="chart-svg" data-series="([^"]*)"[^>]*>(.*?)</svg>',
                          figure, re.S)
    rows = re.findall(r'<g data-value="([^"]*)"><text[^>]*>([^<]*)</text>(.*?)</g>',
                      drawings[0][1], re.S) if drawings else []
    labels = [html_module.unescape(label) for _value, label, _rest in rows]
    if drawings and drawings[0][0] == "stacked":
        keys = list(dict.fromkeys(re.findall(r'data-series="([^"]*)"', drawings[0][1])))
        series = [{"key": key, "data": [
            _number((re.findall(rf'data-series="{key}" data-value="([^"]*)"', rest) or ["0"])[0])
            for _value, _label, rest in rows]} for key in keys]
        return {"stacked": True, "labels": labels, "series": series}
    series = []
    for key, body in drawings:
        values = re.findall(r'<g data-value="([^"]*)">', body)
        series.append({"key": key, "data": [_number(value) for value in values]})
    return {"stacked": False, "labels": labels, "series": series}


# ---------------------------------------------------------------------------------------------
# The 2015 figures
# ---------------------------------------------------------------------------------------------


def test_co_chairs_see_the_statements_figures_with_the_accepted_ones(client, totals):
    # given the demo added up, and a co-chair
    login(client, "cochair.nzl")

    # when
    response = client.get(URL)

    # then the nine figures are paragraph 8's, the accepted ones those of the accepted returns
    assert response.status_code == 200
    html = response.content.decode()
    accepted = {key: sum(SPLIT[c][i] for c in ACCEPTED_2015) for i, key in enumerate(KEYS)}
    assert headline(html) == {
        key: (str(STATEMENT_TOTALS[key]), str(accepted[key])) for key in KEYS
    }
    statement = re.search(r'<ul class="statement-line"[^>]*>(.*?)</ul>', html, re.S).group(1)
    assert re.findall(r"<strong>([^<]+)</strong>", statement) == [
        "59", "7", "63", "32", "8", "over 70", "68", "12", "485"]
    assert "In total, authorities in the 8 countries:" in html
    assert "(4 of 8)" in html


def test_the_per_country_table_shows_every_countrys_totals_and_return(client, totals):
    login(client, "cochair.lka")

    html = client.get(URL).content.decode()

    rows = country_rows(html)
    assert sorted(rows) == sorted(SPLIT)
    for code, split in SPLIT.items():
        cells = re.findall(r'data-metric="(\w+)">([^<]+)<', rows[code])
        assert cells == [(key, str(value)) for key, value in zip(KEYS, split, strict=True)], code
    assert "return-state-accepted" in rows["AUS"] and "return-state-open" in rows["THA"]
    assert "return-state-submitted" in rows["PHL"]
    footer = html.split("<tfoot>", 1)[1]
    provisional = re.search(r'class="total-provisional">(.*?)</tr>', footer, re.S).group(1)
    assert re.findall(r'numeric">([^<]+)<', provisional) == [
        str(STATEMENT_TOTALS[key]) for key in KEYS]


def test_the_charts_add_up_to_the_figures_and_each_has_a_table(client, totals):
    login(client, "secretariat")

    html = client.get(URL).content.decode()

    by_country = chart_data(html, "by-country")
    assert len(by_country["labels"]) == 8
    for series in by_country["series"]:
        assert sum(series["data"]) == STATEMENT_TOTALS[series["key"]]
    for series in chart_data(html, "by-week")["series"]:
        assert sum(series["data"]) == STATEMENT_TOTALS[series["key"]]
    for chart in ("victims-exploitation", "victims-sex", "victims-age"):
        assert sum(chart_data(html, chart)["series"][0]["data"]) == 59, chart
    officers = chart_data(html, "officers-category")
    assert officers["labels"] == ["Police", "Airport", "Immigration", "Compliance"]
    assert sum(officers["series"][0]["data"]) == 485
    sector_keys = {s["key"] for s in chart_data(html, "by-sector")["series"]}
    assert "enquiries" not in sector_keys and "victims_assisted" in sector_keys
    # every chart: drawn on the server, a captioned table, no inline script and no chart library
    assert html.count('<div class="chart-box"') == html.count("<caption>") == 9
    assert html.count("<summary>Show as a table</summary>") == 9
    assert re.findall(r"<script(?![^>]*\bsrc=)([^>]*)>", html) == []
    assert "chart.umd" not in html
    assert re.search(r'src="/static/js/dashboard\.[0-9a-f]{12}\.js"', html)


def test_the_sector_filter_uses_the_sector_breakdown_and_marks_the_rest_not_applicable(
        client, totals):
    login(client, "secretariat")

    html = client.get(URL, {"sector": "fishing"}).content.decode()

    figures = headline(html)
    for key in ("enquiries", "training_sessions", "officers_trained"):
        assert figures[key] == ("—", ""), key
    fishing_victims = sum(om.VictimAssistanceRecord.objects.filter(sector="fishing")
                          .values_list("count", flat=True))
    fishing_arrests = sum(om.ArrestRecord.objects.filter(sector="fishing")
                          .values_list("count", flat=True))
    assert 0 < fishing_victims < 59
    assert figures["victims_assisted"][0] == str(fishing_victims)
    assert figures["arrests"][0] == str(fishing_arrests)
    assert "Headline figures · Fishing" in html


# ---------------------------------------------------------------------------------------------
# Access: totals cross borders, records do not
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["cochair.nzl", "cochair.lka", "secretariat"])
def test_co_chairs_and_secretariat_get_no_record_links_at_all(client, totals, username):
    login(client, username)

    for params in ({}, {"country": "THA"}, {"country": "AUS", "sector": "fishing"}):
        html = client.get(URL, params).content.decode()
        assert record_links(html) == [], params
        assert len(country_rows(html)) == 8
    # and the record list they would reach has nothing of any country
    response = client.get(reverse("operations:record_list", args=["arrests"]),
                          {"country": "THA"})
    assert response.context["rows"] == []


def test_an_officer_sees_regional_totals_and_only_their_countrys_records(client, totals):
    # given Thailand's officer
    login(client, "officer.tha")

    # when they open the regional dashboard
    html = client.get(URL).content.decode()

    # then: regional totals, every country's row, but record links only in Thailand's
    assert headline(html)["victims_assisted"][0] == "59"
    rows = country_rows(html)
    assert len(rows) == 8
    assert all("/records/" not in body for code, body in rows.items() if code != "THA")
    assert rows["THA"].count('href="/records/') == 9
    links = record_links(html)
    assert links and all("country=THA" in link for link in links)
    assert "Your country: Thailand" in html
    # the regional cards do not link: the records behind them are not all the officer's
    assert "figure-link" not in html
    # following a link shows Thai records only
    link = next(link for link in links if link.startswith("/records/arrests/"))
    page = client.get(link.replace("&amp;", "&"))
    assert page.status_code == 200
    assert page.context["rows"] and {r["record"].country.code for r in page.context["rows"]} == {"THA"}


def test_an_officers_country_view_links_its_figures_to_the_records(client, totals):
    login(client, "focal.tha")

    html = client.get(URL, {"country": "THA"}).content.decode()

    assert "Dashboard: Thailand" in html
    figures = headline(html)
    assert figures["arrests"][0] == str(SPLIT["THA"][KEYS.index("arrests")])
    assert html.count('class="figure-link"') == 9
    assert sum(chart_data(html, "victims-sex")["series"][0]["data"]) == SPLIT["THA"][0]
    assert "accepted the return of Thailand (now: Open)" in html
    assert figures["arrests"][1] == "0"  # Thailand's return is open: nothing accepted yet


def test_an_officer_cannot_choose_another_countrys_breakdown(client, totals):
    login(client, "officer.tha")

    html = client.get(URL, {"country": "AUS"}).content.decode()

    # the choice is refused beside the filter; the page stays regional
    assert 'id="filter_country_error"' in html
    assert "Regional dashboard" in html and "Dashboard: Australia" not in html
    assert headline(html)["victims_assisted"][0] == "59"
    assert sum(chart_data(html, "victims-sex")["series"][0]["data"]) == 59
    assert '<option value="AUS"' not in html.split('id="filter_country"', 1)[1].split("</select>")[0]
    assert all("country=AUS" not in link for link in record_links(html))


def test_the_administrator_may_drill_down_from_every_country(client, totals):
    login(client, "admin")

    html = client.get(URL).content.decode()

    rows = country_rows(html)
    assert all(body.count('href="/records/') == 9 for body in rows.values())
    assert html.count('class="figure-link"') == 9


def test_without_a_membership_the_page_says_so(client, totals):
    get_user_model().objects.create_user("nobody", password="x")
    login(client, "nobody")

    response = client.get(URL)

    assert response.status_code == 200
    assert b"Your account has no role yet" in response.content
    assert b"data-metric" not in response.content


def test_an_unknown_joint_operation_falls_back_to_the_current_one(client, totals):
    login(client, "secretariat")

    html = client.get(URL, {"joint_operation": "no-such"}).content.decode()

    assert 'id="filter_joint_operation_error"' in html
    assert headline(html)["arrests"][0] == "32"


# ---------------------------------------------------------------------------------------------
# Constant queries and the cache
# ---------------------------------------------------------------------------------------------

# session, user, memberships (scope), joint operations, the joint operation's state (its
# countries, roll-up runs, pending roll-ups and returns in one query), CountryTotal (on a cache
# miss), the completeness report (on a miss: the followed returns, operations without one yet,
# the countries' activity: reporting.completeness); then the session is saved
# (SESSION_SAVE_EVERY_REQUEST: savepoint, update, release)
QUERIES = 12
COMPLETENESS_QUERIES = 3


def add_countries(joint_operation: om.JointOperation, how_many: int) -> None:
    """More countries taking part, each with records of several types and a return."""
    for _ in range(how_many):
        operation = OperationFactory(joint_operation=joint_operation,
                                     lead_agency=AgencyFactory(country=CountryFactory()))
        for day in range(5):
            on = joint_operation.starts_on + dt.timedelta(days=day * 6)
            ArrestRecordFactory(operation=operation, occurred_on=on, sector="fishing")
            VictimAssistanceRecordFactory(operation=operation, occurred_on=on)
            EnquiryRecordFactory(operation=operation, occurred_on=on,
                                 counterpart=Country.objects.get(code="THA"))
        om.CountryReturn.objects.create(joint_operation=joint_operation,
                                        country=operation.country, state="submitted",
                                        submitted_at=timezone.now())
        PendingRollup.objects.create(joint_operation=joint_operation, country=operation.country)


@pytest.mark.parametrize("username", ["cochair.nzl", "officer.tha", "admin"])
def test_the_dashboard_costs_the_same_queries_however_many_countries_and_records(
        client, totals, django_assert_num_queries, username):
    login(client, username)
    with django_assert_num_queries(QUERIES):
        small = client.get(URL)
    assert len(country_rows(small.content.decode())) == 8

    # given twelve more countries, with records, returns, pending and failed runs
    joint_operation = om.JointOperation.objects.get(slug="jpoa-2015")
    add_countries(joint_operation, 12)
    rollups.rollup()
    for country in Country.objects.filter(code__startswith="Q")[:3]:
        RollupRun.objects.create(joint_operation=joint_operation, country=country, scope="x",
                                 outcome=RollupRun.Outcome.FAILED, finished_at=timezone.now())
    cache.clear()

    with django_assert_num_queries(QUERIES):
        large = client.get(URL, {"sector": "fishing"})
    assert len(country_rows(large.content.decode())) == 20
    # the totals and the completeness report now come from the cache
    with django_assert_num_queries(QUERIES - 1 - COMPLETENESS_QUERIES):
        client.get(URL)


def test_the_dashboard_reads_countrytotal_not_the_records(client, totals):
    # given totals that disagree with the records (as between an edit and its roll-up)
    CountryTotal.objects.filter(metric="arrests", dimension="",
                                country__code="THA").update(value=1000)
    login(client, "cochair.nzl")

    html = client.get(URL).content.decode()

    assert headline(html)["arrests"][0] == "1,024"


def test_a_successful_rollup_bumps_the_version_so_the_new_totals_show(client, totals):
    login(client, "cochair.nzl")
    assert headline(client.get(URL).content.decode())["arrests"][0] == "32"
    version = cache.get(VERSION_KEY)

    # when a record is added and the roll-up runs
    operation = om.Operation.objects.get(country__code="THA")
    ArrestRecordFactory(operation=operation, agency=Agency.objects.get(acronym="RTP"), count=5)
    rollups.rollup(joint_operation_id=operation.joint_operation_id, country_id=operation.country_id)

    # then the cached dashboards are invalid and the page shows the new figure
    assert cache.get(VERSION_KEY) == version + 1
    assert headline(client.get(URL).content.decode())["arrests"][0] == "37"


def test_the_totals_are_cached_until_the_version_changes(client, totals):
    login(client, "secretariat")
    assert headline(client.get(URL).content.decode())["arrests"][0] == "32"

    # a change the cache has not been told about is not seen...
    CountryTotal.objects.filter(metric="arrests", dimension="", country__code="THA").update(value=9)
    assert headline(client.get(URL).content.decode())["arrests"][0] == "32"

    # ...until the version is bumped
    bump_dashboard_version()
    assert headline(client.get(URL).content.decode())["arrests"][0] == "33"


def get_page(client, params: dict | None = None) -> tuple[str, str]:
    """The page, and the key its rendered body is cached under (for that user, those filters)."""
    response = client.get(URL, params or {})
    return response.content.decode(), response.context["dashboard"].cache_key


def test_the_rendered_body_is_cached_and_a_rollup_makes_it_stale(client, totals):
    # given a co-chair's page, whose body is now in the cache
    login(client, "cochair.nzl")
    html, key = get_page(client)
    assert key and cache.get(key) and cache.get(key) in html

    # the next request is served from that entry, whatever is in it
    cache.set(key, '<p id="marker">cached body</p>')
    assert '<p id="marker">cached body</p>' in client.get(URL).content.decode()

    # when a record is added and the roll-up runs
    operation = om.Operation.objects.get(country__code="THA")
    ArrestRecordFactory(operation=operation, agency=Agency.objects.get(acronym="RTP"), count=5)
    rollups.rollup(joint_operation_id=operation.joint_operation_id, country_id=operation.country_id)

    # then the cached body is stale: a new key, and the page shows the new figure
    html, new_key = get_page(client)
    assert new_key != key
    assert "marker" not in html
    assert headline(html)["arrests"][0] == "37"


def test_a_changed_return_state_is_not_served_from_an_older_body(client, totals):
    login(client, "cochair.nzl")
    assert "return-state-open" in country_rows(client.get(URL).content.decode())["THA"]

    # the secretariat's decisions do not run a roll-up, but the page shows them at once
    om.CountryReturn.objects.update_or_create(
        joint_operation=om.JointOperation.objects.get(slug="jpoa-2015"),
        country=Country.objects.get(code="THA"),
        defaults={"state": "submitted", "submitted_at": timezone.now()})

    assert "return-state-submitted" in country_rows(client.get(URL).content.decode())["THA"]


@pytest.mark.parametrize("params", [{}, {"country": "THA"}, {"sector": "fishing"}])
def test_users_with_different_access_never_share_a_cached_body(client, totals, params):
    # given every kind of user opening the same page, one after the other (each may fill the
    # cache for the next)
    users = ["officer.tha", "cochair.nzl", "admin", "focal.aus", "officer2.tha", "secretariat"]
    pages, keys = {}, {}
    for username in users:
        login(client, username)
        pages[username], keys[username] = get_page(client, params)

    # then each saw only what they may: record links to their own country's records only
    assert all("country=THA" in link for link in record_links(pages["officer.tha"]))
    if "country" not in params:  # (the box is left out when the page is their country's)
        assert "Your country: Thailand" in pages["officer.tha"]
    for username in ("cochair.nzl", "secretariat"):
        assert record_links(pages[username]) == [], username
        assert "Your country" not in pages[username], username
    assert all("country=THA" not in link for link in record_links(pages["focal.aus"]))
    assert any("country=THA" in link for link in record_links(pages["admin"]))
    # and their cached bodies are different entries, except for users with the same access
    assert keys["officer.tha"] == keys["officer2.tha"]  # the same access: the same page
    distinct = [keys[u] for u in ("officer.tha", "cochair.nzl", "admin", "focal.aus")]
    assert len(set(distinct)) == len(distinct)
    if "country" in params:  # Australia's focal point may not choose Thailand: refused, so
        assert keys["focal.aus"] == ""  # rendered with the error and never cached
    assert all(cache.get(key) is not None for key in distinct if key)


def test_a_user_whose_access_changes_gets_another_body(client, totals):
    login(client, "officer.tha")
    html, before = get_page(client)
    assert "Your country: Thailand" in html

    # when their membership ends
    user = get_user_model().objects.get(username="officer.tha")
    user.memberships.update(is_active=False)
    user.memberships.create(role="officer",
                            agency=Agency.objects.filter(country__code="AUS").first())

    html, after = get_page(client)
    assert after != before
    assert "Your country: Thailand" not in html and "Your country: Australia" in html


def test_bumping_without_a_version_starts_a_fresh_one(db):
    cache.delete(VERSION_KEY)
    bump_dashboard_version()
    assert cache.get(VERSION_KEY) > 1_000_000  # from the clock, never an old small number


# ---------------------------------------------------------------------------------------------
# Last updated and the stale warning
# ---------------------------------------------------------------------------------------------


def stale_warning(html: str) -> str:
    found = re.search(r'<div class="stale-warning" role="status">(.*?)</div>', html, re.S)
    return re.sub(r"\s+", " ", found.group(1)) if found else ""


def test_last_updated_is_shown_in_the_users_time_zone(client, totals):
    finished = dt.datetime(2015, 10, 29, 1, 30, tzinfo=dt.UTC)
    RollupRun.objects.update(finished_at=finished)
    login(client, "cochair.nzl")  # New Zealand: UTC+13 on that day

    html = client.get(URL).content.decode()

    assert "Figures last updated <time" in html
    assert "29 Oct 2015, 14:30" in html
    assert stale_warning(html) == ""


def test_a_pending_rollup_shows_a_visible_stale_warning(client, totals):
    joint_operation = om.JointOperation.objects.get(slug="jpoa-2015")
    PendingRollup.objects.create(joint_operation=joint_operation,
                                 country=Country.objects.get(code="THA"))
    login(client, "secretariat")

    warning = stale_warning(client.get(URL).content.decode())

    assert "These figures may be out of date." in warning
    assert "Recent changes are still being added up: Thailand." in warning


def test_a_failed_rollup_warns_until_a_later_run_succeeds(client, totals):
    joint_operation = om.JointOperation.objects.get(slug="jpoa-2015")
    philippines = Country.objects.get(code="PHL")
    RollupRun.objects.create(joint_operation=joint_operation, country=philippines, scope="x",
                             outcome=RollupRun.Outcome.FAILED, finished_at=timezone.now(),
                             error="boom")
    login(client, "secretariat")

    assert "The last update failed for: Philippines." in stale_warning(
        client.get(URL).content.decode())

    rollups.rollup(joint_operation_id=joint_operation.pk, country_id=philippines.pk)
    assert stale_warning(client.get(URL).content.decode()) == ""


def test_before_any_rollup_the_page_says_the_figures_are_not_added_up(client, demo):
    login(client, "cochair.nzl")

    html = client.get(URL).content.decode()

    assert "The figures have not been added up yet." in html
    assert "No roll-up of the records has finished yet" in stale_warning(html)
    assert headline(html)["arrests"][0] == "0"


# ---------------------------------------------------------------------------------------------
# The statement's wording
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("value, expected", [
    (0, "0"), (7, "7"), (19, "19"), (20, "20"), (23, "over 20"), (70, "70"), (73, "over 70"),
    (485, "over 480"), (1204, "over 1,200"),
])
def test_statement_figure(value, expected):
    assert statement_figure(value) == expected


# ---------------------------------------------------------------------------------------------
# Through the real worker (CI; skipped with a reason when no broker is configured)
# ---------------------------------------------------------------------------------------------


def test_an_officers_edit_reaches_the_co_chairs_dashboard_through_the_real_worker(
        client, celery_worker_queue):
    from django.test import Client

    from operations.demo import demo_load
    from tests.reporting.test_rollups import thai_officer_edit

    demo_load()
    rollups.rollup()
    co_chair = Client()
    login(co_chair, "cochair.nzl")
    assert headline(co_chair.get(URL).content.decode())["arrests"][0] == "32"  # now cached

    # when the Thai officer saves 6 more arrests through the page
    thai_officer_edit(client, 6)

    # then, with no manual step, the worker's roll-up reaches the co-chair's (cached) page
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        html = co_chair.get(URL).content.decode()
        if headline(html)["arrests"][0] == "38":
            break
        time.sleep(0.5)
    assert headline(html)["arrests"][0] == "38"
    assert '<td class="numeric" data-metric="arrests">14</td>' in country_rows(html)["THA"]
    assert rollups.differences() == []


# ---------------------------------------------------------------------------------------------
# Enquiries by channel and how fast they are answered (statement paragraph 14)
# ---------------------------------------------------------------------------------------------


def test_enquiry_channels_and_answer_times_equal_a_raw_aggregate(client, totals):
    from django.db import connection

    login(client, "cochair.nzl")
    html = client.get(URL).content.decode()
    channels = chart_data(html, "enquiries-channel")
    response = chart_data(html, "enquiries-response")

    with connection.cursor() as cursor:
        cursor.execute("""
            SELECT c.name, e.channel, SUM(e.count)
            FROM operations_enquiryrecord e JOIN countries_country c ON c.id = e.country_id
            GROUP BY c.name, e.channel""")
        by_channel = {(name, channel): value for name, channel, value in cursor.fetchall()}
        cursor.execute("""
            SELECT c.name, AVG(e.answered_on - e.occurred_on)
            FROM operations_enquiryrecord e JOIN countries_country c ON c.id = e.country_id
            WHERE e.answered_on IS NOT NULL GROUP BY c.name""")
        days = {name: float(value) for name, value in cursor.fetchall()}

    assert channels["stacked"] is True
    labels = channels["labels"]
    for series in channels["series"]:
        for name, value in zip(labels, series["data"], strict=True):
            assert value == by_channel.get((name, series["key"]), 0), (name, series["key"])
    assert sum(sum(s["data"]) for s in channels["series"]) == sum(by_channel.values()) == 73
    [average] = [s for s in response["series"] if s["key"] == "days"]
    for name, value in zip(response["labels"], average["data"], strict=True):
        assert value == round(days[name], 1), name
    assert len(set(average["data"])) > 1  # the demo's countries answer at different speeds


def test_the_access_view_of_every_user_agrees_with_the_access_rules_it_batches(demo):
    # given every demo user, an administrator and a user whose memberships ended
    from countries import access

    ended = get_user_model().objects.get(username="officer.idn")
    ended.memberships.update(is_active=False)
    joint_operation = om.JointOperation.objects.get(slug="jpoa-2015")
    countries = list(Country.objects.filter(operations__joint_operation=joint_operation))
    users = list(get_user_model().objects.all())
    assert len(users) > 10 and len(countries) == 8

    for user in users:
        # when the dashboard works out what the user may open, once for every country
        view = access.countries_view(user, [c.pk for c in countries])

        # then it is what the rules say country by country, and the returns they follow
        followed = set(operations_policies.returns_visible(user, om.Operation.objects.filter(
            joint_operation=joint_operation)).values_list("country_id", flat=True))
        assert view.reads_every_country == access.can_read_country_records(user, None)
        assert view.readable_ids == {c.pk for c in countries
                                     if access.can_read_country_records(user, c.pk)}, user
        assert view.breakdown_ids == {c.pk for c in countries
                                      if access.can_view_country_breakdown(user, c.pk)}, user
        assert view.own_ids == {c.pk for c in countries if access.is_own_country(user, c.pk)}
        assert view.return_ids == followed, user
    assert not access.countries_view(ended, [c.pk for c in countries]).breakdown_ids
