"""The record list's CSV download: scope, filters, content, streaming and the access log."""
from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from countries.models import AccessEvent, Country
from operations import models as om
from operations import record_csv
from operations.records import KINDS


def export_url(slug: str = "arrests") -> str:
    return reverse("operations:record_export_csv", args=[slug])


def read_csv(response) -> list[dict]:
    assert response.status_code == 200, response.content[:500]
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


def expected_row(kind, record) -> dict:
    """One record as the export should write it, read field by field from the model."""
    row = {
        "id": str(record.pk),
        "joint_operation": record.operation.joint_operation.slug,
        "country": record.country.code,
        "occurred_on": record.occurred_on.isoformat(),
        "agency": record.agency.acronym or record.agency.name,
    }
    for name in kind.entry_fields[2:]:
        value = getattr(record, name)
        if isinstance(value, Country):
            value = value.code
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        row[name] = "" if value is None else str(value)
    return row


def test_content_equals_the_database(client, world):
    # given: the administrator reads every record; text with commas, quotes and a line break
    client.force_login(world.users["admin"])
    report = om.IntelligenceReport.objects.order_by("pk").first()
    report.modus_operandi = 'Recruited "online", then moved\nby boat; paid in cash'
    report.save()
    for kind in KINDS:
        # when
        rows = read_csv(client.get(export_url(kind.slug)))
        # then: one row per record, newest first as on the list page, every column as stored
        records = kind.model.objects.select_related(
            "operation__joint_operation", "country", "agency").order_by("-occurred_on", "-id")
        assert rows == [expected_row(kind, record) for record in records], kind.slug
        assert list(rows[0]) == [column.header for column in record_csv.export_columns(kind)]


def test_another_countrys_records_never_appear(client, world):
    # given: a Thai officer; one Australian record is shared with Thailand, the rest are not
    client.force_login(world.users["officer"])
    # when
    rows = read_csv(client.get(export_url()))
    # then: Thailand's records and the one shared with Thailand, nothing else
    thailand = om.ArrestRecord.objects.filter(country__code="THA")
    assert {int(row["id"]) for row in rows} == {*thailand.values_list("pk", flat=True),
                                                world.shared_in.pk}
    assert world.other.pk not in {int(row["id"]) for row in rows}
    assert {row["country"] for row in rows} == {"THA", "AUS"}


@pytest.mark.parametrize("slug", ["intelligence", "victims-assisted", "suspects"])
def test_sensitive_types_stay_in_their_country(client, world, slug):
    client.force_login(world.users["officer_foreign"])  # Australia
    rows = read_csv(client.get(export_url(slug)))
    assert rows
    assert {row["country"] for row in rows} == {"AUS"}


def test_users_without_a_membership_get_only_the_header(client, world):
    client.force_login(world.users["no_membership"])
    response = client.get(export_url())
    assert read_csv(response) == []


def test_co_chairs_read_totals_not_records(client, world):
    client.force_login(world.users["co_chair"])
    assert read_csv(client.get(export_url("intelligence"))) == []


def test_the_list_filters_and_sort_apply(client, world):
    client.force_login(world.users["focal_point"])  # Thailand
    rtp = om.ArrestRecord.objects.filter(country__code="THA", agency__acronym="RTP").first().agency
    query = {"agency": rtp.pk, "occurred_from": "2015-10-01", "occurred_to": "2015-10-28",
             "sector": "fishing", "sort": "date"}
    rows = read_csv(client.get(export_url(), query))
    expected = om.ArrestRecord.objects.filter(
        country__code="THA", agency=rtp, sector="fishing",
        occurred_on__range=("2015-10-01", "2015-10-28")).order_by("occurred_on", "-pk")
    assert expected.exists()
    assert [int(row["id"]) for row in rows] == list(expected.values_list("pk", flat=True))


def test_a_country_filter_outside_the_users_scope_is_refused(client, world):
    client.force_login(world.users["officer"])  # Thailand
    response = client.get(export_url(), {"country": "AUS"})
    assert response.status_code == 400
    assert b"country" in response.content


def test_an_invalid_filter_is_refused_rather_than_ignored(client, world):
    client.force_login(world.users["officer"])
    response = client.get(export_url(), {"occurred_from": "not a date"})
    assert response.status_code == 400


def test_rows_are_streamed_in_chunks(client, world, monkeypatch):
    # given: chunks of two rows, so the victims' export takes several fetches of the cursor
    monkeypatch.setattr(record_csv, "CHUNK_ROWS", 2)
    client.force_login(world.users["admin"])
    response = client.get(export_url("victims-assisted"))
    chunks = list(response.streaming_content)
    # then: a header chunk, then one chunk per two rows
    count = om.VictimAssistanceRecord.objects.count()
    assert count > 4
    assert len(chunks) == 1 + (count + 1) // 2
    assert sum(chunk.count(b"\r\n") for chunk in chunks) == count + 1


def test_the_export_costs_the_same_queries_whatever_the_rows(client, world,
                                                               django_assert_max_num_queries):
    client.force_login(world.users["admin"])
    with django_assert_max_num_queries(12):
        b"".join(client.get(export_url("victims-assisted")).streaming_content)


def test_every_export_is_in_the_access_log(client, world):
    client.force_login(world.users["officer"])
    read_csv(client.get(export_url("intelligence")))
    event = AccessEvent.objects.filter(kind=AccessEvent.Kind.EXPORT).latest("pk")
    assert event.user == world.users["officer"]
    assert event.path == export_url("intelligence")


def test_anonymous_visitors_are_sent_to_log_in(client, db):
    response = client.get(export_url())
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_unknown_record_type_is_404(client, world):
    client.force_login(world.users["officer"])
    assert client.get("/records/no-such-type/export.csv").status_code == 404


def test_the_list_page_links_to_the_export_with_its_filters(client, world):
    client.force_login(world.users["officer"])
    url = reverse("operations:record_list", args=["arrests"])
    page = client.get(url, {"sector": "fishing", "page": "1"}).content.decode()
    assert f'href="{export_url()}?sector=fishing"' in page
    plain = client.get(url).content.decode()
    assert f'href="{export_url()}"' in plain
