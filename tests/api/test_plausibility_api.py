"""The API's answer to a figure outside its plausibility limits: 400 with a code to act on."""
from __future__ import annotations

from operations import models as om
from tests.api.test_records import arrest, list_url


def test_a_figure_above_the_hard_limit_is_refused_with_its_code_and_nothing_saved(api):
    before = om.ArrestRecord.objects.count()

    response = api("officer.tha").post(list_url(), arrest(count=2_147_483_647), format="json")

    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert error["fields"]["count"] == [
        "Number of arrests: at most 10,000 in one record. Enter each operation as its own record."]
    assert error["codes"] == {"count": ["too_large"]}
    assert om.ArrestRecord.objects.count() == before


def test_a_negative_count_gets_one_message(api):
    response = api("officer.tha").post(list_url(), arrest(count=-5), format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["count"] == [
        "Number of arrests: enter at least 1; a record counts something that happened."]


def test_an_unusual_figure_answers_code_unusual_then_saves_with_a_reason(api):
    client = api("officer.tha")
    before = om.ArrestRecord.objects.count()

    asked = client.post(list_url(), arrest(count=450), format="json")

    assert asked.status_code == 400
    error = asked.json()["error"]
    assert error["code"] == "unusual"
    assert error["codes"] == {"count": ["unusual"]}
    assert error["fields"]["count"][0].startswith("Unusually large for one record: 450 arrests")
    assert om.ArrestRecord.objects.count() == before

    saved = client.post(list_url(), arrest(count=450, unusual_reason="One port raid."),
                        format="json")

    assert saved.status_code == 201, saved.json()
    assert saved.json()["unusual_reason"] == "One port raid."
    assert om.ArrestRecord.objects.get(pk=saved.json()["id"]).unusual_reason == "One port raid."
