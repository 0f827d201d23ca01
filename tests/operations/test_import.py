"""Bulk import from CSV and XLSX through the pages: preview, all-or-nothing confirm, duplicates."""
from __future__ import annotations

import datetime as dt
import html
import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from pghistory.models import Events

from countries.models import Agency
from operations import imports, services
from operations import models as om
from operations.models import ImportBatch
from operations.selectors import joint_operation_current

ARREST_HEADER = "occurred_on,agency,count,crime_type,sector"
GOOD_ARRESTS = (
    f"{ARREST_HEADER}\n"
    "2015-10-01,RTP,3,trafficking,fishing\n"
    "2015-10-02,rtp,1,People smuggling,\n"  # acronym and label in any case; sector left empty
    "2015-10-03,Royal Thai Police,2,SMUGGLING,Farming\n"  # the full name works too
)


def user(username):
    return get_user_model().objects.get(username=username)


def login(client, username):
    client.force_login(user(username))


def upload(client, kind, name, content: bytes | str):
    if isinstance(content, str):
        content = content.encode("utf-8")
    return client.post(reverse("operations:record_import", args=[kind]),
                       {"file": SimpleUploadedFile(name, content)})


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def preview(client, response):
    """The preview page an upload redirected to."""
    assert response.status_code == 302, page_text(response)
    return client.get(response.url)


def batch_of(response) -> ImportBatch:
    return ImportBatch.objects.get(pk=int(response.url.rstrip("/").rsplit("/", 1)[-1]))


def confirm(client, batch):
    return client.post(reverse("operations:import_confirm", args=[batch.pk]))


def xlsx(rows) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def thai_arrests():
    return om.ArrestRecord.objects.filter(country__code="THA")


# ---------------------------------------------------------------------------------------------
# Good files: every row once, through the services, audited
# ---------------------------------------------------------------------------------------------


def test_a_good_csv_is_previewed_then_imported_once_through_the_services(client, demo):
    # given
    login(client, "officer.tha")
    before = set(thai_arrests().values_list("pk", flat=True))

    # when the file is uploaded
    response = upload(client, "arrests", "arrests.csv", GOOD_ARRESTS)

    # then the preview shows every row and nothing is saved yet
    page = preview(client, response)
    assert page.status_code == 200
    assert "All 3 rows are valid" in page_text(page)
    assert "Import 3 records" in page_text(page)
    assert set(thai_arrests().values_list("pk", flat=True)) == before
    batch = batch_of(response)
    assert batch.state == ImportBatch.State.PREVIEW and len(batch.rows) == 3 and not batch.errors

    # when confirmed
    response = confirm(client, batch)

    # then every row is a record, entered by the officer, with an audit event naming the batch
    assert response.status_code == 302
    assert response.url == reverse("operations:record_list", args=["arrests"])
    assert "Imported 3 records." in page_text(client.get(response.url))
    new = thai_arrests().exclude(pk__in=before).order_by("occurred_on")
    assert [(r.occurred_on.day, r.agency.acronym, r.count, r.crime_type, r.sector) for r in new] == [
        (1, "RTP", 3, "trafficking", "fishing"),
        (2, "RTP", 1, "smuggling", ""),
        (3, "RTP", 2, "smuggling", "farming"),
    ]
    assert {r.created_by.username for r in new} == {"officer.tha"}
    for record in new:
        [event] = Events.objects.filter(pgh_obj_model="operations.ArrestRecord",
                                        pgh_obj_id=str(record.pk), pgh_label="insert")
        assert event.pgh_context["import_batch"] == batch.pk
        assert event.pgh_context["user"] == user("officer.tha").pk
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.IMPORTED and batch.row_count == 3
    assert batch.rows == [] and batch.country.code == "THA"


