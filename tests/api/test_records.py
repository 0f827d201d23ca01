"""Outcome records through the API: entry, reading, changes, conflicts, the return lock, scope."""
from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from countries.models import Agency
from operations import models as om
from operations.records import KINDS
from operations.services import country_return_submit, record_update
from tests.api.conftest import token_client
from tests.counters import CASES
from tests.world import MISSING_ID


def list_url(slug: str = "arrests") -> str:
    return reverse(f"api:{slug}-list")


def detail_url(record, slug: str = "arrests") -> str:
    return reverse(f"api:{slug}-detail", args=[record if isinstance(record, int) else record.pk])


def arrest(**changes) -> dict:
    return {"occurred_on": "2015-10-05", "agency": Agency.objects.get(acronym="RTP").pk,
            "count": 2, "crime_type": "trafficking", "sector": "fishing", **changes}


def thai_arrest(acronym: str = "RTP") -> om.ArrestRecord:
    return om.ArrestRecord.objects.filter(country__code="THA", agency__acronym=acronym).order_by("pk").first()


def test_an_officer_enters_an_arrest_with_a_token_and_reads_it_back(api):
    # given officer.tha's token
    client = api("officer.tha")

    # when they post an arrest
    response = client.post(list_url(), arrest(), format="json")

    # then it is created in Thailand's operation, entered by them, at version 1
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["country"] == "THA"
    assert body["joint_operation"] == "jpoa-2015"
    assert body["created_by"] == "officer.tha"
    assert body["version"] == 1
    assert response["Location"] == detail_url(body["id"])
    record = om.ArrestRecord.objects.get(pk=body["id"])
    assert (record.count, record.sector, record.created_by) == (2, "fishing", client.user)
    # and the audit trail names the token's user, as for a page
    event = om.ArrestRecordEvent.objects.get(pgh_obj_id=record.pk, pgh_label="insert")
    assert event.pgh_context.metadata["user"] == client.user.pk
    # and reading it back gives the same representation
    assert client.get(detail_url(record)).json() == body


def test_times_are_given_in_utc(api):
    body = api("officer.tha").get(detail_url(thai_arrest())).json()
    assert body["created_at"].endswith("Z")


def test_a_bad_value_is_refused_with_a_message_naming_its_field(api):
    client = api("officer.tha")
    before = om.ArrestRecord.objects.count()

    response = client.post(list_url(), arrest(count=0, crime_type="piracy"), format="json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["fields"]["count"] == [
        "Number of arrests: enter at least 1; a record counts something that happened."]
    assert "crime_type" in error["fields"]
    assert om.ArrestRecord.objects.count() == before


def test_the_services_rules_answer_by_field_too(api):
    # The date check lives in the services (the model's validation): its message names the field.
    response = api("officer.tha").post(list_url(), arrest(occurred_on="2015-12-01"), format="json")

    assert response.status_code == 400
    assert "2015-09-28 to 2015-10-28" in response.json()["error"]["fields"]["occurred_on"][0]


def test_an_unknown_field_is_refused_rather_than_ignored(api):
    response = api("officer.tha").post(list_url(), arrest(sectr="fishing"), format="json")

    assert response.status_code == 400
    assert "sectr" in response.json()["error"]["fields"]


def test_another_countrys_agency_is_not_offered(api):
    response = api("officer.tha").post(
        list_url(), arrest(agency=Agency.objects.get(acronym="AFP").pk), format="json")

    assert response.status_code == 400
    assert "agency" in response.json()["error"]["fields"]


def test_nationality_is_checked_against_iso_3166_in_any_letter_case(api):
    client = api("focal.tha")
    victims = {"occurred_on": "2015-10-05", "agency": Agency.objects.get(acronym="DSI").pk,
               "count": 3, "sex": "female", "age_band": "12-17", "exploitation_type": "labour",
               "sector": "fishing"}
    url = list_url("victims-assisted")

    assert client.post(url, {**victims, "nationality": "mmr"}, format="json").json()["nationality"] == "MMR"
    refused = client.post(url, {**victims, "nationality": "XXX"}, format="json")
    assert refused.status_code == 400
    assert "nationality" in refused.json()["error"]["fields"]


