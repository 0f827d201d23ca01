"""Idempotency keys: the same POST with the same key acts once, and replays its first answer."""
from __future__ import annotations

import datetime as dt
import threading
import uuid

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from api.models import IdempotencyKey
from countries.models import Agency
from operations import models as om
from operations.demo import demo_load
from tests.api.conftest import token_client

URL = "/api/v1/records/arrests/"


def arrest(**changes) -> dict:
    return {"occurred_on": "2015-10-05", "agency": Agency.objects.get(acronym="RTP").pk,
            "count": 2, "crime_type": "trafficking", "sector": "fishing", **changes}


def test_the_same_post_with_the_same_key_twice_creates_one_record(api):
    # given a request and its key
    client = api("officer.tha")
    key = str(uuid.uuid4())
    before = om.ArrestRecord.objects.count()

    # when it is sent twice (a retry after a lost answer)
    first = client.post(URL, arrest(), format="json", HTTP_IDEMPOTENCY_KEY=key)
    second = client.post(URL, arrest(), format="json", HTTP_IDEMPOTENCY_KEY=key)

    # then one record exists, and the retry got the first answer again
    assert first.status_code == second.status_code == 201
    assert om.ArrestRecord.objects.count() == before + 1
    assert second.json() == first.json()
    assert second["Location"] == first["Location"]
    assert second["Idempotent-Replayed"] == "true"
    assert "Idempotent-Replayed" not in first


def test_the_same_key_with_another_body_is_refused_with_422(api):
    client = api("officer.tha")
    key = str(uuid.uuid4())
    client.post(URL, arrest(), format="json", HTTP_IDEMPOTENCY_KEY=key)
    before = om.ArrestRecord.objects.count()

    response = client.post(URL, arrest(count=3), format="json", HTTP_IDEMPOTENCY_KEY=key)

    assert response.status_code == 422
    assert response.json()["error"]["code"] == "idempotency_key_reused"
    assert om.ArrestRecord.objects.count() == before


def test_keys_belong_to_their_user(api):
    key = str(uuid.uuid4())
    before = om.ArrestRecord.objects.count()

    api("officer.tha").post(URL, arrest(), format="json", HTTP_IDEMPOTENCY_KEY=key)
    other = api("focal.tha").post(URL, arrest(), format="json", HTTP_IDEMPOTENCY_KEY=key)

    assert other.status_code == 201
    assert "Idempotent-Replayed" not in other
    assert om.ArrestRecord.objects.count() == before + 2


def test_without_a_key_each_post_acts(api):
    client = api("officer.tha")
    before = om.ArrestRecord.objects.count()

    client.post(URL, arrest(), format="json")
    client.post(URL, arrest(), format="json")

    assert om.ArrestRecord.objects.count() == before + 2


def test_a_refusal_is_replayed_too_and_creates_nothing(api):
    client = api("officer.tha")
    key = str(uuid.uuid4())

    first = client.post(URL, arrest(count=0), format="json", HTTP_IDEMPOTENCY_KEY=key)
    second = client.post(URL, arrest(count=0), format="json", HTTP_IDEMPOTENCY_KEY=key)

    assert first.status_code == second.status_code == 400
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"


def test_an_expired_key_acts_again(api, settings):
    client = api("officer.tha")
    key = str(uuid.uuid4())
    client.post(URL, arrest(), format="json", HTTP_IDEMPOTENCY_KEY=key)
    IdempotencyKey.objects.filter(key=key).update(
        created_at=timezone.now() - dt.timedelta(hours=settings.API_IDEMPOTENCY_TTL_HOURS + 1))
    before = om.ArrestRecord.objects.count()

    again = client.post(URL, arrest(), format="json", HTTP_IDEMPOTENCY_KEY=key)

    assert again.status_code == 201
    assert "Idempotent-Replayed" not in again
    assert om.ArrestRecord.objects.count() == before + 1


def test_a_key_must_be_1_to_255_characters(api):
    response = api("officer.tha").post(URL, arrest(), format="json",
                                       HTTP_IDEMPOTENCY_KEY="k" * 256)

    assert response.status_code == 400
    assert "Idempotency-Key" in response.json()["error"]["fields"]


def test_return_transitions_honour_keys(api):
    client = api("focal.tha")
    url = reverse("api:return-submit", args=["jpoa-2015", "THA"])
    key = str(uuid.uuid4())

    first = client.post(url, HTTP_IDEMPOTENCY_KEY=key)
    second = client.post(url, HTTP_IDEMPOTENCY_KEY=key)
    without_key = client.post(url)

    assert first.status_code == second.status_code == 200
    assert second.json() == first.json()
    assert without_key.status_code == 409  # a real second submission: the state is wrong now


def test_a_retried_file_upload_is_replayed_not_refused_as_a_duplicate(api):
    client = api("officer.tha")
    key = str(uuid.uuid4())
    content = b"occurred_on,agency,count,crime_type,sector\n2015-10-01,RTP,1,trafficking,\n"

    def upload():
        from django.core.files.uploadedfile import SimpleUploadedFile

        return client.post(reverse("api:arrests-bulk"),
                           {"file": SimpleUploadedFile("arrests.csv", content)},
                           format="multipart", HTTP_IDEMPOTENCY_KEY=key)

    first, second = upload(), upload()

    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert om.ImportBatch.objects.filter(state="imported", sha256__isnull=False).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_retries_create_one_record():
    # given the demo (committed: each thread has its own connection) and one key
    demo_load()
    client = token_client("officer.tha")
    key = str(uuid.uuid4())
    body = arrest()
    before = om.ArrestRecord.objects.count()
    start = threading.Barrier(2)
    responses = []

    def send():
        try:
            start.wait()
            responses.append(client.post(URL, body, format="json", HTTP_IDEMPOTENCY_KEY=key))
        finally:
            connection.close()

    # when the same request is sent twice at the same moment
    threads = [threading.Thread(target=send) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    # then the second waited for the first and replayed its answer
    assert sorted(r.status_code for r in responses) == [201, 201]
    assert responses[0].json() == responses[1].json()
    assert om.ArrestRecord.objects.count() == before + 1
