"""Export jobs through the API: ask, poll, download, retry; the page's rules; one's own jobs only."""
from __future__ import annotations

import io
import time
import uuid

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from openpyxl import load_workbook

from countries.models import AccessEvent
from operations.demo import demo_load
from operations.models import JointOperation
from reporting import exports, rollups
from reporting.models import ExportJob
from tests.api.conftest import token_client

LIST = reverse("api:export-job-list")


def detail(job_id) -> str:
    return reverse("api:export-job-detail", args=[job_id])


def download(job_id) -> str:
    return reverse("api:export-job-download", args=[job_id])


def retry(job_id) -> str:
    return reverse("api:export-job-retry", args=[job_id])


def choice(**changes) -> dict:
    return {"joint_operation": "jpoa-2015", "country": "THA", "format": "text",
            "profile": "restricted", "rounded": ["enquiries"], **changes}


@pytest.fixture
def totals(demo):
    rollups.rollup()


def ask(client, capture, **changes):
    """POST an export; the job runs in-process when the request commits (no broker here)."""
    with capture(execute=True):
        return client.post(LIST, choice(**changes), format="json")


def job_of(username: str, status: str = ExportJob.Status.FAILED) -> ExportJob:
    return ExportJob.objects.create(
        joint_operation=JointOperation.objects.get(slug="jpoa-2015"), format="text",
        status=status, requested_by=get_user_model().objects.get(username=username),
        error="WorkerLost" if status == ExportJob.Status.FAILED else "")


# ---------------------------------------------------------------------------------------------
# Through the real worker (CI)
# ---------------------------------------------------------------------------------------------


def test_create_poll_and_download_through_the_real_worker(celery_worker_queue):
    # given the demo, added up, and Thailand's focal point with a token
    demo_load()
    rollups.rollup()
    client = token_client("focal.tha")

    # when they ask for Thailand's workbook and poll the job until the worker is done
    response = client.post(LIST, choice(format="xlsx"), format="json")
    assert response.status_code == 201, response.json()
    job = response.json()
    assert job["status"] == "queued" and job["download_url"] is None
    assert response["Location"] == detail(job["id"])
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job = client.get(detail(job["id"])).json()
        if job["status"] in ("succeeded", "failed"):
            break
        time.sleep(0.5)

    # then the worker made it, and the file downloads as a workbook of Thailand's figures
    assert job["status"] == "succeeded", job["error"]
    assert job["progress"] == 100 and job["source"] == "api"
    assert job["download_url"] == download(job["id"])
    file = client.get(job["download_url"])
    assert file.status_code == 200
    assert file["Content-Type"] == exports.CONTENT_TYPES["xlsx"]
    assert file["Content-Disposition"].startswith("attachment")
    workbook = load_workbook(io.BytesIO(b"".join(file.streaming_content)), read_only=True)
    assert "Thailand" in str([row for sheet in workbook for row in sheet.iter_rows(values_only=True)])


# ---------------------------------------------------------------------------------------------
# In-process (no broker: the service runs the job once the request commits)
# ---------------------------------------------------------------------------------------------


def test_a_statement_text_is_asked_for_polled_and_downloaded(api, totals,
                                                              django_capture_on_commit_callbacks):
    client = api("secretariat")

    response = ask(client, django_capture_on_commit_callbacks, country=None)

    assert response.status_code == 201, response.json()
    assert response.json()["country"] is None  # the region
    job = client.get(detail(response.json()["id"])).json()
    assert job["status"] == "succeeded" and job["format"] == "text"
    file = client.get(job["download_url"])
    assert file.status_code == 200
    assert file["Content-Type"] == exports.CONTENT_TYPES["text"]
    text = b"".join(file.streaming_content).decode()
    saved = ExportJob.objects.get(pk=job["id"])
    with saved.file.open("rb") as handle:
        assert text == handle.read().decode()
    assert "over 70" in text  # enquiries rounded down, as asked
    assert AccessEvent.objects.filter(kind="export", object_id=str(job["id"])).count() == 2


def test_the_list_shows_only_the_callers_own_jobs(api, totals):
    mine, theirs = job_of("focal.tha"), job_of("secretariat")

    listed = api("focal.tha").get(LIST).json()["results"]

    assert [job["id"] for job in listed] == [mine.pk]
    assert theirs.pk not in [job["id"] for job in api("officer.tha").get(LIST).json()["results"]]


@pytest.mark.parametrize("url", [detail, download, retry])
def test_another_users_job_is_404_like_a_missing_one(api, totals, url):
    job = job_of("secretariat")
    client = api("cochair.nzl")  # follows every country, but the job is not theirs

    method = client.post if url is retry else client.get
    response = method(url(job.pk))
    missing = method(url(987654321))

    assert response.status_code == missing.status_code == 404
    assert response.json() == missing.json()
    assert ExportJob.objects.count() == 1  # nothing was retried


