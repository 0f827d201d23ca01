"""Country returns through the API: reading them and the submit / accept / reopen workflow."""
from __future__ import annotations

import pytest
from django.urls import reverse

from operations import models as om


def url(name: str, code: str, slug: str = "jpoa-2015") -> str:
    return reverse(f"api:return-{name}", args=[slug, code])


def test_the_workflow_open_submitted_accepted_reopened(api):
    focal, secretariat = api("focal.tha"), api("secretariat")

    submitted = focal.post(url("submit", "THA"))
    assert submitted.status_code == 200
    assert submitted.json()["state"] == "submitted"
    assert submitted.json()["submitted_by"] == "focal.tha"

    accepted = secretariat.post(url("accept", "THA"))
    assert accepted.json()["state"] == "accepted"
    assert accepted.json()["accepted_by"] == "secretariat"

    reopened = secretariat.post(url("reopen", "THA"), {"reason": "Two arrests entered twice."},
                                format="json")
    assert reopened.json()["state"] == "open"
    assert reopened.json()["reopen_reason"] == "Two arrests entered twice."
    assert om.CountryReturn.objects.get(country__code="THA").state == "open"


def test_a_transition_from_the_wrong_state_is_a_409(api):
    response = api("secretariat").post(url("accept", "THA"))  # Thailand's is open

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "wrong_state"


def test_reopening_needs_a_reason(api):
    response = api("secretariat").post(url("reopen", "AUS"), {"reason": "  "}, format="json")

    assert response.status_code == 400
    assert response.json()["error"]["fields"]["reason"] == ["Say why the return is reopened."]
    assert om.CountryReturn.objects.get(country__code="AUS").state == "accepted"


@pytest.mark.parametrize("username", ["officer.tha", "cochair.nzl", "secretariat"])
def test_who_sees_the_return_but_may_not_submit_gets_403(api, username):
    response = api(username).post(url("submit", "THA"))

    assert response.status_code == 403
    assert response.json()["error"]["message"] == "Only the country's focal point submits its return."


def test_another_countrys_return_is_404_like_a_missing_one(api):
    client = api("focal.tha")
    missing = client.get(url("detail", "ZZZ"))

    for name in ("detail", "submit", "accept", "reopen"):
        method = client.get if name == "detail" else client.post
        response = method(url(name, "AUS"))
        assert response.status_code == 404
        assert response.content == missing.content


def test_lists_show_the_returns_one_follows(api):
    thai = api("officer.tha").get(reverse("api:return-list")).json()
    every = api("cochair.nzl").get(reverse("api:return-list")).json()
    submitted = api("secretariat").get(reverse("api:return-list"), {"state": "submitted"}).json()

    assert [r["country"] for r in thai["results"]] == ["THA"]
    assert every["count"] == 8
    assert {r["country"] for r in submitted["results"]} == {"MDV", "PHL"}


def test_a_country_without_a_return_row_is_open_and_can_be_submitted(api):
    om.CountryReturn.objects.filter(country__code="THA").delete()
    client = api("focal.tha")

    assert client.get(url("detail", "THA")).json()["state"] == "open"
    assert client.post(url("submit", "THA")).json()["state"] == "submitted"
