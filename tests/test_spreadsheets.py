"""The one helper every spreadsheet writer uses (core/spreadsheets.py): formula-like text made
inert, in Python and in PostgreSQL alike; numbers, dates and other text left as they are."""
from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.db.models import Value
from django.utils.translation import gettext_lazy

from core.spreadsheets import CsvInert, csv_cell, csv_row, xlsx_cell, xlsx_row
from countries.models import Country

PAYLOADS = ('=HYPERLINK("http://x.example/","x")', "+1+1", "-1+1", "@SUM(1+1)",
            "=cmd|' /C calc'!A0", "\tleading tab", "\rleading carriage return", "-", "=")
HARMLESS = ("RESTRICTED", "1+1", "a=b", " =not at the start", "'=already quoted", "", "12-17",
            "ÉTÉ", "שלום", "x\t", "line\nbreak")


@pytest.mark.parametrize("text", PAYLOADS)
def test_formula_like_text_gets_a_leading_quote_in_csv(text):
    assert csv_cell(text) == f"'{text}"


@pytest.mark.parametrize("text", HARMLESS)
def test_other_text_is_left_as_it_is_in_csv(text):
    assert csv_cell(text) == text


@pytest.mark.parametrize("value", [-1, 0, 7, -2.5, 10**20, None, True, dt.date(2015, 10, 5)])
def test_numbers_and_dates_stay_what_they_are_in_csv(value):
    assert csv_cell(value) is value or csv_cell(value) == value
    assert type(csv_cell(value)) is type(value)


def test_lazy_translations_are_text():
    assert csv_row([gettext_lazy("Arrests"), 3]) == ["Arrests", 3]


@pytest.mark.django_db
@pytest.mark.parametrize("text", PAYLOADS + HARMLESS)
def test_postgresql_makes_the_same_cells_as_python(text):
    # given a row holding the text (the record CSV is written by PostgreSQL)
    country = Country.objects.create(code="ZZZ", name="Testland")
    # when
    written = Country.objects.filter(pk=country.pk).annotate(
        cell=CsvInert(Value(text))).values_list("cell", flat=True).get()
    # then
    assert written == csv_cell(text)
    assert connection.vendor == "postgresql"


def _round_trip(values, *, write_only: bool):
    book = openpyxl.Workbook(write_only=write_only)
    sheet = book.create_sheet("Sheet") if write_only else book.active
    sheet.append(xlsx_row(sheet, values))
    buffer = io.BytesIO()
    book.save(buffer)
    return list(openpyxl.load_workbook(io.BytesIO(buffer.getvalue())).worksheets[0][1])


@pytest.mark.parametrize("write_only", [True, False], ids=["write-only", "normal"])
def test_xlsx_text_is_a_string_cell_never_a_formula(write_only):
    cells = _round_trip(list(PAYLOADS), write_only=write_only)
    for cell, text in zip(cells, PAYLOADS, strict=True):
        assert cell.data_type == "s", (text, cell.data_type)
        assert cell.quotePrefix, text  # editing it in Excel does not make it a formula
        # the text itself is kept (XML reads a carriage return as a line feed)
        assert cell.value == text.replace("\r", "\n")


@pytest.mark.parametrize("write_only", [True, False], ids=["write-only", "normal"])
def test_xlsx_numbers_stay_numbers_and_other_text_gets_no_prefix(write_only):
    values = [-1, 0, 485, -2.5, "RESTRICTED", "1+1", dt.date(2015, 10, 5)]
    cells = _round_trip(values, write_only=write_only)
    assert [c.data_type for c in cells] == ["n", "n", "n", "n", "s", "s", "d"]
    assert cells[0].value == -1 and cells[3].value == -2.5
    assert not any(c.quotePrefix for c in cells)


def test_xlsx_drops_characters_a_workbook_cannot_hold():
    # A bell in a name would make openpyxl refuse the whole workbook.
    [cell] = _round_trip(["Agency\x07 name"], write_only=True)
    assert cell.value == "Agency name"


def test_a_cell_already_made_is_made_inert_too():
    from openpyxl.cell import WriteOnlyCell

    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Sheet")
    made = WriteOnlyCell(sheet, value="=1+1")
    assert made.data_type == "f"  # what openpyxl does by itself
    assert xlsx_cell(sheet, made) is made and made.data_type == "s" and made.quotePrefix