def test_status_owner_and_file_cannot_be_set_by_the_client(api, totals):
    client = api("focal.tha")
    admin = get_user_model().objects.get(username="admin")

    response = client.post(LIST, {
        **choice(), "id": 1, "status": "succeeded", "progress": 100, "requested_by": "admin",
        "source": "page", "filename": "x.txt", "error": "", "download_url": "/elsewhere/",
        "created_at": "2001-01-01T00:00:00Z"}, format="json")

    assert response.status_code == 201, response.json()
    job = ExportJob.objects.get(pk=response.json()["id"])
    assert (job.status, job.progress, job.requested_by, job.source, job.filename) == (
        "queued", 0, client.user, "api", "")
    assert job.requested_by != admin
    assert job.created_at.year > 2001


def test_model_columns_that_are_not_fields_are_refused(api, totals):
    response = api("focal.tha").post(LIST, {**choice(), "requested_by_id": 1}, format="json")

    assert response.status_code == 400
    assert set(response.json()["error"]["fields"]) == {"requested_by_id"}
    assert not ExportJob.objects.exists()


@pytest.mark.parametrize(("username", "changes", "field"), [
    ("officer.tha", {"country": None}, "country"),  # the region is for those who follow all
    ("officer.tha", {"country": "AUS"}, "country"),  # another country
    ("officer.tha", {"profile": "public"}, "profile"),  # the public profile: not officers
    ("focal.tha", {"joint_operation": "no-such"}, "joint_operation"),
    ("focal.tha", {"format": "docx"}, "format"),
    ("focal.tha", {"rounded": ["no-such-figure"]}, "rounded.0"),
])
def test_a_choice_the_page_refuses_is_400_naming_the_field(api, totals, username, changes,
                                                             field):
    response = api(username).post(LIST, choice(**changes), format="json")

    assert response.status_code == 400, response.json()
    assert field in response.json()["error"]["fields"]
    assert not ExportJob.objects.exists()


def test_the_same_rules_let_a_focal_point_export_the_public_profile(api, totals):
    response = api("focal.tha").post(LIST, choice(profile="public"), format="json")
    assert response.status_code == 201, response.json()
    assert response.json()["profile"] == "public"


def test_without_a_membership_nothing_is_exported(db, totals):
    get_user_model().objects.create_user("nobody", password="x")
    client = token_client("nobody")

    assert client.get(LIST).json()["results"] == []
    assert client.post(LIST, choice(), format="json").status_code == 403
    assert not ExportJob.objects.exists()


@pytest.mark.parametrize(("status", "code"), [
    ("queued", "export_not_ready"), ("running", "export_not_ready"),
    ("failed", "export_failed"), ("expired", "export_expired"),
])
def test_a_job_without_a_file_answers_409_saying_why(api, totals, status, code):
    job = job_of("focal.tha", status=status)

    response = api("focal.tha").get(download(job.pk))

    assert response.status_code == 409
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]["code"] == code


def test_a_failed_job_is_retried_with_the_same_choices(api, totals,
                                                        django_capture_on_commit_callbacks):
    failed = job_of("focal.tha")
    failed.country_id = None
    client = api("secretariat")
    failed.requested_by = client.user
    failed.rounded = ["arrests"]
    failed.save()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(retry(failed.pk))

    assert response.status_code == 201, response.json()
    again = ExportJob.objects.get(pk=response.json()["id"])
    assert again.pk != failed.pk
    assert (again.format, again.country, again.rounded, again.status, again.source) == (
        "text", None, ["arrests"], "succeeded", "api")
    failed.refresh_from_db()
    assert failed.status == "failed"  # the old job stays, as the log


def test_a_job_that_did_not_fail_is_not_retried(api, totals, django_capture_on_commit_callbacks):
    client = api("focal.tha")
    made = ask(client, django_capture_on_commit_callbacks).json()
    assert ExportJob.objects.get(pk=made["id"]).status == "succeeded"

    response = client.post(retry(made["id"]))

    assert response.status_code == 409
    assert response.json()["error"]["code"] == "wrong_state"
    assert ExportJob.objects.count() == 1


def test_the_same_post_with_the_same_key_asks_for_one_export(api, totals):
    client = api("focal.tha")
    key = str(uuid.uuid4())

    first = client.post(LIST, choice(), format="json", HTTP_IDEMPOTENCY_KEY=key)
    second = client.post(LIST, choice(), format="json", HTTP_IDEMPOTENCY_KEY=key)

    assert first.status_code == second.status_code == 201
    assert second.json() == first.json()
    assert second["Idempotent-Replayed"] == "true"
    assert ExportJob.objects.count() == 1
