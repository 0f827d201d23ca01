"""Bulk import of outcome records from CSV and XLSX: templates, parsing, preview and confirm.

A file goes upload -> preview -> confirm. Every row is parsed by the same form as the web page
(so the messages match) and written by ``services.record_create`` (so the same rules, access
checks, return lock and audit apply). The preview runs the whole import and rolls it back, so
it shows every error the confirm would meet; the confirm writes every row in one transaction,
or none. A file already imported (same bytes, same record type, country and joint operation)
is refused.
"""
from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import openpyxl
import pghistory
from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from core.spreadsheets import csv_row, starts_like_formula, xlsx_row
from countries import access
from countries.models import Country

from . import plausibility, services
from .forms import RecordForm, record_form_class
from .models import ImportBatch, JointOperation
from .records import KINDS_BY_SLUG, RecordKind

MAX_ROWS = 2000
MAX_BYTES = 5 * 1024 * 1024
# An XLSX is a zip: refuse one that unpacks to far more than any honest sheet of MAX_ROWS rows.
MAX_XLSX_UNPACKED_BYTES = 60 * 1024 * 1024
EXTENSIONS = (".csv", ".xlsx")
DATE_PATTERN = re.compile(r"\d{4}-\d{2}-\d{2}")
PREVIEW_ROWS = 100  # rows shown when the file has no errors
PREVIEW_ERROR_ROWS = 500  # rows with errors shown at most

RECORDS_SHEET = "Records"
HELP_SHEET = "Help"


class ImportRefused(ValidationError):
    """The file cannot be imported at all (format, columns, size, already imported...).

    Nothing is stored when an upload is refused.
    """


class ImportFailed(ValidationError):
    """Confirming met errors: nothing was imported; the errors are saved on the batch."""


# ---------------------------------------------------------------------------------------------
# What each column takes: shared by the template's Help sheet and the upload page
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    name: str  # the machine name, as in the header row
    label: str
    required: bool
    format: str
    allowed: tuple[tuple[str, str], ...] = ()  # (value to write, what it means)
    is_date: bool = False
    is_text: bool = False  # kept as text in the XLSX template (codes, age bands...)


def _english(label) -> str:
    with translation.override("en"):
        return str(label)


def _entry_form(kind: RecordKind, *, user, joint_operation: JointOperation) -> RecordForm:
    """The web page's entry form for ``kind``, unbound (the import binds it to each row)."""
    return record_form_class(kind)(user=user, joint_operation=joint_operation)


def import_columns(*, kind: RecordKind, user, joint_operation: JointOperation) -> list[Column]:
    """The template's columns in order, with what each one takes."""
    form = _entry_form(kind, user=user, joint_operation=joint_operation)
    columns = []
    for name in kind.entry_fields:
        model_field = kind.model._meta.get_field(name)
        form_field = form.fields[name]
        default = model_field.get_default() if model_field.has_default() else None
        required = form_field.required and default is None
        label = str(model_field.verbose_name)
        if model_field.help_text:
            label = f"{label}: {model_field.help_text}"
        allowed: tuple[tuple[str, str], ...] = ()
        is_date = is_text = False
        if name == "occurred_on":
            is_date = True
            text = _("Date as YYYY-MM-DD, between %(start)s and %(end)s.") % {
                "start": joint_operation.starts_on.isoformat(),
                "end": joint_operation.ends_on.isoformat()}
        elif name == "agency":
            is_text = True
            text = _("The agency's acronym (or its full name).")
            allowed = tuple((a.acronym or a.name, a.name) for a in form_field.queryset)
        elif name == "counterpart":
            is_text = True
            text = _("Code of the country (ISO 3166-1 alpha-3, e.g. MMR) or organisation.")
            allowed = tuple((c.code, c.name) for c in form_field.queryset)
        elif name == "nationality":
            is_text = True
            text = _("ISO 3166-1 alpha-3 code, e.g. MMR for Myanmar.")
        elif model_field.choices:
            is_text = True
            text = _("One of the values below: the code or the English label.")
            allowed = tuple((key, _english(label_)) for key, label_ in model_field.flatchoices)
        elif model_field.get_internal_type() == "DateField":
            is_date = True
            text = _("Date as YYYY-MM-DD.")
        elif model_field.get_internal_type() in ("PositiveIntegerField", "IntegerField"):
            text = _("A whole number.")
            limit = kind.figure_limits.get(name)
            if limit is not None:
                text = _("A whole number, %(minimum)s to %(hard)s; an unusually large one needs a "
                         "reason in the column “%(column)s”.") % {
                    "minimum": limit.minimum, "hard": f"{limit.hard:,}",
                    "column": plausibility.REASON_FIELD}
        else:
            is_text = True
            text = _("Text, up to %(n)s characters.") % {"n": model_field.max_length} \
                if model_field.max_length else _("Text.")
        if default not in (None, ""):
            text = f"{text} " + _("Empty means %(default)s.") % {"default": default}
        elif not required:
            text = f"{text} " + _("May be left empty.")
        columns.append(Column(name, label, required, text, allowed, is_date, is_text))
    return columns


