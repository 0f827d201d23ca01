"""Throttling per user and per token, and the one error shape of every failure."""
from __future__ import annotations

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from tests.api.conftest import token_client

RECORDS = reverse("api:arrests-list")


@pytest.fixture
def rates(settings):
    def set_rates(**rates):
        settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "DEFAULT_THROTTLE_RATES": {
            **settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"], **rates}}
    return set_rates


def test_a_token_over_its_rate_waits_while_its_users_other_token_goes_on(demo, rates):
    # given a low rate per token, and a user with two tokens
    rates(token="2/minute", user="100/minute")
    first, second = token_client("officer.tha", "first"), token_client("officer.tha", "second")

    statuses = [first.get(RECORDS).status_code for _ in range(3)]

    assert statuses == [200, 200, 429]
    throttled = first.get(RECORDS)
    assert throttled.json()["error"]["code"] == "throttled"
    assert int(throttled["Retry-After"]) > 0
    assert second.get(RECORDS).status_code == 200


def test_a_user_over_their_rate_waits_whatever_token_or_session_they_use(demo, rates):
    rates(token="100/minute", user="3/minute")
    first, second = token_client("officer.tha", "first"), token_client("officer.tha", "second")
    session = APIClient()
    session.force_login(first.user)

    statuses = [c.get(RECORDS).status_code for c in (first, second, session, second)]

    assert statuses == [200, 200, 200, 429]
    assert token_client("focal.tha").get(RECORDS).status_code == 200  # others are not slowed


@pytest.mark.parametrize(("method", "path", "status", "code"), [
    ("get", "/api/v1/no-such-thing/", 404, "not_found"),
    ("get", "/api/v1/records/arrests/987654321/", 404, "not_found"),
    ("get", "/api/v1/records/arrests/not-an-id/", 404, "not_found"),
    ("get", "/api/v1/records/arrests/?page=999", 404, "not_found"),
    ("delete", "/api/v1/records/arrests/", 405, "method_not_allowed"),
    ("get", "/api/v1/records/arrests/?occurred_from=yesterday", 400, "invalid"),
])
def test_every_failure_has_the_same_json_shape(api, method, path, status, code):
    response = getattr(api("officer.tha"), method)(path)

    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    error = response.json()["error"]
    assert error["code"] == code
    assert isinstance(error["message"], str) and error["message"]
    assert isinstance(error["fields"], dict)


def test_a_body_that_is_not_json_is_a_parse_error(api):
    response = api("officer.tha").post(RECORDS, "{not json", content_type="application/json")

    assert response.status_code == 400
    assert response.json()["error"]["code"] == "parse_error"


def test_an_unsupported_media_type_is_a_415(api):
    response = api("officer.tha").post(RECORDS, "a,b", content_type="text/csv")

    assert response.status_code == 415
    assert response.json()["error"]["code"] == "unsupported_media_type"


def test_the_portals_own_404_page_is_unchanged_outside_the_api(client, demo):
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_form_encoded_body_is_a_415_json_is_the_one_format(api):
    """A form cannot carry JSON's nulls and lists: an empty form value would be read as left
    out. Only a bulk upload's file comes as multipart."""
    client = api("officer.tha")
    for content_type in ("application/x-www-form-urlencoded", "multipart/form-data; boundary=x"):
        response = client.post(RECORDS, "count=3", content_type=content_type)

        assert response.status_code == 415, content_type
        assert response.json()["error"]["code"] == "unsupported_media_type"


@pytest.mark.parametrize("path, parameter", [
    ("/api/v1/returns/", "state"),
    ("/api/v1/totals/", "metric"),
    ("/api/v1/records/arrests/bulk/", "joint_operation"),
])
def test_a_query_parameter_sent_empty_or_twice_is_refused_by_name(api, path, parameter):
    client = api("secretariat" if "bulk" not in path else "officer.tha")
    send = client.post if "bulk" in path else client.get

    empty = send(f"{path}?{parameter}=")
    twice = send(f"{path}?{parameter}=a&{parameter}=b")

    assert empty.status_code == 400
    assert empty.json()["error"]["fields"] == {
        parameter: ["Enter a value, or leave the parameter out."]}
    assert twice.status_code == 400
    assert twice.json()["error"]["fields"] == {parameter: ["Send this parameter once."]}


def test_an_empty_joint_operation_in_a_body_is_refused_not_read_as_the_current_one(api):
    body = {"agency": 1, "occurred_on": "2015-10-05", "count": 1, "sector": "fishing",
            "joint_operation": ""}

    response = api("officer.tha").post(RECORDS, body)

    assert response.status_code == 400
    assert "joint_operation" in response.json()["error"]["fields"]


def test_a_page_sent_empty_or_twice_is_refused_not_read_as_the_first(api):
    client = api("officer.tha")

    empty = client.get("/api/v1/enquiries/incoming/?page=")
    twice = client.get("/api/v1/enquiries/incoming/?page=1&page=1")

    for response in (empty, twice):
        assert response.status_code == 400
        assert response.json()["error"]["fields"] == {"page": ["Enter a page number from 1, once."]}
    assert client.get("/api/v1/enquiries/incoming/?page=1").status_code == 200


def test_a_list_of_countries_sent_as_an_object_is_refused_not_read_as_empty(api):
    body = {"name": "Andaman fishing crews", "countries_active": {}, "crime_types": ["trafficking"]}

    response = api("officer.tha").post("/api/v1/networks/", body)

    assert response.status_code == 400
    assert list(response.json()["error"]["fields"]) == ["countries_active"]


def test_a_number_in_a_list_of_text_is_refused_not_read_as_text(api):
    body = {"name": "Andaman fishing crews", "aliases": ["Blue boats", 0],
            "crime_types": ["trafficking"]}

    response = api("officer.tha").post("/api/v1/networks/", body)

    assert response.status_code == 400
    assert response.json()["error"]["fields"] == {
        "aliases": ["Enter text (a JSON string), not a number."]}
