"""Fuzzing the bulk import (CSV and XLSX) of every record type through the real pages.

Row cases: a valid row with one cell replaced by a bad value (typed cells too in XLSX: numbers,
dates, booleans where text is expected). The preview names the row and the column, the
confirmation is refused, and no record, total or audit row is written. File cases: files that
are not an import at all (random bytes, a wrong header, nothing) are refused on the upload's
``file`` field and store nothing.
"""
from __future__ import annotations

import csv
import datetime as dt
import html
import io

import openpyxl
import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import assume, given
from hypothesis import strategies as st
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from operations import imports
from operations.models import ImportBatch
from operations.records import KINDS
from operations.selectors import joint_operation_current
from tests.fuzz.harness import (
    FUZZ,
    bad_values,
    changed_tables,
    checksum,
    checksum_query,
    count_case,
    login,
)
from tests.fuzz.test_record_forms import OFFICER, record_form_baseline

# The preview keeps the uploaded rows and their errors in an ImportBatch: that row (with its
# audit event and the event's request context) is the preview itself; everything else must
# stay as it was.
PREVIEW_TABLES = ("operations_importbatch", "pghistory_context")


def csv_file(header, row) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerow(["" if value is None else value for value in row])
    return out.getvalue().encode("utf-8")


def xlsx_file(header, row) -> bytes:
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = imports.RECORDS_SHEET
    sheet.append(list(header))
    sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


# Cells of the wrong type, as a spreadsheet holds them.
TYPED_CELLS = st.one_of(st.booleans(), st.floats(allow_nan=False, allow_infinity=False).filter(
    lambda f: not f.is_integer()), st.datetimes(min_value=dt.datetime(1900, 1, 2)),
    st.integers(min_value=2**31, max_value=10**18), st.integers(max_value=-1))


def accepted_texts(reader: imports._RowReader, name: str) -> set[str]:
    """Every text the import accepts in the column (codes, labels, acronyms, names)."""
    if name == "agency":
        return set(reader.agency_keys)
    if name == "counterpart":
        return set(reader.countries)
    return set(reader.choices.get(name, {}))


def upload(client, kind, name, content):
    return client.post(reverse("operations:record_import", args=[kind.slug]),
                       {"file": SimpleUploadedFile(name, content)})


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
@pytest.mark.parametrize("kind", KINDS, ids=lambda k: k.slug)
def test_import_reports_bad_cells_by_row_and_column(fuzz_demo, client, kind, fmt):
    # given a valid one-row file of this type, officer.tha's
    user = login(client, OFFICER)
    joint_operation = joint_operation_current()
    form = client.get(reverse("operations:record_create", args=[kind.slug])).context["form"]
    period = (joint_operation.starts_on, joint_operation.ends_on)
    baseline = record_form_baseline(kind, form, joint_operation)
    agency = form.fields["agency"].queryset.get(pk=baseline["agency"])
    baseline["agency"] = agency.acronym
    if "counterpart" in baseline:
        baseline["counterpart"] = form.fields["counterpart"].queryset.get(
            pk=baseline["counterpart"]).code
    reader = imports._RowReader(kind=kind, user=user, joint_operation=joint_operation)
    header = list(kind.entry_fields)
    make_file = csv_file if fmt == "csv" else xlsx_file
    query = checksum_query(exclude=PREVIEW_TABLES)
    before = checksum(query)
    strategies = {name: bad_values(form.fields[name],
                                   period=period if name == "occurred_on" else None)
                  for name in header}
    if fmt == "xlsx":  # numbers, dates and booleans in columns of numbers, dates or codes
        strategies = {name: st.one_of(strategy, TYPED_CELLS) if isinstance(
            form.fields[name], (forms.IntegerField, forms.DateField, forms.ChoiceField))
            else strategy for name, strategy in strategies.items()}

    @FUZZ
    @given(data=st.data())
    def case(data):
        name = data.draw(st.sampled_from(header), label="column")
        value = data.draw(strategies[name], label="value")
        text = imports._cell_text(value)
        model_field = kind.model._meta.get_field(name)
        # An empty cell takes the column's default; a known code or label is a good value.
        assume(text.strip() != "" or not model_field.has_default())
        assume(text.strip().lower() not in accepted_texts(reader, name))
        if fmt == "xlsx" and isinstance(value, str):
            assume(not ILLEGAL_CHARACTERS_RE.search(value))  # Excel cannot hold these
        row = [value if column == name else baseline[column] for column in header]
        batches = ImportBatch.objects.count()
        # when the file is uploaded
        response = upload(client, kind, f"fuzz.{fmt}", make_file(header, row))
        if fmt == "csv" and "\x00" in text:
            # then a CSV holding a NUL is no text file: refused as a whole, nothing stored
            assert response.status_code == 400
            assert response.context["form"].errors["file"]
            assert ImportBatch.objects.count() == batches
        else:
            # then the preview names row 2 and the column, and cannot be confirmed
            assert response.status_code == 302, (name, value, response.status_code)
            batch = ImportBatch.objects.get(pk=int(response.url.rstrip("/").rsplit("/", 1)[-1]))
            assert {(e["line"], e["field"]) for e in batch.errors} >= {(2, name)}, (
                name, value, batch.errors)
            page = client.get(response.url)
            assert page.status_code == 200
            assert not page.context["can_confirm"]
            shown = html.unescape(page.content.decode())
            assert all(e["message"] in shown for e in batch.errors if e["line"] == 2)
            refused = client.post(reverse("operations:import_confirm", args=[batch.pk]))
            assert refused.status_code == 409
        assert changed_tables(before, checksum(query)) == [], (name, value)
        count_case(f"import {fmt} {kind.slug}")

    case()
    # The baseline row itself imports: the errors above came from the bad cells.
    response = upload(client, kind, f"good.{fmt}", make_file(header, [baseline[c] for c in header]))
    batch = ImportBatch.objects.get(pk=int(response.url.rstrip("/").rsplit("/", 1)[-1]))
    assert batch.errors == []


NOT_AN_IMPORT = st.one_of(
    st.binary(max_size=2000),
    st.text(max_size=500).map(lambda t: t.encode("utf-8")),
    st.lists(st.text(alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)),
                     max_size=15), min_size=1, max_size=8).map(
        lambda cells: (",".join(cells) + "\n2015-10-05,RTP,1\n").encode("utf-8")),
    st.sampled_from([b"", b"\xef\xbb\xbf", b"\xff\xfe\x00\x00", b"PK\x03\x04broken",
                     "occurred_on;agency\n".encode("utf-16")]),
)


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_upload_of_something_else_is_refused_on_the_file_field(fuzz_demo, client, fmt):
    login(client, OFFICER)
    kind = KINDS[0]
    query = checksum_query()
    before = checksum(query)

    @FUZZ
    @given(content=NOT_AN_IMPORT, name=st.sampled_from([f"fuzz.{fmt}", "fuzz", "fuzz.txt",
                                                        f"\u202efuzz.{fmt}\x00.exe"]))
    def case(content, name):
        response = upload(client, kind, name, content)
        assert response.status_code == 400, (name, content[:80])
        assert response.context["form"].errors["file"]
        assert changed_tables(before, checksum(query)) == []
        count_case(f"import file {fmt}")

    case()