# ---------------------------------------------------------------------------------------------
# Templates
# ---------------------------------------------------------------------------------------------


def import_template_csv(*, kind: RecordKind) -> bytes:
    """The header row alone; UTF-8 with a byte-order mark so that Excel reads it as UTF-8."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerow(csv_row(kind.entry_fields))
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def import_template_xlsx(*, kind: RecordKind, user, joint_operation: JointOperation) -> bytes:
    """A Records sheet with the header row (and drop-down lists), and a Help sheet.

    Every cell goes through ``core.spreadsheets.xlsx_row``: an agency's or a country's name
    that starts like a formula is written as inert text."""
    columns = import_columns(kind=kind, user=user, joint_operation=joint_operation)
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = RECORDS_SHEET
    sheet.append(xlsx_row(sheet, [column.name for column in columns]))
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        sheet.cell(row=1, column=index).font = bold
        sheet.column_dimensions[letter].width = max(14, len(column.name) + 4)
        cells = f"{letter}2:{letter}{MAX_ROWS + 1}"
        if column.is_date:
            sheet.column_dimensions[letter].number_format = "yyyy-mm-dd"
        elif column.is_text:
            # Text, so that Excel keeps "12-17" or "0-11" as written instead of making a date.
            sheet.column_dimensions[letter].number_format = "@"
        values = ",".join(value for value, _label in column.allowed)
        # Picking from a drop-down enters the value as if typed: none may start like a formula.
        inert = not any(starts_like_formula(value) for value, _label in column.allowed)
        if column.allowed and len(values) <= 255 and '"' not in values and inert:
            # A drop-down to pick from; typing a label (also accepted) is not refused.
            validation = DataValidation(type="list", formula1=f'"{values}"', allow_blank=True,
                                        showErrorMessage=False)
            validation.add(cells)
            sheet.add_data_validation(validation)

    help_sheet = workbook.create_sheet(HELP_SHEET)
    help_sheet.append(xlsx_row(help_sheet, [_("Import template: %(title)s") % {"title": kind.title}]))
    help_sheet["A1"].font = Font(bold=True, size=13)
    help_sheet.append(xlsx_row(help_sheet, [_(
        "Enter one record per row on the %(sheet)s sheet, from row 2 on; keep the header row "
        "as it is. Errors name the row number of that sheet. A file with any error imports "
        "nothing, and the same file is never imported twice."
    ) % {"sheet": RECORDS_SHEET}]))
    help_sheet.append([])
    help_sheet.append(xlsx_row(help_sheet, [_("Column"), _("Required"), _("What it is"), _("Format"),
                                            _("Allowed values")]))
    for cell in help_sheet[4]:
        cell.font = bold
    wrap = Alignment(wrap_text=True, vertical="top")
    for column in columns:
        help_sheet.append(xlsx_row(help_sheet, [
            column.name, _("yes") if column.required else _("no"), column.label, column.format,
            "\n".join(f"{value} — {label}" if label != value else value
                      for value, label in column.allowed),
        ]))
        for cell in help_sheet[help_sheet.max_row]:
            cell.alignment = wrap
    for letter, width in zip("ABCDE", (22, 10, 40, 45, 55), strict=True):
        help_sheet.column_dimensions[letter].width = width
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# ---------------------------------------------------------------------------------------------
# Reading a file into rows of text
# ---------------------------------------------------------------------------------------------


def _refuse(message: str, code: str) -> ImportRefused:
    return ImportRefused(message, code=code)


def _cell_text(value) -> str:
    """A spreadsheet cell as the text the web form would receive."""
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _csv_lines(content: bytes) -> Iterator[list[str]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _refuse(_(
            "This CSV file is not in UTF-8. In Excel, save it as “CSV UTF-8 (comma delimited)”, "
            "or use the XLSX template."
        ), "not_utf8") from error
    if "\x00" in text:
        raise _refuse(_("This file is not a CSV text file."), "not_csv")
    first_line = text.split("\n", 1)[0]
    # Excel writes semicolons where the comma is the decimal separator.
    delimiter = max((",", ";", "\t"), key=first_line.count)
    try:
        for cells in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True):
            yield [cell.strip() for cell in cells]
    except csv.Error as error:
        raise _refuse(_("This CSV file cannot be read: %(error)s.") % {"error": error},
                      "bad_csv") from error


def _xlsx_lines(content: bytes) -> Iterator[list[str]]:
    not_xlsx = _refuse(_("This file is not a valid XLSX workbook. Save it from Excel or "
                         "LibreOffice as .xlsx, or use the CSV template."), "not_xlsx")
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as error:
        raise not_xlsx from error
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise not_xlsx
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many different errors on a damaged file
        raise not_xlsx from error
    try:
        sheet = workbook[RECORDS_SHEET] if RECORDS_SHEET in workbook.sheetnames else workbook.worksheets[0]
        for values in sheet.iter_rows(values_only=True):
            yield [_cell_text(value) for value in values]
    finally:
        workbook.close()


@dataclass(frozen=True)
class ParsedFile:
    rows: list[dict]  # {"line": spreadsheet row number, "cells": {column: text}}
    errors: list[dict]  # rows whose shape is wrong (more cells than columns)


def _check_header(kind: RecordKind, cells: list[str]) -> list[str]:
    header = [cell.strip().lower() for cell in cells]
    while header and not header[-1]:
        header.pop()
    expected = list(kind.entry_fields)
    unknown = [name or _("(no name, column %(n)s)") % {"n": i} for i, name in enumerate(header, 1)
               if name not in expected]
    # The reason column may be left out of a file that needs none.
    missing = [name for name in expected if name not in header and name != plausibility.REASON_FIELD]
    repeated = sorted({name for name in header if name and header.count(name) > 1})
    if unknown or missing or repeated:
        problems = []
        if missing:
            problems.append(_("Missing columns: %(names)s.") % {"names": ", ".join(missing)})
        if unknown:
            problems.append(_("Unknown columns: %(names)s.") % {"names": ", ".join(unknown)})
        if repeated:
            problems.append(_("Columns given twice: %(names)s.") % {"names": ", ".join(repeated)})
        raise _refuse(
            _("The header row (row 1) does not match the template for %(title)s.") % {
                "title": str(kind.title).lower()}
            + " " + " ".join(problems) + " "
            + _("The columns are: %(names)s.") % {"names": ", ".join(expected)},
            "columns",
        )
    return header


def refuse_if_too_large(size: int) -> None:
    if size > MAX_BYTES:
        raise _refuse(_("The file is larger than 5 MB; split it into smaller files."), "too_large")


def parse_import_file(*, kind: RecordKind, file_name: str, content: bytes) -> ParsedFile:
    """The file's non-empty rows as text, numbered as a spreadsheet numbers them (header = 1).

    Raises ImportRefused for anything that is not a file of this type's template.
    """
    extension = "." + file_name.rsplit(".", 1)[-1].lower() if "." in file_name else ""
    if extension not in EXTENSIONS:
        raise _refuse(_("Upload a .csv or .xlsx file, like the templates; “%(name)s” is neither.")
                      % {"name": file_name}, "extension")
    refuse_if_too_large(len(content))
    if not content:
        raise _refuse(_("The file is empty."), "empty")
    lines = _csv_lines(content) if extension == ".csv" else _xlsx_lines(content)
    header: list[str] | None = None
    rows, errors = [], []
    for line, cells in enumerate(lines, start=1):
        if not any(cells):
            continue
        if header is None:
            if line != 1:
                raise _refuse(_("Row 1 must be the header row; it is empty."), "columns")
            header = _check_header(kind, cells)
            continue
        if len(rows) == MAX_ROWS:
            raise _refuse(_("The file has more than %(max)s records; split it into smaller files.")
                          % {"max": f"{MAX_ROWS:,}"}, "too_many_rows")
        if any(cells[len(header):]):
            errors.append(_error(line, None, _(
                "This row has more cells than the header row has columns (%(n)s)."
            ) % {"n": len(header)}))
        rows.append({"line": line, "cells": {
            name: cells[i] if i < len(cells) else "" for i, name in enumerate(header)}})
    if header is None:
        raise _refuse(_("The file is empty."), "empty")
    if not rows:
        raise _refuse(_("The file has a header row but no records."), "no_rows")
    return ParsedFile(rows=rows, errors=errors)


# ---------------------------------------------------------------------------------------------
# Turning rows into records: the same form as the web page, then the record services
# ---------------------------------------------------------------------------------------------


def _error(line: int | None, field: str | None, message: str, code: str | None = None) -> dict:
    """One error of a file: its row, column, message, and code (``too_large``...) if known."""
    return {"line": line, "field": field, "message": str(message), "code": code}


class _ResolvedField(forms.Field):
    """A foreign-key column the import has already matched (by acronym or code) to an object
    of the form field's own queryset: the cell carries the object's pk, so no query per row."""

    def __init__(self, original: forms.Field, objects):
        super().__init__(required=original.required, label=original.label,
                         error_messages=original.error_messages)
        self.objects = {obj.pk: obj for obj in objects}

    def to_python(self, value):
        return None if value in self.empty_values else self.objects[value]


class _RowReader:
    """Reads rows of one type for one user: maps codes to ids and runs the entry form."""

    def __init__(self, *, kind: RecordKind, user, joint_operation: JointOperation):
        self.kind, self.user, self.joint_operation = kind, user, joint_operation
        # One form for every row: building one costs queries, and a file has thousands of rows.
        self.form = _entry_form(kind, user=user, joint_operation=joint_operation)
        probe = self.form
        self.agencies = list(probe.fields["agency"].queryset)
        self.agency_keys: dict[str, list] = {}
        for agency in self.agencies:
            keys = {agency.name.lower()}
            if agency.acronym:
                keys |= {agency.acronym.lower(), f"{agency.acronym} ({agency.country.code})".lower()}
            for key in keys:
                self.agency_keys.setdefault(key, []).append(agency)
        self.countries: dict[str, Country] = {}
        if "counterpart" in probe.fields:
            for country in probe.fields["counterpart"].queryset:
                self.countries[country.code.lower()] = country
                self.countries.setdefault(country.name.lower(), country)
            probe.fields["counterpart"] = _ResolvedField(probe.fields["counterpart"],
                                                         self.countries.values())
        probe.fields["agency"] = _ResolvedField(probe.fields["agency"], self.agencies)
        self.choices: dict[str, dict[str, str]] = {}
        for name in kind.entry_fields:
            model_field = kind.model._meta.get_field(name)
            if model_field.choices:
                lookup = {}
                for key, label in model_field.flatchoices:
                    lookup[_english(label).lower()] = key
                    lookup[str(label).lower()] = key
                    lookup[key.lower()] = key
                self.choices[name] = lookup
        self.country: Country | None = None  # the file's country: its first agency's

    def find_country(self, rows: Iterable[dict]) -> Country | None:
        """The file's country: that of the first row whose agency the user may enter for."""
        for row in rows:
            agency, _message = self.agency(row["cells"].get("agency", ""))
            if agency is not None:
                self.country = agency.country
                break
        return self.country

    def agency(self, text: str):
        matches = self.agency_keys.get(text.lower(), [])
        if len(matches) == 1:
            return matches[0], None
        if matches:
            return None, _("“%(value)s” matches more than one agency (%(agencies)s): write it "
                           "as in the list, e.g. “%(example)s”.") % {
                "value": text, "agencies": ", ".join(str(a) for a in matches),
                "example": str(matches[0])}
        known = ", ".join(a.acronym or a.name for a in self.agencies[:12])
        return None, _("“%(value)s” is not an agency you may enter records for. Use the "
                       "acronym of one of: %(known)s.") % {"value": text, "known": known}

    def read(self, row: dict) -> tuple[dict | None, list[dict]]:
        """The row as ``record_create`` data, or None and the row's errors."""
        line, cells = row["line"], row["cells"]
        data, errors, failed = {}, [], set()

        def fail(field, message):
            errors.append(_error(line, field, message))
            failed.add(field)

        for name in self.kind.entry_fields:
            text = cells.get(name, "")
            model_field = self.kind.model._meta.get_field(name)
            if text == "" and model_field.has_default() and not model_field.blank:
                text = str(model_field.get_default())
            if text == "":
                data[name] = ""
            elif name == "agency":
                agency, message = self.agency(text)
                if agency is None:
                    fail(name, message)
                    continue
                if self.country is None:
                    self.country = agency.country
                elif agency.country_id != self.country.pk:
                    fail(name, _("One file holds the records of one country: %(agency)s is of "
                                 "%(country)s, earlier rows are of %(first)s.") % {
                        "agency": agency, "country": agency.country.name,
                        "first": self.country.name})
                    continue
                data[name] = agency.pk
            elif name == "counterpart":
                country = self.countries.get(text.lower())
                if country is None:
                    fail(name, _("“%(value)s” is not a known country or organisation code; use "
                                 "an ISO 3166-1 alpha-3 code such as MMR.") % {"value": text})
                    continue
                data[name] = country.pk
            elif name in self.choices:
                key = self.choices[name].get(text.lower())
                if key is None:
                    allowed = ", ".join(k for k, _label in self.kind.model._meta.get_field(name).flatchoices)
                    fail(name, _("“%(value)s” is not one of the allowed values: %(allowed)s.")
                         % {"value": text, "allowed": allowed})
                    continue
                data[name] = key
            elif model_field.get_internal_type() == "DateField" and not DATE_PATTERN.fullmatch(text):
                fail(name, _("Write the date as YYYY-MM-DD, e.g. %(example)s.")
                     % {"example": self.joint_operation.starts_on.isoformat()})
            else:
                data[name] = text
        form = self.form
        form.data, form.is_bound, form._errors = data, True, None  # bound to this row's cells
        valid = form.is_valid()
        for field, field_errors in form.errors.as_data().items():
            field = None if field == "__all__" else field
            if field in failed:
                continue  # already explained in import terms
            for error in field_errors:
                for message in error.messages:
                    errors.append(_error(line, field, message, error.code))
        if errors or not valid:
            return None, errors
        return form.record_data(), []