def test_another_countrys_record_is_a_404_exactly_like_a_missing_one(api):
    client = api("officer.tha")
    missing = client.get(detail_url(MISSING_ID))
    assert missing.status_code == 404
    # enquiries other countries sent to Thailand: Thailand reads them to answer them
    addressed = set(om.EnquiryRecord.objects.filter(counterpart__code="THA").values_list("pk", flat=True))
    tried = 0
    for kind in KINDS:
        foreign = kind.model.objects.exclude(country__code="THA")
        if kind.model is om.EnquiryRecord:
            foreign = foreign.exclude(pk__in=addressed)
        for pk in foreign.values_list("pk", flat=True):
            response = client.get(detail_url(pk, kind.slug))
            tried += 1
            CASES["API IDOR sweep (foreign ids)"] += 1
            assert response.status_code == 404, (kind.slug, pk)
            assert response.content == missing.content
        # and changing or deleting one is the same 404
        foreign = foreign.first()
        assert client.patch(detail_url(foreign, kind.slug), {"version": 1},
                            format="json").content == missing.content
        assert client.delete(f"{detail_url(foreign, kind.slug)}?version=1").content == missing.content
    assert tried > 100


@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.slug)
def test_lists_hold_only_the_callers_countrys_records(api, kind):
    client = api("officer.tha")

    body = client.get(list_url(kind.slug), {"page_size": 500}).json()

    listed = {row["id"] for row in body["results"]}
    expected = set(kind.model.objects.filter(country__code="THA").values_list("pk", flat=True))
    if kind.model is om.EnquiryRecord:  # sent to Thailand: read to be answered
        expected |= set(om.EnquiryRecord.objects.filter(counterpart__code="THA").values_list(
            "pk", flat=True))
    assert listed == expected
    assert body["count"] == len(listed)
    assert all(row["from_another_country"] == (row["country"] != "THA") for row in body["results"])


def test_a_record_one_may_read_but_not_change_is_404_for_changes(api):
    # officer2.tha works for IMM: RTP's records are readable, not changeable (as on the pages)
    client = api("officer2.tha")
    record = thai_arrest("RTP")

    assert client.get(detail_url(record)).status_code == 200
    assert client.patch(detail_url(record), {"count": 9, "version": record.version},
                        format="json").status_code == 404
    assert client.delete(f"{detail_url(record)}?version={record.version}").status_code == 404
    record.refresh_from_db()
    assert record.count != 9


def test_a_change_made_on_an_old_version_is_a_409_with_the_current_record(api):
    # given the record read at version 1, then changed by the focal point
    client = api("officer.tha")
    record = thai_arrest()
    read = client.get(detail_url(record)).json()
    record_update(actor=api("focal.tha").user, record=record, data={"count": 7},
                  version=read["version"])

    # when the officer saves their change made on version 1
    response = client.patch(detail_url(record), {"count": 3, "version": read["version"]},
                            format="json")

    # then nothing is written, and the answer carries what is saved now
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "version_conflict"
    assert error["current"]["count"] == 7
    assert error["current"]["version"] == read["version"] + 1
    record.refresh_from_db()
    assert record.count == 7

    # and saving again on the current version goes through
    again = client.patch(detail_url(record), {"count": 3, "version": error["current"]["version"]},
                         format="json")
    assert again.status_code == 200
    assert again.json()["count"] == 3
    assert again.json()["version"] == error["current"]["version"] + 1


def test_a_change_without_a_version_is_refused(api):
    response = api("officer.tha").patch(detail_url(thai_arrest()), {"count": 3}, format="json")

    assert response.status_code == 400
    assert "version" in response.json()["error"]["fields"]


def test_put_replaces_the_entered_fields(api):
    client = api("officer.tha")
    record = thai_arrest()

    response = client.put(detail_url(record), arrest(count=5, sector="", version=record.version),
                          format="json")

    assert response.status_code == 200, response.json()
    record.refresh_from_db()
    assert (record.count, record.sector, record.version) == (5, "", 2)


