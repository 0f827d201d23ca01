"""Two people saving the same record: the second save is a conflict and the first's values survive.

The parallel tests run real threads, each with its own PostgreSQL connection, through the
service the pages and the API use (``services.record_update`` with the version read).
"""
from __future__ import annotations

import json
import re
import threading

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse

from operations import models as om
from operations import services
from tests.api.conftest import token_client
from tests.counters import CASES
from tests.operations.test_record_pages import field_error, form_values


@pytest.fixture(autouse=True)
def counts_as_large_as_the_races_need(settings):
    """The races count arrests up past the soft bound; here they are figures, not typos."""
    settings.PLAUSIBILITY_LIMITS = {"arrests.count": {"soft": 10_000}}

THREADS = 50  # parallel conflicting edits of one record (issue 10: "50 parallel edits")
HTTP_THREADS = 20  # a sample through the pages and the API: 10 form posts, 10 API PATCHes


def logged_in(username: str) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.get(username=username))
    return client


def thai_rtp_arrest() -> om.ArrestRecord:
    return om.ArrestRecord.objects.filter(country__code="THA", agency__acronym="RTP").first()


def test_second_save_of_two_sessions_gets_a_conflict_and_the_first_values_survive(demo):
    # given an officer and the focal point, both with the same record's edit page open
    record = thai_rtp_arrest()
    url = reverse("operations:record_update", args=["arrests", record.pk])
    officer, focal = logged_in("officer.tha"), logged_in("focal.tha")
    officer_form = form_values(officer.get(url).content.decode(), url)
    focal_form = form_values(focal.get(url).content.decode(), url)
    assert officer_form["version"] == focal_form["version"] == "1"
    assert record.count not in (5, 7) and record.sector != "farming"
    original_sector = om.Sector(record.sector).label

    # when the officer saves first, then the focal point
    first = officer.post(url, {**officer_form, "count": "5", "sector": "farming"})
    second = focal.post(url, {**focal_form, "count": "7", "crime_type": "smuggling"})

    # then the first save went through and the second is a conflict
    assert first.status_code == 302
    assert second.status_code == 409
    record.refresh_from_db()
    assert (record.count, record.sector, record.version) == (5, "farming", 2)
    assert record.crime_type == officer_form["crime_type"]

    # and the page shows what is saved now next to what the focal point typed
    html = second.content.decode()
    assert "Someone else saved this record while you were editing it." in html
    conflict = html[html.index('<div class="conflict"'):html.index("</table>")]
    assert conflict_row(conflict, "People arrested") == ("5", "7")
    assert conflict_row(conflict, "Sector") == ("Farming", original_sector)
    retyped = form_values(html, url)
    assert (retyped["count"], retyped["crime_type"]) == ("7", "smuggling")
    assert retyped["version"] == "2"
    assert field_error(html, "count") == ""

    # when the focal point saves again from the conflict page ("mine over theirs")
    again = focal.post(url, retyped)

    # then the focal point's values are saved on top of the officer's
    assert again.status_code == 302
    record.refresh_from_db()
    assert (record.count, record.crime_type, record.version) == (7, "smuggling", 3)


def conflict_row(conflict_html: str, label: str) -> tuple[str, str]:
    """(saved now, your values) of one field in the conflict table."""
    match = re.search(
        rf'<th scope="row">{label}(?: <span class="badge">differs</span>)?</th>'
        rf"<td>([^<]*)</td><td>([^<]*)</td>", conflict_html,
    )
    assert match, f"no row for {label}"
    return match.group(1), match.group(2)


def test_htmx_conflict_returns_the_row_form_with_409(demo):
    # given
    record = thai_rtp_arrest()
    url = reverse("operations:record_update", args=["arrests", record.pk])
    officer, focal = logged_in("officer.tha"), logged_in("focal.tha")
    htmx = {"HTTP_HX_REQUEST": "true"}
    officer_form = form_values(officer.get(url, **htmx).content.decode(), url)
    focal_form = form_values(focal.get(url, **htmx).content.decode(), url)

    # when
    assert officer.post(url, {**officer_form, "count": "5"}, **htmx).status_code == 200
    second = focal.post(url, {**focal_form, "count": "7"}, **htmx)

    # then
    html = second.content.decode()
    assert second.status_code == 409
    assert html.startswith(f'<tr id="record-{record.pk}" class="editing">')
    assert "Someone else saved this record" in html
    assert form_values(html, url)["count"] == "7"
    record.refresh_from_db()
    assert (record.count, record.version) == (5, 2)


def run_together(count: int, work) -> list[object]:
    """Run ``work(index)`` in ``count`` threads released at the same moment; their outcomes.

    Each thread has its own database connection (closed at the end); an exception is the
    outcome of its thread, for the assertions to report.
    """
    start = threading.Barrier(count)
    outcomes: list[object] = [None] * count

    def run(index: int) -> None:
        try:
            start.wait(timeout=60)
            outcomes[index] = work(index)
        except Exception as error:  # noqa: BLE001 - reported by the assertions
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