def _service_errors(line: int, error: ValidationError, entry_fields) -> list[dict]:
    if not hasattr(error, "error_dict"):
        return [_error(line, None, message, item.code)
                for item in error.error_list for message in item.messages]
    return [
        _error(line, field if field in entry_fields else None,
               _import_terms(message, getattr(field_error, "code", None)), field_error.code)
        for field, field_errors in error.error_dict.items()
        for field_error in field_errors
        for message in field_error.messages
    ]


def _import_terms(message: str, code: str | None) -> str:
    if code != "unusual":
        return message
    return f"{message} " + _("In a file, write the reason in the column “%(column)s” of this "
                             "row.") % {"column": plausibility.REASON_FIELD}


def _write_rows(*, reader: _RowReader, rows: Iterable[dict], actor) -> tuple[int, list[dict]]:
    """Create every readable row through the record service; (records created, errors).

    Each ``record_create`` runs in its own savepoint, so one refused row does not stop the
    others from being checked. The caller decides whether the whole lot is kept.
    """
    created, errors = 0, []
    kind = reader.kind
    for row in rows:
        data, row_errors = reader.read(row)
        if row_errors:
            errors += row_errors
            continue
        try:
            services.record_create(actor=actor, model=kind.model,
                                   joint_operation=reader.joint_operation, data=data)
        except services.ReturnLocked as error:
            # Not about one row: every row would be refused the same way.
            return created, [_error(None, None, message) for message in error.messages] + errors
        except PermissionDenied as error:
            message = str(error) or _("You cannot enter these records.")
            return created, [_error(None, None, message), *errors]
        except ValidationError as error:
            errors += _service_errors(row["line"], error, kind.entry_fields)
        else:
            created += 1
    return created, errors


