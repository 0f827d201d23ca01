"""Spreadsheet formula injection (issue 18): text a country types into a record reaches another
country's analyst through the record CSV export; names reach everyone's import templates.

Each payload goes into every free-text field through the page, the import (CSV and XLSX) and
the API, and, exactly as given (a leading tab or carriage return survives no form), straight
into the table. Every file is then read back with the csv module and openpyxl: no cell starts
with a formula character (CSV: OWASP's leading quote), no XLSX cell is a formula, and an XLSX
text cell that starts like one carries Excel's quote prefix.
"""
from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse

from api.record_serializers import EXAMPLE_VALUES
from countries.models import Agency, Country
from operations.models import ImportBatch
from operations.records import KINDS, KINDS_BY_SLUG
from operations.selectors import joint_operation_current
from operations.services import record_share_create
from tests.api.conftest import token_client
from tests.fuzz.test_record_forms import record_form_baseline

PAYLOADS = ('=HYPERLINK("http://x.example/","x")', "+1+1", "-1+1", "@SUM(1+1)",
            "=cmd|' /C calc'!A0", "\tleading tab", "\rleading carriage return")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")  # OWASP's list, spelled out here on purpose
# Every free-text field of an outcome record (nationality is an ISO code, checked as one).
# An unusual figure's reason is free text too, except on victim records (a list of reasons).
FREE_TEXT = {**{slug: ("unusual_reason",) for slug in (
                 "arrests", "search-warrants", "suspects", "investigations", "enquiries",
                 "awareness-activities")},
             "training-sessions": ("topic", "unusual_reason"),
             "intelligence": ("title", "network_summary", "modus_operandi")}


def _free_text_fields(kind) -> tuple[str, ...]:
    found = []
    for name in kind.entry_fields:
        field = kind.model._meta.get_field(name)
        if (isinstance(field, models.CharField | models.TextField) and not field.choices
                and not field.is_relation and name != "nationality"):
            found.append(name)
    return tuple(found)


def test_the_payloads_go_into_every_free_text_field_there_is():
    assert {k.slug: _free_text_fields(k) for k in KINDS if _free_text_fields(k)} == FREE_TEXT


# ---------------------------------------------------------------------------------------------
# Reading the files back
# ---------------------------------------------------------------------------------------------


def csv_cells(content: bytes) -> list[str]:
    text = content.decode("utf-8-sig")
    return [cell for row in csv.reader(io.StringIO(text, newline="")) for cell in row]


def assert_inert_csv(content: bytes) -> list[str]:
    cells = csv_cells(content)
    dangerous = [cell for cell in cells if cell.startswith(FORMULA_STARTS)]
    assert not dangerous, f"CSV cells a spreadsheet would run: {dangerous[:5]}"
    return cells


def assert_inert_xlsx(content: bytes) -> list[str]:
    """Every cell's text; fails on any formula cell, or formula-like text without the prefix."""
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        for name in archive.namelist():
            if name.startswith("xl/worksheets/") and name.endswith(".xml"):
                xml = archive.read(name)
                assert b"<f>" not in xml and b"<f " not in xml, f"a formula in {name}"
    book = openpyxl.load_workbook(io.BytesIO(content))
    texts = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"{sheet.title}!{cell.coordinate} is a formula"
                if isinstance(cell.value, str):
                    texts.append(cell.value)
                    if cell.value.startswith(FORMULA_STARTS):
                        assert cell.data_type == "s" and cell.quotePrefix, (
                            f"{sheet.title}!{cell.coordinate} {cell.value!r} lacks the quote prefix")
        for validation in sheet.data_validations.dataValidation:
            offered = (validation.formula1 or "").strip('"').split(",")
            assert not [v for v in offered if v.startswith(FORMULA_STARTS)], validation.formula1
    return texts


# ---------------------------------------------------------------------------------------------
# The record CSV export, whatever way the text came in
# ---------------------------------------------------------------------------------------------