def test_a_good_xlsx_with_date_and_number_cells_imports_every_row(client, demo):
    # given a victims file typed in Excel: real dates, numbers, labels and lower-case codes
    login(client, "officer.tha")
    content = xlsx([
        ["occurred_on", "agency", "count", "sex", "age_band", "nationality", "exploitation_type", "sector"],
        [dt.datetime(2015, 10, 6), "RTP", 2, "Female", "12-17", "mmr", "labour", "fishing"],
        [],  # an empty row in the middle is skipped
        [dt.date(2015, 10, 7), "RTP", 4.0, "male", "Adult, 25–39", "KHM", "Sexual exploitation", None],
    ])
    before = om.VictimAssistanceRecord.objects.count()

    # when
    page = preview(client, upload(client, "victims-assisted", "victims.xlsx", content))
    batch = ImportBatch.objects.get(uploaded_by__username="officer.tha")
    response = confirm(client, batch)

    # then
    assert "All 2 rows are valid" in page_text(page)
    assert response.status_code == 302
    new = om.VictimAssistanceRecord.objects.order_by("-pk")[:2]
    assert om.VictimAssistanceRecord.objects.count() == before + 2
    assert sorted((r.occurred_on.day, r.count, r.sex, r.age_band, r.nationality,
                   r.exploitation_type, r.sector) for r in new) == [
        (6, 2, "female", "12-17", "MMR", "labour", "fishing"),
        (7, 4, "male", "25-39", "KHM", "sexual", ""),
    ]


def test_empty_cells_take_the_fields_defaults_and_codes_name_the_counterpart(client, demo):
    login(client, "officer.tha")
    content = ("occurred_on,agency,count,counterpart,channel,crime_type,answered_on\n"
               "2015-10-05,RTP,,mmr,INTERPOL National Central Bureau,trafficking,\n"
               "2015-10-06,RTP,2,Australia,direct,smuggling,2015-10-09\n")
    before = set(om.EnquiryRecord.objects.values_list("pk", flat=True))

    response = confirm(client, batch_of(upload(client, "enquiries", "enq.csv", content)))

    assert response.status_code == 302
    new = om.EnquiryRecord.objects.exclude(pk__in=before).order_by("occurred_on")
    assert [(r.count, r.counterpart.code, r.channel, r.answered_on) for r in new] == [
        (1, "MMR", "interpol_ncb", None),
        (2, "AUS", "direct", dt.date(2015, 10, 9)),
    ]


# ---------------------------------------------------------------------------------------------
# The same file twice
# ---------------------------------------------------------------------------------------------


def test_the_same_file_again_is_refused_saying_when_and_by_whom(client, demo):
    # given a file imported once
    login(client, "officer.tha")
    confirm(client, batch_of(upload(client, "arrests", "arrests.csv", GOOD_ARRESTS)))
    count, batches = thai_arrests().count(), ImportBatch.objects.count()

    # when the same bytes are uploaded again, under another name and by the focal point
    login(client, "focal.tha")
    response = upload(client, "arrests", "copy of arrests.csv", GOOD_ARRESTS)

    # then it is refused at upload, saying when and by whom; nothing is stored
    assert response.status_code == 400
    text = page_text(response)
    assert "This file was already imported on" in text
    full_name = user("officer.tha").get_full_name()
    assert f"by {full_name} (officer.tha): 3 records, file “arrests.csv”" in text
    assert "nothing was imported" in text
    assert thai_arrests().count() == count
    assert ImportBatch.objects.count() == batches


def test_two_previews_of_one_file_import_only_once(client, demo):
    # given the same file previewed twice (two tabs) before either is confirmed
    login(client, "officer.tha")
    first = batch_of(upload(client, "arrests", "arrests.csv", GOOD_ARRESTS))
    second = batch_of(upload(client, "arrests", "arrests.csv", GOOD_ARRESTS))
    assert confirm(client, first).status_code == 302
    count = thai_arrests().count()

    # when the second is confirmed
    response = confirm(client, second)

    # then it is refused and imports nothing
    assert response.status_code == 409
    assert "This file was already imported on" in page_text(response)
    assert thai_arrests().count() == count
    second.refresh_from_db()
    assert second.state == ImportBatch.State.PREVIEW