# ---------------------------------------------------------------------------------------------
# The import services: preview (upload), confirm, discard
# ---------------------------------------------------------------------------------------------


def _imported_already(*, kind: RecordKind, country, joint_operation, sha256: str):
    return ImportBatch.objects.select_related("uploaded_by").filter(
        kind=kind.slug, country=country, joint_operation=joint_operation, sha256=sha256,
        state=ImportBatch.State.IMPORTED,
    ).first()


def _duplicate_error(batch: ImportBatch) -> ImportRefused:
    username, full_name = batch.uploaded_by.get_username(), batch.uploaded_by.get_full_name()
    who = f"{full_name} ({username})" if full_name else username
    return _refuse(_(
        "This file was already imported on %(when)s by %(who)s: %(n)s records, file "
        "“%(name)s”. Importing it again would count the same results twice, so nothing was "
        "imported."
    ) % {"when": date_format(timezone.localtime(batch.imported_at), "DATETIME_FORMAT"), "who": who,
         "n": batch.row_count, "name": batch.file_name}, "duplicate")


def record_import_preview(
    *, actor, kind: RecordKind, joint_operation: JointOperation, file_name: str, content: bytes
) -> ImportBatch:
    """Check an uploaded file and keep its rows for confirmation, with every row's errors.

    The whole import is run and rolled back, so the preview shows what confirming would meet.
    Raises ImportRefused (nothing stored) for a file that is not an import of this type, or
    one already imported.
    """
    if not access.can_enter_records(actor):
        raise PermissionDenied(_("You cannot enter records."))
    parsed = parse_import_file(kind=kind, file_name=file_name, content=content)
    sha256 = hashlib.sha256(content).hexdigest()
    reader = _RowReader(kind=kind, user=actor, joint_operation=joint_operation)
    country = reader.find_country(parsed.rows)
    if country is not None:
        previous = _imported_already(kind=kind, country=country,
                                     joint_operation=joint_operation, sha256=sha256)
        if previous is not None:
            raise _duplicate_error(previous)
    with transaction.atomic():
        _created, errors = _write_rows(reader=reader, rows=parsed.rows, actor=actor)
        transaction.set_rollback(True)  # a dry run: the rows are written on confirmation
    errors = parsed.errors + errors
    errors.sort(key=lambda e: (e["line"] is not None, e["line"] or 0))
    return ImportBatch.objects.create(
        kind=kind.slug, file_name=file_name[:255], sha256=sha256, uploaded_by=actor,
        joint_operation=joint_operation, country=reader.country, row_count=len(parsed.rows),
        rows=parsed.rows, errors=errors,
    )