def test_concurrent_updates_from_one_version_let_exactly_one_through(transactional_db, demo):
    # given one record and fifty sessions that all opened it at version 1
    record = thai_rtp_arrest()
    officer = get_user_model().objects.get(username="officer.tha")

    def save(index: int) -> object:
        try:
            services.record_update(actor=officer, record=record,
                                   data={"count": 100 + index}, version=1)
            return "saved"
        except services.RecordConflict as conflict:
            return conflict

    # when they all save at once, each in its own thread and database connection
    outcomes = run_together(THREADS, save)

    # then exactly one save went through and every other one saw its result as a conflict
    winners = [i for i, outcome in enumerate(outcomes) if outcome == "saved"]
    conflicts = [o for o in outcomes if isinstance(o, services.RecordConflict)]
    assert len(winners) == 1, outcomes
    assert len(conflicts) == THREADS - 1, outcomes
    assert all(c.current.version == 2 and c.current.count == 100 + winners[0] for c in conflicts)
    record.refresh_from_db()
    assert (record.version, record.count) == (2, 100 + winners[0])
    assert om.ArrestRecordEvent.objects.filter(pgh_obj_id=record.pk, pgh_label="update").count() == 1
    print(f"\nconcurrency: {THREADS} parallel conflicting edits, 1 saved, "
          f"{len(conflicts)} conflicts, 0 lost updates")
    CASES["concurrency (parallel conflicting edits)"] += THREADS


def test_fifty_editors_who_retry_on_conflict_lose_no_update(transactional_db, demo):
    # given one record, and fifty officers who each add one person to its count: on a conflict
    # they read the record again and reapply their change, as the conflict page lets them
    record = thai_rtp_arrest()
    initial = record.count
    officer = get_user_model().objects.get(username="officer.tha")
    conflicts = [0] * THREADS

    def add_one(index: int) -> int:
        for _attempt in range(10 * THREADS):
            current = om.ArrestRecord.objects.get(pk=record.pk)
            try:
                services.record_update(actor=officer, record=current,
                                       data={"count": current.count + 1}, version=current.version)
                return current.version + 1
            except services.RecordConflict:
                conflicts[index] += 1
        raise AssertionError(f"editor {index} never got through")

    # when they all save at once
    outcomes = run_together(THREADS, add_one)

    # then every one of the fifty additions is in the record: none was lost or applied twice
    assert all(isinstance(o, int) for o in outcomes), outcomes
    assert sorted(outcomes) == list(range(2, THREADS + 2))  # each save made its own version
    record.refresh_from_db()
    assert (record.count, record.version) == (initial + THREADS, 1 + THREADS)
    updates = om.ArrestRecordEvent.objects.filter(pgh_obj_id=record.pk, pgh_label="update")
    assert sorted(updates.values_list("count", flat=True)) == list(
        range(initial + 1, initial + THREADS + 1))
    assert sum(conflicts) > 0  # they did collide: the version check, not luck, kept them all
    print(f"\nconcurrency: {THREADS} editors retrying on conflict, {sum(conflicts)} conflicts "
          f"seen, {THREADS} of {THREADS} updates kept, 0 lost")
    CASES["concurrency (editors retrying on conflict)"] += THREADS


def test_parallel_saves_through_the_pages_and_the_api_get_the_conflict_responses(
        transactional_db, demo):
    # given one record opened at version 1 in ten browser sessions and by ten API clients
    record = thai_rtp_arrest()
    page = reverse("operations:record_update", args=["arrests", record.pk])
    api = f"/api/v1/records/arrests/{record.pk}/"
    browsers = [Client() for _ in range(HTTP_THREADS // 2)]
    for browser in browsers:
        browser.force_login(get_user_model().objects.get(username="officer.tha"))
    form = form_values(browsers[0].get(page).content.decode(), page)
    assert form["version"] == "1"
    api_clients = [token_client("officer.tha", name=f"concurrency {i}")
                   for i in range(HTTP_THREADS // 2)]

    def save(index: int):
        count = 200 + index
        if index % 2 == 0:
            return "page", count, browsers[index // 2].post(page, {**form, "count": str(count)})
        return "api", count, api_clients[index // 2].patch(
            api, {"count": count, "version": 1}, format="json")

    # when all twenty save at once
    outcomes = run_together(HTTP_THREADS, save)

    # then exactly one save went through; every other one got its channel's conflict answer
    assert all(isinstance(o, tuple) for o in outcomes), outcomes
    saved = [(channel, count) for channel, count, response in outcomes
             if response.status_code in (200, 302)]
    assert len(saved) == 1, [(c, r.status_code) for c, _n, r in outcomes]
    [(_channel, winning_count)] = saved
    for channel, _count, response in outcomes:
        if response.status_code in (200, 302):
            continue
        assert response.status_code == 409, (channel, response.status_code)
        if channel == "page":
            html = response.content.decode()
            assert "Someone else saved this record while you were editing it." in html
            assert form_values(html, page)["version"] == "2"
        else:
            error = json.loads(response.content)["error"]
            assert error["code"] == "version_conflict"
            assert (error["current"]["count"], error["current"]["version"]) == (winning_count, 2)
    record.refresh_from_db()
    assert (record.count, record.version) == (winning_count, 2)
    print(f"\nconcurrency: {HTTP_THREADS} parallel saves through the pages and the API, 1 saved, "
          f"{HTTP_THREADS - 1} conflict responses")
    CASES["concurrency (parallel page and API saves)"] += HTTP_THREADS