def test_a_record_read_can_be_sent_back_whole_with_a_change(api):
    # The read-only fields of the representation are ignored, not refused: a round trip works.
    client = api("officer.tha")
    record = thai_arrest()
    read = client.get(detail_url(record)).json()

    response = client.put(detail_url(record), {**read, "count": 11}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["count"] == 11


def test_deleting_needs_the_version_and_then_deletes(api):
    client = api("officer.tha")
    record = thai_arrest()

    assert client.delete(detail_url(record)).status_code == 400
    stale = client.delete(f"{detail_url(record)}?version={record.version + 1}")
    assert stale.status_code == 409
    assert stale.json()["error"]["current"]["id"] == record.pk
    assert client.delete(f"{detail_url(record)}?version={record.version}").status_code == 204
    assert not om.ArrestRecord.objects.filter(pk=record.pk).exists()
    assert client.get(detail_url(record)).status_code == 404


def test_a_record_cannot_move_to_another_country(api):
    client = api("focal.tha")
    record = thai_arrest()

    response = client.patch(detail_url(record), {"version": record.version,
                                                 "agency": Agency.objects.get(acronym="AFP").pk},
                            format="json")

    assert response.status_code == 400
    record.refresh_from_db()
    assert record.country.code == "THA"


def test_while_the_return_is_not_open_writes_answer_409_as_on_the_pages(api):
    # given the Philippines' return, submitted in the demo
    client = api("officer.phl")
    pnp = Agency.objects.get(acronym="PNP")
    record = om.ArrestRecord.objects.filter(country__code="PHL", agency=pnp).first()

    created = client.post(list_url(), arrest(agency=pnp.pk), format="json")
    changed = client.patch(detail_url(record), {"count": 9, "version": record.version},
                           format="json")
    deleted = client.delete(f"{detail_url(record)}?version={record.version}")

    for response in (created, changed, deleted):
        assert response.status_code == 409
        error = response.json()["error"]
        assert error["code"] == "return_locked"
        assert "Ask the secretariat to reopen it" in error["message"]
    record.refresh_from_db()
    assert record.count != 9


def test_a_return_submitted_after_reading_locks_the_record(api):
    client = api("officer.tha")
    record = thai_arrest()
    country_return = om.CountryReturn.objects.get(country__code="THA")
    country_return_submit(actor=api("focal.tha").user, country_return=country_return)

    response = client.patch(detail_url(record), {"count": 9, "version": record.version},
                            format="json")

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "return_locked"


def test_lists_filter_sort_and_page_without_repeating_a_row(api):
    client = api("focal.tha")
    rtp = Agency.objects.get(acronym="RTP")
    for count in (1, 1, 1, 2, 2):  # ties on the sort column
        client.post(list_url(), arrest(count=count, sector="fishing", agency=rtp.pk), format="json")
    expected = set(om.ArrestRecord.objects.filter(
        country__code="THA", sector="fishing", agency=rtp).values_list("pk", flat=True))

    seen, page = [], 1
    while True:
        body = client.get(list_url(), {"sector": "fishing", "agency": rtp.pk,
                                       "ordering": "count", "page_size": 2, "page": page}).json()
        seen += [row["id"] for row in body["results"]]
        counts = [row["count"] for row in body["results"]]
        assert counts == sorted(counts)
        if body["next"] is None:
            break
        page += 1

    assert len(seen) == len(set(seen)) == len(expected)
    assert set(seen) == expected
    dated = client.get(list_url(), {"occurred_from": "2015-10-06", "occurred_to": "2015-10-10"}).json()
    assert all("2015-10-06" <= row["occurred_on"] <= "2015-10-10" for row in dated["results"])
    assert client.get(list_url(), {"agency": "1.5"}).status_code == 400
    assert client.get(list_url(), {"sector": "mining"}).status_code == 400


def test_intelligence_text_is_in_the_record_not_the_list_and_reading_it_is_logged(api):
    from countries.models import AccessEvent

    client = api("officer.tha")
    report = om.IntelligenceReport.objects.filter(country__code="THA").first()

    listed = client.get(list_url("intelligence")).json()["results"][0]
    read = client.get(detail_url(report, "intelligence")).json()

    assert "modus_operandi" not in listed
    assert read["modus_operandi"] == report.modus_operandi
    logged = AccessEvent.objects.filter(kind=AccessEvent.Kind.READ, object_id=str(report.pk))
    assert logged.filter(user=client.user, path=detail_url(report, "intelligence")).count() == 1


def test_a_record_shared_with_the_callers_country_is_listed_and_marked(world):
    client = token_client("officer.tha")

    body = client.get(list_url(), {"country": "AUS"}).json()

    assert [row["id"] for row in body["results"]] == [world.shared_in.pk]
    assert body["results"][0]["from_another_country"] is True
    # view-only: not changeable
    assert client.patch(detail_url(world.shared_in), {"version": 1},
                        format="json").status_code == 404


def test_the_session_works_too_and_needs_the_csrf_token_for_writes(demo):
    from django.contrib.auth import get_user_model

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(get_user_model().objects.get(username="officer.tha"))

    assert client.get(list_url()).status_code == 200
    refused = client.post(list_url(), arrest(), format="json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["error"]["message"]


def test_without_a_membership_there_is_nothing_to_see(db, demo):
    from django.contrib.auth import get_user_model

    get_user_model().objects.create_user("nobody", password="jpoa-demo-2015")
    client = token_client("nobody")

    assert client.get(list_url()).json()["count"] == 0
    assert client.get(detail_url(thai_arrest())).status_code == 404
    assert client.post(list_url(), arrest(), format="json").status_code == 400