class _RowsRefused(Exception):
    def __init__(self, errors: list[dict]):
        super().__init__(f"{len(errors)} errors")
        self.errors = errors


def _locked_batch(*, actor, batch: ImportBatch) -> ImportBatch:
    current = ImportBatch.objects.select_for_update(of=("self",)).select_related(
        "joint_operation", "country").get(pk=batch.pk)
    if current.uploaded_by_id != actor.pk or not access.can_enter_records(actor):
        raise PermissionDenied(_("Only the person who uploaded a file imports or discards it."))
    if current.state != ImportBatch.State.PREVIEW:
        raise _refuse(_("This file has been %(state)s already.") % {
            "state": current.get_state_display().lower()}, "decided")
    return current


def record_import_confirm(*, actor, batch: ImportBatch) -> int:
    """Create every row of ``batch`` through the record services, all or nothing.

    Returns the number of records created. Raises ImportFailed (errors saved on the batch)
    when any row is refused now, and ImportRefused when the batch cannot be imported at all.
    """
    try:
        with transaction.atomic():
            current = _locked_batch(actor=actor, batch=batch)
            if current.errors:
                raise _refuse(_("This file has errors: fix them and upload it again."), "has_errors")
            kind = KINDS_BY_SLUG[current.kind]
            previous = _imported_already(kind=kind, country=current.country,
                                         joint_operation=current.joint_operation,
                                         sha256=current.sha256)
            if previous is not None:
                raise _duplicate_error(previous)
            reader = _RowReader(kind=kind, user=actor, joint_operation=current.joint_operation)
            reader.find_country(current.rows)
            with pghistory.context(import_batch=current.pk, import_file=current.file_name):
                created, errors = _write_rows(reader=reader, rows=current.rows, actor=actor)
            if errors or reader.country != current.country:
                raise _RowsRefused(errors or [_error(None, None, _(
                    "The rows now belong to another country than when the file was checked."))])
            current.state = ImportBatch.State.IMPORTED
            current.imported_at = timezone.now()
            current.row_count = created
            current.rows, current.errors = [], []  # the cells may hold intelligence text
            current.save()
    except _RowsRefused as failure:
        ImportBatch.objects.filter(pk=batch.pk).update(errors=failure.errors)
        batch.refresh_from_db()
        raise ImportFailed(
            _("Nothing was imported: %(n)s errors were found when importing. See them below.")
            % {"n": len(failure.errors)}, code="rows_refused") from None
    except IntegrityError as error:
        # Two copies of one file confirmed at the same moment: the second meets the constraint.
        if "import_batch_file_imported_once" not in str(error):
            raise
        kind = KINDS_BY_SLUG[batch.kind]
        raise _duplicate_error(_imported_already(
            kind=kind, country=batch.country, joint_operation=batch.joint_operation,
            sha256=batch.sha256)) from error
    batch.refresh_from_db()
    return created


