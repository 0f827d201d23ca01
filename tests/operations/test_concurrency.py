"""Two people saving the same record: the second save is a conflict and the first's values survive."""
from __future__ import annotations

import re
import threading

from django.contrib.auth import get_user_model
from django.db import connection
from django.test import Client
from django.urls import reverse

from operations import models as om
from operations import services
from tests.operations.test_record_pages import field_error, form_values

THREADS = 8


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


def test_concurrent_updates_from_one_version_let_exactly_one_through(transactional_db, demo):
    # given one record and eight sessions that all opened it at version 1
    record = thai_rtp_arrest()
    officer = get_user_model().objects.get(username="officer.tha")
    start = threading.Barrier(THREADS)
    outcomes: list[object] = [None] * THREADS

    def save(index: int) -> None:
        try:
            start.wait(timeout=30)
            services.record_update(actor=officer, record=record,
                                   data={"count": 100 + index}, version=1)
            outcomes[index] = "saved"
        except services.RecordConflict as conflict:
            outcomes[index] = conflict
        except Exception as error:  # noqa: BLE001 - reported by the assertions below
            outcomes[index] = error
        finally:
            connection.close()

    # when they all save at once, each in its own thread and database connection
    threads = [threading.Thread(target=save, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # then exactly one save went through and every other one saw its result as a conflict
    assert not any(thread.is_alive() for thread in threads)
    winners = [i for i, outcome in enumerate(outcomes) if outcome == "saved"]
    conflicts = [o for o in outcomes if isinstance(o, services.RecordConflict)]
    assert len(winners) == 1, outcomes
    assert len(conflicts) == THREADS - 1, outcomes
    assert all(c.current.version == 2 and c.current.count == 100 + winners[0] for c in conflicts)
    record.refresh_from_db()
    assert (record.version, record.count) == (2, 100 + winners[0])
    assert om.ArrestRecordEvent.objects.filter(pgh_obj_id=record.pk, pgh_label="update").count() == 1
