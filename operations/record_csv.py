"""A record type's rows as CSV: the import template's columns after id, joint operation and
country, streamed from a server-side cursor in constant memory.

PostgreSQL writes each CSV line (one text value per row) and Python only joins them: building
a Python date, int and str per field and formatting them with ``csv.writer`` cost more than
the query itself, and halved the throughput (see docs/benchmarks.md). Text cells that a
spreadsheet would run as a formula are made inert in the same SQL (``core.spreadsheets``).
"""
from __future__ import annotations

import csv
import io
import itertools
from collections.abc import Iterator
from dataclasses import dataclass

from django.db import models, transaction
from django.db.models import F, Func, QuerySet, TextField, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Cast, Coalesce, NullIf

from core.spreadsheets import CsvInert, csv_row

from .records import RecordKind

# Rows fetched from the server-side cursor, and written to the response, at a time.
CHUNK_ROWS = 5000
LINE_END = "\r\n"  # as csv.writer (RFC 4180)


@dataclass(frozen=True)
class Column:
    header: str
    value: str | Combinable  # a field path or an expression
    free_text: bool = False  # may hold commas, quotes or line breaks: always quoted
    text: bool = False  # text (codes too, not numbers or dates): made inert if formula-like


def export_columns(kind: RecordKind) -> list[Column]:
    """Every column: ids and codes, dates as YYYY-MM-DD, choices as stored.

    After id, joint operation and country come the import template's columns in its order
    (agency by acronym, a country by its code), so an analyst reads them as the template says.
    """
    columns = [
        Column("id", "pk"),
        Column("joint_operation", "operation__joint_operation__slug", text=True),
        Column("country", "country__code", text=True),
        Column("occurred_on", "occurred_on"),
        Column("agency", Coalesce(NullIf("agency__acronym", Value("")), "agency__name"),
               free_text=True, text=True),
    ]
    for name in kind.entry_fields:
        if name in ("occurred_on", "agency"):
            continue
        field = kind.model._meta.get_field(name)
        if field.is_relation:
            columns.append(Column(name, f"{name}__code", text=True))
        else:
            text = isinstance(field, models.CharField | models.TextField)
            columns.append(Column(name, name, free_text=text and not field.choices, text=text))
    return columns


def export_rows(kind: RecordKind, queryset: QuerySet) -> QuerySet:
    """The export's values (tuples in column order) over ``queryset``, in its order."""
    return queryset.values_list(*(column.value for column in export_columns(kind)))


class _CsvQuoted(Func):
    """Text as a quoted CSV field: "a ""b"", c"."""

    template = "'\"' || replace(%(expressions)s, '\"', '\"\"') || '\"'"
    output_field = TextField()


def csv_line(kind: RecordKind) -> Func:
    """One row as a CSV line (without its end), written by PostgreSQL."""
    fields = []
    for column in export_columns(kind):
        value = F(column.value) if isinstance(column.value, str) else column.value
        text = Cast(value, TextField())
        if column.text:
            text = CsvInert(text)
        fields.append(Coalesce(_CsvQuoted(text) if column.free_text else text, Value("")))
    return Func(*fields, template="concat_ws(',', %(expressions)s)", output_field=TextField())


def export_lines(kind: RecordKind, queryset: QuerySet) -> QuerySet:
    """The export's CSV lines over ``queryset``, in its order."""
    return queryset.values_list(csv_line(kind), flat=True)


def header(kind: RecordKind) -> str:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator=LINE_END).writerow(
        csv_row(column.header for column in export_columns(kind)))
    return buffer.getvalue()


def csv_chunks(kind: RecordKind, queryset: QuerySet) -> Iterator[str]:
    """The CSV in pieces of CHUNK_ROWS rows: the header first, then the rows of ``queryset``."""
    yield header(kind)
    # Inside a transaction the cursor streams; outside one Django declares it WITH HOLD, and
    # PostgreSQL would then compute and store every row before sending the first.
    with transaction.atomic():
        lines = export_lines(kind, queryset).iterator(chunk_size=CHUNK_ROWS)
        while batch := list(itertools.islice(lines, CHUNK_ROWS)):
            yield LINE_END.join(batch) + LINE_END