@transaction.atomic
def record_import_discard(*, actor, batch: ImportBatch) -> ImportBatch:
    """Drop a previewed file: nothing is imported and its cells are deleted."""
    current = _locked_batch(actor=actor, batch=batch)
    current.state = ImportBatch.State.DISCARDED
    current.rows, current.errors = [], []
    current.save()
    return current


def record_import_file(
    *, actor, kind: RecordKind, joint_operation: JointOperation, file_name: str, content: bytes
) -> tuple[ImportBatch, list]:
    """Import a file in one step, every row or none: the API's bulk upload.

    The same parsing, entry form, record services and once-only rule as upload -> preview ->
    confirm, without keeping the rows for a preview. Returns the imported batch and the records
    created. Raises ImportRefused (nothing stored) for a file that cannot be imported at all or
    was imported already; ImportFailed, with every row's errors in ``rows`` (spreadsheet row
    numbers), when any row is refused; services.ReturnLocked when the return is not open.
    """
    if not access.can_enter_records(actor):
        raise PermissionDenied(_("You cannot enter records."))
    parsed = parse_import_file(kind=kind, file_name=file_name, content=content)
    sha256 = hashlib.sha256(content).hexdigest()
    reader = _RowReader(kind=kind, user=actor, joint_operation=joint_operation)
    reader.find_country(parsed.rows)
    errors = list(parsed.errors)
    try:
        with transaction.atomic():
            if reader.country is not None:
                previous = _imported_already(kind=kind, country=reader.country,
                                             joint_operation=joint_operation, sha256=sha256)
                if previous is not None:
                    raise _duplicate_error(previous)
            batch = ImportBatch.objects.create(
                kind=kind.slug, file_name=file_name[:255], sha256=sha256, uploaded_by=actor,
                joint_operation=joint_operation, country=reader.country,
                row_count=len(parsed.rows),
            )
            readable = []
            for row in parsed.rows:
                data, row_errors = reader.read(row)
                errors += row_errors
                if data is not None:
                    readable.append((row["line"], data))
            records = []
            with pghistory.context(import_batch=batch.pk, import_file=batch.file_name):
                try:
                    records = services.record_create_batch(
                        actor=actor, model=kind.model, joint_operation=joint_operation,
                        rows=readable)
                except services.BatchRefused as refused:
                    errors += [_error(e["row"], e["field"], e["message"], e.get("code"))
                               for e in refused.errors]
            if errors:
                raise _RowsRefused(errors)
            batch.state = ImportBatch.State.IMPORTED
            batch.imported_at = timezone.now()
            batch.row_count = len(records)
            batch.save()
    except _RowsRefused as failure:
        failure.errors.sort(key=lambda e: (e["line"] is not None, e["line"] or 0))
        refused = ImportFailed(
            _("Nothing was imported: %(n)s errors were found. See them by row.")
            % {"n": len(failure.errors)}, code="rows_refused")
        refused.rows = failure.errors
        raise refused from None
    except IntegrityError as error:
        # Two copies of one file imported at the same moment: the second meets the constraint.
        if "import_batch_file_imported_once" not in str(error):
            raise
        raise _duplicate_error(_imported_already(
            kind=kind, country=reader.country, joint_operation=joint_operation,
            sha256=sha256)) from error
    return batch, records