def export_csv(client, slug: str) -> bytes:
    response = client.get(reverse("operations:record_export_csv", args=[slug]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def stored_payloads(slug: str) -> set[str]:
    """The formula-like values now in the free-text fields of that record type."""
    model = KINDS_BY_SLUG[slug].model
    found = set()
    for name in FREE_TEXT[slug]:
        found |= {v for v in model.objects.values_list(name, flat=True) if v and v.startswith(FORMULA_STARTS)}
    return found


def assert_export_is_inert(client, slug: str, *, expected_at_least: int) -> None:
    # given: the payloads really are stored (else this would prove nothing)
    stored = stored_payloads(slug)
    assert len(stored) >= expected_at_least, stored
    # when
    cells = assert_inert_csv(export_csv(client, slug))
    # then: each stored value is in the file, as inert text
    missing = [value for value in stored if f"'{value}" not in cells]
    assert not missing, f"not in the export as inert text: {missing}"


def user(username: str):
    return get_user_model().objects.get(username=username)


@pytest.mark.parametrize("slug", FREE_TEXT)
def test_payloads_typed_on_the_page_are_inert_in_the_csv_export(client, demo, slug):
    # given: officer.tha enters one record per payload, the payload in every free-text field
    kind = KINDS_BY_SLUG[slug]
    client.force_login(user("officer.tha"))
    url = reverse("operations:record_create", args=[slug])
    baseline = record_form_baseline(kind, client.get(url).context["form"], joint_operation_current())
    for payload in PAYLOADS:
        response = client.post(url, {**baseline, **dict.fromkeys(FREE_TEXT[slug], payload)})
        assert response.status_code == 302, response.content[:2000]
    # then (the forms strip the leading tab and carriage return; the others stay as typed)
    assert_export_is_inert(client, slug, expected_at_least=5)


def _api_record(slug: str, payload: str) -> dict:
    rtp = Agency.objects.get(acronym="RTP").pk
    if slug not in ("training-sessions", "intelligence"):
        kind = KINDS_BY_SLUG[slug]
        return {name: payload if name in FREE_TEXT[slug] else EXAMPLE_VALUES[name]
                for name in kind.entry_fields} | {"agency": rtp}
    if slug == "training-sessions":
        return {"occurred_on": "2015-10-05", "agency": rtp, "topic": payload, "police_trained": 3,
                "unusual_reason": payload, "airport_trained": 0, "immigration_trained": 0, "compliance_trained": 0}
    return {"occurred_on": "2015-10-05", "agency": rtp, "title": payload, "crime_type": "trafficking",
            "grading": "probable", "network_summary": payload, "modus_operandi": payload}


@pytest.mark.parametrize("slug", FREE_TEXT)
def test_payloads_sent_to_the_api_are_inert_in_the_csv_export(client, demo, slug):
    # given: officer.tha posts each payload with a token, as the sweep did
    api = token_client("officer.tha")
    for payload in PAYLOADS:
        response = api.post(reverse(f"api:{slug}-list"), _api_record(slug, payload), format="json")
        assert response.status_code == 201, response.json()
    # then
    client.force_login(user("officer.tha"))
    assert_export_is_inert(client, slug, expected_at_least=5)


def _import_rows(client, slug: str) -> list[list[str]]:
    kind = KINDS_BY_SLUG[slug]
    url = reverse("operations:record_create", args=[slug])
    baseline = record_form_baseline(kind, client.get(url).context["form"], joint_operation_current())
    baseline["agency"] = "RTP"  # the import names the agency by acronym
    if "counterpart" in baseline:  # and the counterpart by code
        baseline["counterpart"] = Country.objects.get(pk=baseline["counterpart"]).code
    for name in kind.entry_fields:
        if isinstance(baseline[name], list):
            baseline[name] = ",".join(baseline[name])
    return [list(kind.entry_fields)] + [
        [payload if name in FREE_TEXT[slug] else baseline[name] for name in kind.entry_fields]
        for payload in PAYLOADS]


def _as_csv(rows) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    return buffer.getvalue().encode()


def _as_xlsx(rows) -> bytes:
    book = openpyxl.Workbook()
    for r, row in enumerate(rows, start=1):
        for c, value in enumerate(row, start=1):
            cell = book.active.cell(row=r, column=c, value=value)
            cell.data_type = "s"  # typed as text (Excel: a leading quote), not as a formula
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("file_format", ["csv", "xlsx"])
@pytest.mark.parametrize("slug", FREE_TEXT)
def test_payloads_imported_from_a_file_are_inert_in_the_csv_export(client, demo, slug, file_format):
    # given: officer.tha imports a file with one row per payload
    client.force_login(user("officer.tha"))
    rows = _import_rows(client, slug)
    content = _as_csv(rows) if file_format == "csv" else _as_xlsx(rows)
    uploaded = client.post(reverse("operations:record_import", args=[slug]),
                           {"file": SimpleUploadedFile(f"payloads.{file_format}", content)})
    assert uploaded.status_code == 302, uploaded.content[:2000]
    batch = int(uploaded.url.rstrip("/").rsplit("/", 1)[-1])
    before = KINDS_BY_SLUG[slug].model.objects.count()
    confirmed = client.post(reverse("operations:import_confirm", args=[batch]))
    assert confirmed.status_code == 302, ImportBatch.objects.get(pk=batch).errors
    assert KINDS_BY_SLUG[slug].model.objects.count() == before + len(PAYLOADS)
    # then
    assert_export_is_inert(client, slug, expected_at_least=5)


@pytest.mark.parametrize("slug", FREE_TEXT)
def test_every_payload_stored_exactly_crosses_the_border_inert(client, demo, slug):
    # given: Thai records holding each payload exactly, leading tab and carriage return included
    # (as a bulk update would write them), shared with Australia
    model = KINDS_BY_SLUG[slug].model
    api = token_client("officer.tha")
    australia = Country.objects.get(code="AUS")
    for payload in PAYLOADS:
        created = api.post(reverse(f"api:{slug}-list"), _api_record(slug, "Placeholder"), format="json")
        assert created.status_code == 201, created.json()
        record = model.objects.get(pk=created.json()["id"])
        model.objects.filter(pk=record.pk).update(**dict.fromkeys(FREE_TEXT[slug], payload))
        record_share_create(actor=user("focal.tha"), record=record, shared_with=australia,
                            reason="Formula injection test")
    # when: Australia's officer exports the records they may read, Thailand's shared ones too
    client.force_login(user("officer.aus"))
    # then: all seven payloads come back as inert text
    assert_export_is_inert(client, slug, expected_at_least=len(PAYLOADS))


@pytest.mark.parametrize("slug", FREE_TEXT)
def test_numbers_and_dates_stay_as_they_are(client, demo, slug):
    client.force_login(user("officer.tha"))
    rows = list(csv.reader(io.StringIO(export_csv(client, slug).decode(), newline="")))
    header, first = rows[0], rows[1]
    assert first[header.index("id")].isdigit()
    assert first[header.index("occurred_on")][:4] == "2015"
    assert not any(cell.startswith("'") for row in rows for cell in row)  # nothing to neutralise


# ---------------------------------------------------------------------------------------------
# Import templates: names of agencies and countries
# ---------------------------------------------------------------------------------------------


def test_import_templates_write_names_that_start_like_formulas_as_inert_text(client, demo):
    # given: Thai agencies and a counterpart whose names and acronyms are the payloads
    thailand = Country.objects.get(code="THA")
    for i, payload in enumerate(PAYLOADS):
        Agency.objects.create(country=thailand, name=f"{payload} agency {i}", acronym=payload[:20],
                              kind="other")
    Country.objects.filter(code="MMR").update(name=PAYLOADS[0])
    client.force_login(user("focal.tha"))  # a focal point enters for every Thai agency
    for kind in KINDS:
        # when
        template_csv = client.get(reverse("operations:import_template_csv", args=[kind.slug]))
        template_xlsx = client.get(reverse("operations:import_template_xlsx", args=[kind.slug]))
        # then
        assert template_csv.status_code == template_xlsx.status_code == 200
        assert_inert_csv(template_csv.content)
        texts = assert_inert_xlsx(template_xlsx.content)
        # the payloads are in the Help sheet (agencies), as text
        joined = "\n".join(texts)
        # (XML reads a carriage return in text as a line feed: it comes back starting with one)
        missing = [p for p in PAYLOADS if p[:20].replace("\r", "\n") not in joined]
        assert not missing, (kind.slug, missing)