def test_the_database_refuses_a_second_imported_batch_of_one_file(demo):
    from django.db import IntegrityError, transaction
    from django.utils import timezone

    officer = user("officer.tha")
    fields = {"kind": "arrests", "file_name": "a.csv", "sha256": "0" * 64, "uploaded_by": officer,
              "joint_operation": joint_operation_current(),
              "country": officer.memberships.get().agency.country,
              "state": ImportBatch.State.IMPORTED, "imported_at": timezone.now()}
    ImportBatch.objects.create(**fields)
    with pytest.raises(IntegrityError, match="import_batch_file_imported_once"), transaction.atomic():
        ImportBatch.objects.create(**fields)


# ---------------------------------------------------------------------------------------------
# One bad row: nothing imported, the row and the field named
# ---------------------------------------------------------------------------------------------

BAD_ROWS = [
    # (what is wrong, the bad third line of the file, column, message fragment)
    ("date not YYYY-MM-DD", "05/10/2015,RTP,1,trafficking,", "occurred_on", "YYYY-MM-DD"),
    ("impossible date", "2015-10-32,RTP,1,trafficking,", "occurred_on", "Enter a valid date"),
    ("date outside the period", "2015-11-02,RTP,1,trafficking,", "occurred_on",
     "The date must be between 28 Sep 2015 and 28 Oct 2015"),
    ("unknown agency", "2015-10-04,XYZ,1,trafficking,", "agency",
     "“XYZ” is not an agency you may enter records for"),
    ("another agency of the officer's country", "2015-10-04,DSI,1,trafficking,", "agency",
     "is not an agency you may enter records for"),
    ("unknown choice", "2015-10-04,RTP,1,kidnap,", "crime_type",
     "“kidnap” is not one of the allowed values: trafficking, smuggling"),
    ("count of zero", "2015-10-04,RTP,0,trafficking,", "count", "Number of arrests: enter at least 1"),
    ("count not a number", "2015-10-04,RTP,three,trafficking,", "count", "Enter a whole number"),
    ("missing required cell", "2015-10-04,RTP,2,,fishing", "crime_type", "This field is required"),
]


@pytest.mark.parametrize(("problem", "line", "column", "message"), BAD_ROWS,
                         ids=[row[0] for row in BAD_ROWS])
def test_one_bad_row_imports_nothing_and_the_preview_names_row_and_field(
    client, demo, problem, line, column, message
):
    # given a file whose row 3 is wrong and rows 2 and 4 are good
    login(client, "officer.tha")
    content = (f"{ARREST_HEADER}\n2015-10-01,RTP,3,trafficking,fishing\n{line}\n"
               "2015-10-05,RTP,1,smuggling,\n")
    count = thai_arrests().count()

    # when uploaded
    response = upload(client, "arrests", "arrests.csv", content)
    page = preview(client, response)

    # then the preview names row 3 and the column, offers no confirmation, and nothing is saved
    text = page_text(page)
    assert f"Row 3, column “{column}”:" in text
    assert message in text
    assert "1 row has errors" in text
    assert "Import 3 records" not in text
    batch = batch_of(response)
    assert [(e["line"], e["field"]) for e in batch.errors] == [(3, column)]
    # and a confirmation forced through anyway is refused
    assert confirm(client, batch).status_code == 409
    assert thai_arrests().count() == count


def test_rules_only_the_services_check_show_in_the_preview(client, demo):
    # given an enquiry to the officer's own country and a training session that trained nobody
    login(client, "officer.tha")
    enquiries = ("occurred_on,agency,count,counterpart,channel,crime_type,answered_on\n"
                 "2015-10-05,RTP,1,THA,direct,trafficking,\n"
                 "2015-10-05,RTP,1,MMR,direct,trafficking,2015-10-01\n")
    training = ("occurred_on,agency,topic,police_trained,airport_trained,immigration_trained,"
                "compliance_trained\n2015-10-05,RTP,Victim identification,0,,0,\n")

    count = om.EnquiryRecord.objects.count()

    enquiry_page = page_text(preview(client, upload(client, "enquiries", "e.csv", enquiries)))
    training_page = page_text(preview(client, upload(client, "training-sessions", "t.csv", training)))

    assert "Row 2, column “counterpart”: An enquiry must be addressed to another country" in enquiry_page
    assert "Row 3, column “answered_on”: An enquiry cannot be answered before it was sent" in enquiry_page
    assert "Row 2, column “police_trained”: Enter how many officers were trained" in training_page
    assert om.EnquiryRecord.objects.count() == count