# ---------------------------------------------------------------------------------------------
# The preview page's table
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class PreviewCell:
    column: str
    value: str
    errors: list[str]


@dataclass(frozen=True)
class PreviewRow:
    line: int
    cells: list[PreviewCell]
    errors: list[str]  # about the row, not one cell


def import_preview(*, batch: ImportBatch) -> dict:
    """What the preview page shows: file-level errors, and rows with their cells' errors.

    With errors, only the rows that have some are shown; without, the first rows.
    """
    kind = KINDS_BY_SLUG[batch.kind]
    order = {name: index for index, name in enumerate(kind.entry_fields)}
    by_line: dict[int, dict] = {}
    file_errors = []
    for error in batch.errors:
        if error["line"] is None:
            file_errors.append(error["message"])
            continue
        by_line.setdefault(error["line"], {}).setdefault(error["field"], []).append(error["message"])
    if by_line:
        rows = [row for row in batch.rows if row["line"] in by_line][:PREVIEW_ERROR_ROWS]
    elif file_errors:
        rows = []
    else:
        rows = batch.rows[:PREVIEW_ROWS]
    table = [
        PreviewRow(
            line=row["line"],
            cells=[PreviewCell(name, row["cells"].get(name, ""),
                               by_line.get(row["line"], {}).get(name, []))
                   for name in kind.entry_fields],
            errors=by_line.get(row["line"], {}).get(None, []),
        )
        for row in rows
    ]
    return {
        "kind": kind,
        "columns": kind.entry_fields,
        "file_errors": file_errors,
        "row_errors": sorted(
            (e for e in batch.errors if e["line"] is not None),
            key=lambda e: (e["line"], order.get(e["field"], -1)),
        ),
        "error_row_count": len(by_line),
        "table": table,
        "shown_all": len(table) == (len(by_line) if by_line else batch.row_count),
    }
