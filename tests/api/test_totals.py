"""Totals through the API: the roll-up's figures, by region, country and dimension."""
from __future__ import annotations

import pytest
from django.urls import reverse

from reporting import rollups

URL = reverse("api:totals")

# The co-chairs' statement, paragraph 8: the demo's regional totals.
PARAGRAPH_8 = {
    "victims_assisted": 59, "search_warrants": 7, "suspects_identified": 63, "arrests": 32,
    "investigations": 8, "enquiries": 73, "awareness_activities": 68, "training_sessions": 12,
    "officers_trained": 485,
}


@pytest.fixture
def rolled_up(demo):
    rollups.rollup()


def figures(body: dict) -> dict:
    return {(row["country"], row["metric"], row["member"]): row["value"] for row in body["results"]}


@pytest.mark.parametrize("username", ["officer.tha", "cochair.nzl", "secretariat"])
def test_the_regional_totals_are_the_statements_for_every_member(api, rolled_up, username):
    response = api(username).get(URL)

    assert response.status_code == 200
    body = response.json()
    values = {metric: value for (_c, metric, _m), value in figures(body).items()}
    assert {k: values[k] for k in PARAGRAPH_8} == PARAGRAPH_8
    assert body["joint_operation"] == "jpoa-2015"
    assert body["last_updated"] is not None
    assert len(body["countries"]) == 8


def test_accepted_values_count_only_accepted_returns(api, rolled_up):
    body = api("secretariat").get(URL, {"metric": "arrests", "by_country": "true"}).json()

    accepted = {c["code"] for c in body["countries"] if c["return_state"] == "accepted"}
    for row in body["results"]:
        assert row["accepted_value"] == (row["value"] if row["country"] in accepted else 0)
    assert sum(row["value"] for row in body["results"]) == 32


def test_one_countrys_totals_are_open_to_every_member(api, rolled_up):
    body = api("officer.tha").get(URL, {"country": "aus", "metric": "arrests"}).json()

    assert [row["country"] for row in body["results"]] == ["AUS"]
    assert body["country"] == "AUS"


def test_a_country_without_an_operation_has_zeros_not_an_error(api, rolled_up):
    body = api("officer.tha").get(URL, {"country": "MMR", "metric": "arrests"}).json()

    assert body["countries"] == []
    assert [(row["country"], row["value"]) for row in body["results"]] == [("MMR", 0)]


def test_a_breakdown_lists_every_member_and_adds_up_to_the_total(api, rolled_up):
    body = api("officer.tha").get(URL, {"metric": "victims_assisted",
                                        "dimension": "exploitation_type"}).json()

    members = [row["member"] for row in body["results"]]
    assert members[:3] == ["sexual", "labour", "other"]
    assert sum(row["value"] for row in body["results"]) == 59
    assert body["results"][0]["member_label"] == "Sexual exploitation"


def test_own_countrys_breakdown_yes_another_countrys_no(api, rolled_up):
    client = api("officer.tha")

    own = client.get(URL, {"country": "THA", "dimension": "sector"})
    other = client.get(URL, {"country": "AUS", "dimension": "sector"})
    every = client.get(URL, {"by_country": "true", "dimension": "sector"})

    assert own.status_code == 200
    assert other.status_code == every.status_code == 403
    assert api("cochair.nzl").get(URL, {"country": "AUS", "dimension": "sector"}).status_code == 200


def test_a_figure_not_broken_down_that_way_is_a_400_saying_how_it_is(api, rolled_up):
    response = api("officer.tha").get(URL, {"metric": "enquiries", "dimension": "sector"})

    assert response.status_code == 400
    assert "channel" in response.json()["error"]["fields"]["dimension"][0]


def test_unknown_filters_are_400_naming_the_parameter(api, rolled_up):
    client = api("officer.tha")
    for params, field in (({"country": "ZZZ"}, "country"), ({"metric": "bananas"}, "metric"),
                          ({"joint_operation": "no-such"}, "joint_operation")):
        response = client.get(URL, params)
        assert response.status_code == 400
        assert field in response.json()["error"]["fields"]


def test_without_a_membership_there_are_no_figures(db, demo):
    from django.contrib.auth import get_user_model

    from tests.api.conftest import token_client

    get_user_model().objects.create_user("nobody", password="jpoa-demo-2015")

    assert token_client("nobody").get(URL).status_code == 403