def test_a_row_refused_at_confirmation_rolls_back_the_rows_before_it(client, demo):
    # given the focal point's file for two agencies, previewed without errors
    login(client, "focal.tha")
    content = (f"{ARREST_HEADER}\n2015-10-01,RTP,3,trafficking,\n2015-10-02,RTP,1,smuggling,\n"
               "2015-10-03,DSI,2,trafficking,\n")
    batch = batch_of(upload(client, "arrests", "arrests.csv", content))
    assert batch.errors == []
    count = thai_arrests().count()
    # and, before confirmation, the third row's agency changes its acronym
    Agency.objects.filter(acronym="DSI").update(acronym="DSI-TH")

    # when confirmed
    response = confirm(client, batch)

    # then rows 2 and 3, written first, are rolled back with it; the error shows on the preview
    assert response.status_code == 400
    text = page_text(response)
    assert "Nothing was imported" in text
    assert "Row 4, column “agency”: “DSI” is not an agency you may enter records for" in text
    assert thai_arrests().count() == count
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.PREVIEW and batch.errors[0]["line"] == 4
    assert "Row 4, column “agency”" in page_text(client.get(reverse("operations:import_detail", args=[batch.pk])))


# ---------------------------------------------------------------------------------------------
# Locked returns
# ---------------------------------------------------------------------------------------------


def test_a_submitted_return_refuses_the_import(client, demo):
    # given the Philippines' return is submitted
    login(client, "officer.phl")
    count = om.ArrestRecord.objects.filter(country__code="PHL").count()

    # when a good file is uploaded
    page = preview(client, upload(client, "arrests", "arrests.csv",
                                  f"{ARREST_HEADER}\n2015-10-01,PNP,3,trafficking,\n"))

    # then the preview says the return is locked and offers no confirmation
    text = page_text(page)
    assert "The return of Philippines for" in text and "is submitted, so its records cannot be changed" in text
    assert "Nothing can be imported from this file." in text
    assert "Import 1 record" not in text
    batch = ImportBatch.objects.get(uploaded_by__username="officer.phl")
    assert confirm(client, batch).status_code == 409
    assert om.ArrestRecord.objects.filter(country__code="PHL").count() == count


def test_a_return_submitted_between_preview_and_confirmation_imports_nothing(client, demo):
    # given a previewed good file
    login(client, "officer.tha")
    batch = batch_of(upload(client, "arrests", "arrests.csv", GOOD_ARRESTS))
    count = thai_arrests().count()
    # and the focal point submits the return meanwhile
    country_return = om.CountryReturn.objects.get(country__code="THA")
    services.country_return_submit(actor=user("focal.tha"), country_return=country_return)

    # when confirmed
    response = confirm(client, batch)

    # then nothing is imported and the preview says why
    assert response.status_code == 400
    assert "is submitted, so its records cannot be changed" in page_text(response)
    assert thai_arrests().count() == count
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.PREVIEW
    assert batch.errors[0]["line"] is None


# ---------------------------------------------------------------------------------------------
# Templates
# ---------------------------------------------------------------------------------------------


