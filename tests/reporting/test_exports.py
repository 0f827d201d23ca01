"""Debrief exports: the files equal the roll-up, the public profile hides small figures, the jobs
run, expire and are logged, and every export stays inside the user's scope."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
import subprocess
import time

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from countries.models import AccessEvent, Country
from operations.demo import SPLIT
from operations.models import JointOperation
from reporting import export_jobs, exports, rollups
from reporting.metrics import DEBRIEF_METRICS as METRICS
from reporting.metrics import HEADLINE_METRICS
from reporting.models import CountryTotal, ExportJob
from tests.reporting.test_statement import PARAGRAPH_8

URL = reverse("reporting:export_list")


@pytest.fixture
def totals(demo):
    rollups.rollup()
    return JointOperation.objects.get(slug="jpoa-2015")


def login(client, username):
    user = get_user_model().objects.get(username=username)
    client.force_login(user)
    return user


def rolled_up(metric: str, code: str) -> int:
    row = CountryTotal.objects.filter(country__code=code, metric=metric, dimension="").first()
    return row.value if row else 0


def post_export(client, capture, **choice):
    data = {"joint_operation": "jpoa-2015", "country": "", "format": "xlsx",
            "profile": "restricted", "rounded": ["enquiries"], **choice}
    with capture(execute=True):
        return client.post(URL, data)


def job_file(job: ExportJob) -> bytes:
    job.refresh_from_db()
    with job.file.open("rb") as handle:
        return handle.read()


def pdf_text(content: bytes) -> str:
    result = subprocess.run(["pdftotext", "-layout", "-", "-"], input=content,
                            capture_output=True, check=True)
    return result.stdout.decode()


# ---------------------------------------------------------------------------------------------
# The files equal the roll-up
# ---------------------------------------------------------------------------------------------


def test_the_csv_has_one_row_per_country_and_metric_equal_to_the_rollup(totals):
    content = exports.render(exports.debrief(totals), "csv").decode()
    rows = list(csv.DictReader(io.StringIO(content)))

    assert len(rows) == 8 * len(METRICS)
    for row in rows:
        assert int(row["value"]) == rolled_up(row["metric"], row["country_code"]), row
    arrests = {r["country_code"]: int(r["value"]) for r in rows if r["metric"] == "arrests"}
    assert arrests == {code: split[3] for code, split in SPLIT.items()}
    assert {r["return_state"] for r in rows if r["country_code"] == "AUS"} == {"accepted"}


def test_the_workbook_opens_and_its_cells_equal_the_rollup(totals):
    book = load_workbook(io.BytesIO(exports.render(exports.debrief(totals), "xlsx")))

    assert book.sheetnames[:2] == ["Summary", "By country"]
    assert {"By sector", "By exploitation type", "By sex", "By age band", "By channel",
            "By week", "By officer category"} <= set(book.sheetnames)

    # the per-country sheet: a row per country, a column per metric, frozen headers
    sheet = book["By country"]
    assert sheet.freeze_panes == "C2"
    header = [cell.value for cell in sheet[1]]
    assert header[:2] == ["Code", "Country"] and header[-1] == "Return"
    for row in sheet.iter_rows(min_row=2, max_row=9, values_only=True):
        code, values = row[0], row[2:2 + len(METRICS)]
        assert list(values) == [rolled_up(m.key, code) for m in METRICS], code
    assert sheet.cell(row=2, column=3).number_format == "#,##0"
    total_row = [c.value for c in sheet[10]]
    assert total_row[1] == "All countries"
    assert total_row[2:2 + len(HEADLINE_METRICS)] == [59, 7, 63, 32, 8, 73, 68, 12, 485]

    # the summary: the statement, then regional figures all entered and accepted
    summary = [row for row in book["Summary"].iter_rows(values_only=True)]
    texts = [row[0] for row in summary if row and row[0]]
    assert "In total, authorities in the eight countries:" in texts
    assert f"– {PARAGRAPH_8[0]}" in texts
    figures = {row[0]: row[1:3] for row in summary if row and isinstance(row[1], int)}
    accepted = sum(SPLIT[c][3] for c in ("AUS", "NZL", "LKA", "MYS"))
    assert figures["Arrests"] == (32, accepted)

    # a breakdown: victims by sex, per country and for the region
    by_sex = list(book["By sex"].iter_rows(values_only=True))
    header = by_sex[0]
    region = next(r for r in by_sex if r[0] == "Trafficked persons assisted"
                  and r[1] == "All countries")
    female = header.index("Female")
    expected = sum(CountryTotal.objects.filter(
        metric="victims_assisted", dimension="sex", member="female").values_list("value", flat=True))
    assert region[female] == expected > 0
    assert region[-1] == 59


def test_the_pdf_has_its_pages_and_the_statement_text(totals):
    content = exports.render(exports.debrief(totals), "pdf")

    assert content.startswith(b"%PDF")
    assert len(PdfReader(io.BytesIO(content)).pages) == 6
    text = " ".join(pdf_text(content).split())
    assert "In total, authorities in the eight countries:" in text
    for item in PARAGRAPH_8:
        assert item in text, item
    assert text.count("RESTRICTED") == 2 * 6  # top and bottom of every page
    assert "Page 1 of 6" in text and "Generated " in text


def test_the_classification_line_is_the_joint_operations(totals):
    totals.classification = "RESTRICTED – LAW ENFORCEMENT ONLY"
    totals.save()
    text = pdf_text(exports.render(exports.debrief(totals), "pdf"))
    assert "RESTRICTED – LAW ENFORCEMENT ONLY" in text


# ---------------------------------------------------------------------------------------------
# The public profile
# ---------------------------------------------------------------------------------------------


def numbers_in(values) -> list[int]:
    return [v for v in values if isinstance(v, int)]


def test_public_csv_and_workbook_print_no_figure_below_the_threshold(totals):
    data = exports.debrief(totals, profile="public")
    assert data.threshold == 5

    rows = list(csv.DictReader(io.StringIO(exports.render(data, "csv").decode())))
    shown = [r["value"] for r in rows]
    assert "<5" in shown
    assert all(v in ("<5", "*") or int(v) >= 5 for v in shown)

    book = load_workbook(io.BytesIO(exports.render(data, "xlsx")))
    assert book.sheetnames == ["Summary", "By country"]  # no breakdown at all
    for sheet in book:
        for row in sheet.iter_rows(values_only=True):
            assert all(v >= 5 for v in numbers_in(row)), row


def test_public_pdf_prints_no_figure_below_the_threshold(totals):
    totals.public_threshold = 10
    totals.save()
    text = pdf_text(exports.render(exports.debrief(totals, profile="public"), "pdf"))

    assert "PUBLIC" in text and "<10" in text
    names = [c.name for c in Country.objects.filter(code__in=SPLIT)]
    table_lines = [line for line in text.splitlines()
                   if any(line.strip().startswith(name) for name in names)]
    assert len(table_lines) >= 8
    for line in table_lines:
        for number in re.findall(r"(?<![<\w,])\d[\d,]*", line):
            assert int(number.replace(",", "")) >= 10, line
    # the seven warrants are hidden: the statement leaves them out, as it would a zero
    statement_text = " ".join(text.split())
    assert "identified 63 suspects" in statement_text
    assert "search warrant" not in statement_text.split("Summary")[0].split("Outcomes")[1]


def test_a_lone_hidden_figure_takes_another_with_it(totals):
    # given Thailand alone below the threshold for arrests (the others raised to 20)
    for code in SPLIT:
        CountryTotal.objects.filter(country__code=code, metric="arrests", dimension="").update(
            value=3 if code == "THA" else 20 + len(code))
    data = exports.debrief(totals, profile="public")
    arrests = next(m for m in METRICS if m.key == "arrests")

    column = {Country.objects.get(pk=pk).code: v for pk, v in data.column(arrests).items()}

    # then Thailand is "<5" and one more figure is withheld, so the total cannot give it away
    assert column["THA"] == "<5"
    assert list(column.values()).count(exports.WITHHELD) == 1
    assert isinstance(data.regional_printed(arrests), int)


# ---------------------------------------------------------------------------------------------
# Scope
# ---------------------------------------------------------------------------------------------


def test_an_officer_exports_only_their_own_country(client, totals, django_capture_on_commit_callbacks):
    login(client, "officer.tha")

    # the region is not offered, and asking for it names the field
    response = post_export(client, django_capture_on_commit_callbacks, format="csv")
    assert response.status_code == 400
    assert "This field is required." in response.content.decode()
    response = post_export(client, django_capture_on_commit_callbacks, format="csv",
                           country="IDN")
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()

    # their own country's CSV holds only Thailand
    response = post_export(client, django_capture_on_commit_callbacks, format="csv",
                           country="THA")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {r["country_code"] for r in rows} == {"THA"}

    # and the public profile is not theirs
    response = post_export(client, django_capture_on_commit_callbacks, format="csv",
                           country="THA", profile="public")
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not ExportJob.objects.filter(profile="public").exists()


def test_a_focal_point_may_export_their_country_for_the_public(client, totals,
                                                               django_capture_on_commit_callbacks):
    login(client, "focal.tha")
    response = post_export(client, django_capture_on_commit_callbacks, format="text",
                           country="THA", profile="public")
    job = ExportJob.objects.get()
    assert response.status_code == 302
    assert job_file(job).decode().startswith("In total, authorities in Thailand:")

    response = post_export(client, django_capture_on_commit_callbacks, format="csv",
                           profile="public")
    assert response.status_code == 400  # not the region


@pytest.mark.parametrize("username", ["cochair.nzl", "secretariat"])
def test_co_chairs_and_the_secretariat_export_the_region(client, totals, username,
                                                         django_capture_on_commit_callbacks):
    login(client, username)
    response = post_export(client, django_capture_on_commit_callbacks, format="csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {r["country_code"] for r in rows} == set(SPLIT)


# ---------------------------------------------------------------------------------------------
# Jobs: made, shown, downloaded, logged, expired, retried
# ---------------------------------------------------------------------------------------------


def test_a_workbook_is_made_by_a_job_and_downloaded_by_whoever_asked(
        client, totals, django_capture_on_commit_callbacks):
    user = login(client, "secretariat")
    response = post_export(client, django_capture_on_commit_callbacks, format="xlsx")

    job = ExportJob.objects.get()
    assert response.status_code == 302 and response.url == reverse(
        "reporting:export_detail", args=[job.pk])
    job.refresh_from_db()
    assert (job.status, job.progress, job.requested_by, job.source) == (
        "succeeded", 100, user, "page")
    assert job.expires_at - job.finished_at == dt.timedelta(hours=72)

    page = client.get(response.url).content.decode()
    assert "Download jpoa-2015-debrief-region-restricted-" in page
    assert "hx-trigger" not in page  # finished: the page stops polling

    download = client.get(reverse("reporting:export_download", args=[job.pk]))
    content = b"".join(download.streaming_content)
    assert download["Content-Disposition"].startswith('attachment; filename="jpoa-2015-debrief')
    assert load_workbook(io.BytesIO(content))["By country"]["C2"].value == SPLIT["AUS"][0]
    assert AccessEvent.objects.filter(kind="export", user=user,
                                      object_id=str(job.pk)).count() == 2  # asked, downloaded

    # nobody else sees the job or its file
    login(client, "cochair.nzl")
    assert client.get(reverse("reporting:export_detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("reporting:export_download", args=[job.pk])).status_code == 404
    assert "jpoa-2015-debrief" not in client.get(URL).content.decode()


def test_a_waiting_job_polls_until_it_is_finished(client, totals):
    user = login(client, "secretariat")
    job = ExportJob.objects.create(joint_operation=totals, format="pdf", requested_by=user)
    url = reverse("reporting:export_detail", args=[job.pk])

    partial = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert partial.startswith('<article id="export-job"')
    assert 'hx-trigger="every 2s"' in partial and "<progress" in partial

    export_jobs.run_export(job.pk)
    partial = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in partial and 'data-status="succeeded"' in partial
    assert len(PdfReader(io.BytesIO(job_file(job))).pages) == 6


def test_a_failed_job_says_so_and_offers_to_try_again(client, totals):
    user = login(client, "secretariat")
    job = ExportJob.objects.create(joint_operation=totals, format="docx", requested_by=user)

    assert export_jobs.run_export(job.pk) is None
    job.refresh_from_db()
    assert job.status == "failed" and not job.file and "KeyError" in job.error

    page = client.get(reverse("reporting:export_detail", args=[job.pk])).content.decode()
    assert "The export could not be made" in page and "Try again" in page

    ExportJob.objects.filter(pk=job.pk).update(format="text")
    response = client.post(reverse("reporting:export_retry", args=[job.pk]))
    again = ExportJob.objects.exclude(pk=job.pk).get()
    assert response.url == reverse("reporting:export_detail", args=[again.pk])
    assert (again.format, again.profile, again.requested_by) == ("text", "restricted", user)


def test_an_export_that_keeps_stopping_its_worker_is_failed_not_queued_forever(client, totals):
    user = login(client, "secretariat")
    # given two jobs left running by dead workers (nobody holds their locks): one was started
    # once, the other three times, its worker dying each time
    running = {"joint_operation": totals, "format": "text", "requested_by": user,
               "status": ExportJob.Status.RUNNING}
    once = ExportJob.objects.create(**running, attempts=1)
    poison = ExportJob.objects.create(**running, attempts=export_jobs.MAX_WORKER_ATTEMPTS)

    # when the catch-up looks for abandoned jobs
    requeued = export_jobs.requeue_abandoned()

    # then the first is made again (Celery runs in-process here), counting its second start
    once.refresh_from_db()
    assert requeued == 1
    assert (once.status, once.attempts) == ("succeeded", 2) and once.file
    # and the other is failed, its log saying why, its page offering to try again
    poison.refresh_from_db()
    assert poison.status == "failed" and not poison.file
    assert "stopped 3 times" in poison.error
    page = client.get(reverse("reporting:export_detail", args=[poison.pk])).content.decode()
    assert "The export could not be made" in page and "Try again" in page


def test_a_finished_job_is_not_made_twice(totals):
    job = ExportJob.objects.create(joint_operation=totals, format="text")
    export_jobs.run_export(job.pk)
    first = ExportJob.objects.get(pk=job.pk)

    assert export_jobs.run_export(job.pk) is None  # a redelivered message
    assert ExportJob.objects.get(pk=job.pk).file.name == first.file.name


def test_expired_files_are_deleted_and_the_log_stays(client, totals):
    user = login(client, "secretariat")
    job = ExportJob.objects.create(joint_operation=totals, format="csv", requested_by=user)
    export_jobs.run_export(job.pk)
    job.refresh_from_db()
    storage, name = job.file.storage, job.file.name
    assert storage.exists(name)

    assert export_jobs.purge_expired(now=job.expires_at - dt.timedelta(minutes=1)) == 0
    assert export_jobs.purge_expired(now=job.expires_at + dt.timedelta(minutes=1)) == 1

    job.refresh_from_db()
    assert job.status == "expired" and not job.file and not storage.exists(name)
    assert client.get(reverse("reporting:export_download", args=[job.pk])).status_code == 404
    assert "Try again" in client.get(reverse("reporting:export_detail", args=[job.pk])).content.decode()


def test_a_streamed_csv_is_logged_too(client, totals, django_capture_on_commit_callbacks):
    user = login(client, "cochair.lka")
    response = post_export(client, django_capture_on_commit_callbacks, format="csv",
                           profile="public")
    b"".join(response.streaming_content)

    job = ExportJob.objects.get()
    assert (job.format, job.profile, job.status, job.requested_by) == (
        "csv", "public", "succeeded", user)
    assert AccessEvent.objects.filter(kind="export", user=user, object_id=str(job.pk)).exists()


def test_bad_choices_are_refused_with_the_field_named(client, totals,
                                                      django_capture_on_commit_callbacks):
    login(client, "secretariat")
    response = post_export(client, django_capture_on_commit_callbacks, format="doc",
                           profile="", rounded=["nonsense"], joint_operation="jpoa-1999")
    html = response.content.decode()

    assert response.status_code == 400
    assert html.count("Select a valid choice") == 3  # joint operation, format, rounded
    assert 'id="export_profile_error"' in html
    assert not ExportJob.objects.exists()


# ---------------------------------------------------------------------------------------------
# The command line
# ---------------------------------------------------------------------------------------------


def test_the_command_writes_the_statement_text(totals, capsys):
    call_command("debrief_statistics", "jpoa-2015")
    out = capsys.readouterr().out
    assert out == "\n".join(["In total, authorities in the eight countries:", "",
                             *(f"- {item}" for item in PARAGRAPH_8)]) + "\n"
    assert ExportJob.objects.get().source == "command"

    call_command("debrief_statistics", "jpoa-2015", "--exact")
    assert "made 73 bilateral" in capsys.readouterr().out


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "pdf"])
def test_the_command_writes_each_format_to_a_file(totals, tmp_path, fmt):
    output = tmp_path / f"debrief.{fmt}"
    call_command("debrief_statistics", "jpoa-2015", "--format", fmt, "--profile", "public",
                 "--country", "THA", "--output", str(output))
    content = output.read_bytes()
    if fmt == "csv":
        rows = list(csv.DictReader(io.StringIO(content.decode())))
        assert {r["country_code"] for r in rows} == {"THA"} and len(rows) == len(METRICS)
    elif fmt == "xlsx":
        assert load_workbook(io.BytesIO(content)).sheetnames == ["Summary", "By country"]
    else:
        assert "In total, authorities in Thailand:" in pdf_text(content)


def test_the_command_names_what_is_wrong(totals):
    with pytest.raises(CommandError, match=r"No joint operation 'jpoa-1999' \(known: .*jpoa-2015"):
        call_command("debrief_statistics", "jpoa-1999")
    with pytest.raises(CommandError, match="--country: FRA did not take part"):
        call_command("debrief_statistics", "jpoa-2015", "--country", "FRA")


# ---------------------------------------------------------------------------------------------
# Through the real worker (CI)
# ---------------------------------------------------------------------------------------------


def test_the_real_worker_makes_an_export(client, celery_worker_queue):
    from operations.demo import demo_load

    demo_load()
    rollups.rollup()
    login(client, "secretariat")
    response = client.post(URL, {"joint_operation": "jpoa-2015", "country": "", "format": "pdf",
                                 "profile": "restricted", "rounded": ["enquiries"]})
    job = ExportJob.objects.get()
    assert response.status_code == 302

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        job.refresh_from_db()
        if job.is_finished:
            break
        time.sleep(0.5)
    assert job.status == "succeeded", job.error
    assert job.finished_at <= timezone.now()
    assert len(PdfReader(io.BytesIO(job_file(job))).pages) == 6
