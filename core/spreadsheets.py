"""Cells of every spreadsheet the portal writes (CSV and XLSX): text that a spreadsheet program
would run as a formula is written inert (OWASP's CSV injection guidance), numbers stay numbers.

A country's officer can type ``=HYPERLINK("http://…","x")`` into a record that another
country's analyst exports and opens in Excel; so every writer puts its cells through here:

- CSV: text starting with one of FORMULA_STARTS gets a leading ``'`` (``csv_cell``; in SQL,
  ``CsvInert`` for the exports PostgreSQL writes itself);
- XLSX: text is always a string cell, never a formula, and text starting like a formula also
  carries Excel's quote prefix, so editing the cell does not turn it into one (``xlsx_cell``).
"""
from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Func, TextField, Value
from django.utils.functional import Promise

# What makes Excel, LibreOffice or Google Sheets read a cell as a formula (or a DDE command).
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
QUOTE = "'"


def starts_like_formula(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def csv_cell(value):
    """A CSV cell: text starting like a formula gets a leading quote; anything else as it is."""
    if isinstance(value, Promise):
        value = str(value)
    if isinstance(value, str) and starts_like_formula(value):
        return QUOTE + value
    return value


def csv_row(values: Iterable) -> list:
    return [csv_cell(value) for value in values]


class CsvInert(Func):
    """``csv_cell`` in SQL, for CSV lines PostgreSQL writes itself: text starting with one of
    FORMULA_STARTS gets a leading quote."""

    function = "regexp_replace"
    output_field = TextField()

    def __init__(self, expression, **extra):
        super().__init__(expression, Value(_FORMULA_START_PATTERN), Value(f"{QUOTE}\\1"), **extra)


# FORMULA_STARTS as one anchored bracket expression: "-" last (a literal there), tab and
# carriage return as the regex escapes \t and \r.
_FORMULA_START_CHARACTERS = "".join(
    {"\t": "\\t", "\r": "\\r"}.get(c, c) for c in FORMULA_STARTS if c != "-")
_FORMULA_START_PATTERN = f"^([{_FORMULA_START_CHARACTERS}-])"


def xlsx_cell(sheet, value, **style):
    """An openpyxl cell for ``sheet.append`` (a write-only sheet or a normal one): text is a
    string cell, never a formula; text starting like a formula also gets the quote prefix.
    Characters XLSX cannot hold (controls other than tab, line feed and carriage return) are
    dropped instead of failing the whole workbook. A cell already made (a number with its
    format) is made inert the same way. ``style``: font=..., alignment=..."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE, Cell

    if isinstance(value, Cell):
        cell = value
        value = cell.value
    else:
        if isinstance(value, Promise):
            value = str(value)
        if isinstance(value, str):
            value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # openpyxl makes text starting with "=" a formula
        if starts_like_formula(value):
            cell.quotePrefix = True
    for name, setting in style.items():
        setattr(cell, name, setting)
    return cell


def xlsx_row(sheet, values: Iterable, **style) -> list:
    return [xlsx_cell(sheet, value, **style) for value in values]