def test_the_xlsx_template_filled_in_imports(client, demo):
    # given the downloaded template
    login(client, "officer.tha")
    response = client.get(reverse("operations:import_template_xlsx", args=["intelligence"]))
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="jpoa-intelligence-template.xlsx"'
    workbook = openpyxl.load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Records", "Help"]
    sheet = workbook["Records"]
    header = [cell.value for cell in sheet[1]]
    assert header == ["occurred_on", "agency", "title", "crime_type", "grading", "network_summary",
                      "modus_operandi"]
    help_text = "\n".join(str(c.value) for row in workbook["Help"].iter_rows() for c in row if c.value)
    assert "YYYY-MM-DD" in help_text and "RTP — Royal Thai Police" in help_text
    assert "probable — Probably true" in help_text

    # when one row is filled in and uploaded
    sheet.append([dt.date(2015, 10, 12), "RTP", "Brokers on trawlers", "trafficking", "",
                  "", "Debt bondage (test data)."])
    buffer = io.BytesIO()
    workbook.save(buffer)
    batch = batch_of(upload(client, "intelligence", "intel.xlsx", buffer.getvalue()))
    confirm(client, batch)

    # then the record exists, the empty grading taking its default
    record = om.IntelligenceReport.objects.get(title="Brokers on trawlers")
    assert (record.occurred_on, record.grading, record.created_by.username) == (
        dt.date(2015, 10, 12), "unknown", "officer.tha")


@pytest.mark.parametrize("slug", ["arrests", "victims-assisted", "enquiries", "training-sessions"])
def test_the_csv_template_is_the_header_row_and_parses_back(client, demo, slug):
    login(client, "officer.tha")
    response = client.get(reverse("operations:import_template_csv", args=[slug]))
    assert response.status_code == 200 and response["Content-Type"] == "text/csv; charset=utf-8"
    kind = imports.KINDS_BY_SLUG[slug]
    assert response.content.decode("utf-8-sig").strip() == ",".join(kind.entry_fields)

    values = {"occurred_on": "2015-10-10", "agency": "RTP", "count": "2", "crime_type": "trafficking",
              "sex": "female", "age_band": "18-24", "nationality": "LAO",
              "exploitation_type": "other", "counterpart": "AUS", "channel": "liaison_officer",
              "topic": "Interviewing", "police_trained": "9"}
    row = ",".join(values.get(name, "") for name in kind.entry_fields)
    count = kind.model.objects.count()
    batch = batch_of(upload(client, slug, "filled.csv", response.content + f"{row}\r\n".encode()))

    assert batch.errors == [], batch.errors
    assert confirm(client, batch).status_code == 302
    assert kind.model.objects.count() == count + 1


def test_the_upload_page_explains_every_column_and_links_the_templates(client, demo):
    login(client, "officer.tha")
    response = client.get(reverse("operations:record_import", args=["victims-assisted"]))
    text = page_text(response)
    assert response.status_code == 200
    for name in imports.KINDS_BY_SLUG["victims-assisted"].entry_fields:
        assert f"<code>{name}</code>" in text
    assert reverse("operations:import_template_xlsx", args=["victims-assisted"]) in text
    assert reverse("operations:import_template_csv", args=["victims-assisted"]) in text
    assert "Adult, 40 and over" in text


# ---------------------------------------------------------------------------------------------
# Files that are not imports: a clear error, nothing stored
# ---------------------------------------------------------------------------------------------

BAD_FILES = [
    ("empty", "arrests.csv", b"", "The submitted file is empty"),
    ("blank", "arrests.csv", b"\xef\xbb\xbf\r\n\r\n", "The file is empty"),
    ("header only", "arrests.csv", ARREST_HEADER.encode(), "a header row but no records"),
    ("wrong columns", "arrests.csv",
     b"date,agency,count,crime,sector,notes\n2015-10-01,RTP,1,trafficking,,\n",
     "Missing columns: occurred_on, crime_type. Unknown columns: date, crime, notes."),
    ("columns of another type", "arrests.csv",
     b"occurred_on,agency,count,sex,age_band,nationality,exploitation_type,sector\n",
     "does not match the template for arrests"),
    ("wrong extension", "arrests.txt", GOOD_ARRESTS.encode(), "Upload a .csv or .xlsx file"),
    ("old Excel format", "arrests.xls", GOOD_ARRESTS.encode(), "Upload a .csv or .xlsx file"),
    ("not UTF-8", "arrests.csv",
     f"{ARREST_HEADER}\n2015-10-01,RTP,1,trafficking,\n".replace("RTP", "RTP é").encode("latin-1"),
     "This CSV file is not in UTF-8"),
    ("not a workbook", "arrests.xlsx", GOOD_ARRESTS.encode(), "not a valid XLSX workbook"),
    ("too many rows", "arrests.csv",
     (ARREST_HEADER + "\n" + "2015-10-01,RTP,1,trafficking,\n" * (imports.MAX_ROWS + 1)).encode(),
     f"more than {imports.MAX_ROWS:,} records"),
    ("too large", "arrests.csv", ARREST_HEADER.encode() + b"\n" + b"x" * imports.MAX_BYTES,
     "larger than 5 MB"),
]


