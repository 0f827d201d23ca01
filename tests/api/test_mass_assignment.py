"""Mass assignment: country, owner, version and status sent through the API never take effect."""
from __future__ import annotations

from django.contrib.auth import get_user_model
from django.urls import reverse

from countries.models import Agency, Country
from operations import models as om


def smuggled(record_kind_fields: dict) -> dict:
    """The fields a client must not set, with values that would move the record if honoured."""
    aus = Country.objects.get(code="AUS")
    return {
        **record_kind_fields,
        "id": 1,
        "country": aus.code,
        "operation": om.Operation.objects.get(country=aus).pk,
        "created_by": "focal.aus",
        "created_at": "2001-01-01T00:00:00Z",
        "version": 99,
        "from_another_country": True,
    }


def arrest_fields() -> dict:
    return {"occurred_on": "2015-10-05", "agency": Agency.objects.get(acronym="RTP").pk,
            "count": 2, "crime_type": "trafficking", "sector": "fishing"}


def test_creating_ignores_country_owner_operation_and_version(api):
    client = api("officer.tha")

    response = client.post(reverse("api:arrests-list"), smuggled(arrest_fields()), format="json")

    assert response.status_code == 201, response.json()
    record = om.ArrestRecord.objects.select_related("country", "operation", "created_by").get(
        pk=response.json()["id"])
    assert record.pk != 1
    assert record.country.code == "THA"
    assert record.operation.country.code == "THA"
    assert record.created_by == client.user
    assert record.version == 1
    assert record.created_at.year > 2001


def test_model_columns_that_are_not_api_fields_are_refused(api):
    client = api("officer.tha")
    before = om.ArrestRecord.objects.count()
    aus = Country.objects.get(code="AUS")

    response = client.post(reverse("api:arrests-list"),
                           {**arrest_fields(), "country_id": aus.pk, "created_by_id": 1,
                            "operation_id": om.Operation.objects.get(country=aus).pk},
                           format="json")

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"country_id", "created_by_id", "operation_id"}
    assert om.ArrestRecord.objects.count() == before


def test_changing_ignores_country_owner_and_version(api):
    client = api("focal.tha")
    record = om.ArrestRecord.objects.filter(country__code="THA").order_by("pk").first()
    owner, version = record.created_by_id, record.version

    for method in (client.patch, client.put):
        response = method(reverse("api:arrests-detail", args=[record.pk]),
                          {**smuggled(arrest_fields()), "version": version}, format="json")
        assert response.status_code == 200, response.json()
        record.refresh_from_db()
        assert record.country.code == "THA"
        assert record.operation.country.code == "THA"
        assert record.created_by_id == owner
        assert record.version == version + 1  # bumped by the service, not by the client
        version = record.version


def test_bulk_rows_cannot_set_them_either(api):
    client = api("officer.tha")

    response = client.post(reverse("api:arrests-bulk"), [smuggled(arrest_fields())] * 2,
                           format="json")

    assert response.status_code == 201, response.json()
    for record in om.ArrestRecord.objects.filter(pk__in=response.json()["ids"]):
        assert (record.country.code, record.created_by, record.version) == ("THA", client.user, 1)


def test_a_returns_state_changes_only_through_its_transitions(api):
    # given Thailand's open return, and its focal point
    client = api("focal.tha")
    detail = reverse("api:return-detail", args=["jpoa-2015", "THA"])

    # writing the state directly is not an operation of the API
    for method in (client.patch, client.put):
        assert method(detail, {"state": "accepted"}, format="json").status_code == 405
    # and a submission that says "accepted", or names another country, only submits Thailand's
    response = client.post(f"{detail}submit/", {"state": "accepted", "country": "AUS",
                                                "accepted_by": "secretariat"}, format="json")

    assert response.status_code == 200, response.json()
    assert response.json()["state"] == "submitted"
    assert om.CountryReturn.objects.get(country__code="THA").state == "submitted"
    assert om.CountryReturn.objects.get(country__code="AUS").accepted_by == get_user_model(
    ).objects.get(username="secretariat")


def test_a_token_cannot_be_pointed_at_another_user(api):
    # The token exchange takes a name only; the user is whoever's password it was.
    client = api("officer.tha")
    from api.models import ApiToken

    response = client.post(reverse("api:token-obtain"), {
        "username": "officer.tha", "password": "jpoa-demo-2015", "name": "script",
        "user": get_user_model().objects.get(username="admin").pk}, format="json")

    assert response.status_code == 201
    assert ApiToken.objects.get(pk=response.json()["id"]).user == client.user
