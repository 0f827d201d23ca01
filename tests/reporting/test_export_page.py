"""The export page as a user meets it: its defaults and wording, the file's name in the user's
local time, and progress shown at once when no worker runs (the quick start)."""
from __future__ import annotations

import datetime as dt
import re
import threading
import time

import psycopg2
import pytest
from django.db import connection
from django.urls import reverse

from countries.models import Role
from reporting import export_jobs
from reporting.models import ExportJob
from tests import factories

URL = reverse("reporting:export_list")


@pytest.fixture
def officer_and_operation(db):
    operation = factories.OperationFactory(lead_agency__country__time_zone="Asia/Bangkok")
    officer = factories.UserFactory()
    factories.MembershipFactory(user=officer, agency=operation.lead_agency, role=Role.OFFICER)
    return officer, operation


def test_the_form_has_a_default_format_and_names_its_single_country_choice(
        client, officer_and_operation):
    officer, _ = officer_and_operation
    client.force_login(officer)

    html = client.get(URL).content.decode()

    assert re.search(r'<input type="radio" name="format" value="xlsx"[^>]* checked', html)
    assert '<label for="export_country">Country</label>' in html
    assert '<select name="country"' in html and "multiple" not in html.split(
        '<select name="country"')[1].split(">")[0]


def test_a_finished_file_says_plainly_what_is_deleted_and_what_stays(
        client, officer_and_operation):
    officer, operation = officer_and_operation
    client.force_login(officer)
    job = ExportJob.objects.create(joint_operation=operation.joint_operation,
                                   country=operation.country, format="text", requested_by=officer)
    export_jobs.run_export(job.pk)

    html = client.get(reverse("reporting:export_detail", args=[job.pk])).content.decode()

    assert "the export log keeps a line saying that you made it" in html
    assert "the record that you exported it stays" not in html


def test_the_file_name_has_the_local_time_of_whoever_asked(client, officer_and_operation):
    # given an officer in Bangkok (UTC+7)
    officer, operation = officer_and_operation
    job = ExportJob.objects.create(joint_operation=operation.joint_operation,
                                   country=operation.country, format="text", requested_by=officer)

    # when the job is made (by a worker: no request, no time zone of its own)
    export_jobs.run_export(job.pk)

    # then its name carries the time the officer's pages show, with the offset
    job.refresh_from_db()
    stamp = re.search(r"-(\d{8}-\d{4}\+0700)\.txt$", job.filename)
    assert stamp, job.filename
    named = dt.datetime.strptime(stamp.group(1), "%Y%m%d-%H%M%z")
    assert abs(named - job.finished_at) < dt.timedelta(minutes=2)


@pytest.mark.django_db(transaction=True)
def test_without_a_worker_the_page_answers_at_once_and_shows_the_progress(
        client, settings, monkeypatch):
    # given the quick start: no broker, tasks in-process, files made beside the request
    settings.EXPORT_JOBS_IN_THREAD = True
    operation = factories.OperationFactory(lead_agency__country__time_zone="Asia/Bangkok")
    officer = factories.UserFactory()
    factories.MembershipFactory(user=officer, agency=operation.lead_agency, role=Role.OFFICER)
    client.force_login(officer)
    # ... and the figures held up (as a large PDF takes seconds) by another connection's lock,
    # released after 20 s at the latest, so a file made inside the request would hang it
    db = connection.settings_dict
    blocker = psycopg2.connect(dbname=db["NAME"], user=db["USER"], password=db["PASSWORD"],
                               host=db["HOST"], port=db["PORT"] or None)
    blocker.cursor().execute("LOCK TABLE reporting_countrytotal IN ACCESS EXCLUSIVE MODE")
    release = threading.Timer(20, blocker.rollback)
    release.start()
    try:
        # when the officer asks for a PDF
        started = time.monotonic()
        response = client.post(URL, {"joint_operation": operation.joint_operation.slug,
                                     "country": operation.country.code, "format": "pdf",
                                     "profile": "restricted"})
        answered_in = time.monotonic() - started
        job = ExportJob.objects.get()

        # then the page answers before the file is made, and the job's page shows its progress
        assert response.status_code == 302 and answered_in < 10
        assert job.status in (ExportJob.Status.QUEUED, ExportJob.Status.RUNNING)
        page = client.get(response.url).content.decode()
        assert "<progress" in page and 'hx-trigger="every 2s"' in page
    finally:
        release.cancel()
        blocker.rollback()
        blocker.close()
    # and once the figures can be read, the file is made
    for _ in range(120):
        job.refresh_from_db()
        if job.status not in (ExportJob.Status.QUEUED, ExportJob.Status.RUNNING):
            break
        time.sleep(0.25)
    assert job.status == ExportJob.Status.SUCCEEDED, job.error
    assert job.filename.endswith(".pdf")