@pytest.mark.parametrize(("problem", "name", "content", "message"), BAD_FILES,
                         ids=[row[0] for row in BAD_FILES])
def test_a_file_that_is_not_an_import_is_refused_with_a_clear_error(
    client, demo, problem, name, content, message
):
    login(client, "officer.tha")

    response = upload(client, "arrests", name, content)

    assert response.status_code == 400
    assert message in page_text(response)
    assert not ImportBatch.objects.exists()


def test_a_semicolon_separated_csv_with_a_bom_is_read(client, demo):
    login(client, "officer.tha")
    content = "\ufeff" + GOOD_ARRESTS.replace(",", ";")

    batch = batch_of(upload(client, "arrests", "arrests.csv", content))

    assert batch.errors == [] and batch.row_count == 3


# ---------------------------------------------------------------------------------------------
# Who sees a batch, and discarding
# ---------------------------------------------------------------------------------------------


def test_a_batch_is_only_its_uploaders(client, demo):
    # given officer.tha's previewed file
    login(client, "officer.tha")
    batch = batch_of(upload(client, "arrests", "arrests.csv", GOOD_ARRESTS))

    # then another officer and the focal point of the same country get 404 and cannot confirm it
    for other in ("officer2.tha", "focal.tha", "admin"):
        login(client, other)
        assert client.get(reverse("operations:import_detail", args=[batch.pk])).status_code == 404
        assert confirm(client, batch).status_code == 404
    batch.refresh_from_db()
    assert batch.state == ImportBatch.State.PREVIEW


@pytest.mark.parametrize("username", ["cochair.nzl", "secretariat"])
def test_aggregate_roles_cannot_import(client, demo, username):
    login(client, username)
    for name in ("record_import", "import_template_csv", "import_template_xlsx"):
        assert client.get(reverse(f"operations:{name}", args=["arrests"])).status_code == 404


def test_discarding_deletes_the_cells_and_imports_nothing(client, demo):
    login(client, "officer.tha")
    batch = batch_of(upload(client, "arrests", "arrests.csv", GOOD_ARRESTS))
    count = thai_arrests().count()

    response = client.post(reverse("operations:import_detail", args=[batch.pk]))

    assert response.status_code == 302
    batch.refresh_from_db()
    assert (batch.state, batch.rows, batch.errors) == (ImportBatch.State.DISCARDED, [], [])
    assert confirm(client, batch).status_code == 409
    assert thai_arrests().count() == count
    # a discarded file may be uploaded again: it was never imported
    assert upload(client, "arrests", "arrests.csv", GOOD_ARRESTS).status_code == 302


def test_the_audit_trail_of_a_batch_keeps_no_cells(client, demo):
    login(client, "officer.tha")
    batch = batch_of(upload(client, "arrests", "arrests.csv", GOOD_ARRESTS))
    confirm(client, batch)

    events = Events.objects.filter(pgh_obj_model="operations.ImportBatch", pgh_obj_id=str(batch.pk))

    assert [e.pgh_label for e in events.order_by("pgh_id")] == ["insert", "update"]
    for event in events:
        assert "rows" not in event.pgh_data and "errors" not in event.pgh_data
        assert "Royal Thai Police" not in str(event.pgh_data)
