"""The debrief statistics: one joint operation's figures, shaped once, written as CSV, XLSX,
PDF or the statement text.

Everything comes from CountryTotal through the read model (``reporting/totals.py``: the
joint operation's state and its totals, two queries) and the metric registry, never from the
records. Two profiles:

- restricted (participants): exact figures, accepted-returns-only totals and every breakdown;
- public (a media release): the joint operation's one suppression pattern
  (``reporting/disclosure.py``) — figures below its threshold shown as "<5", more withheld as
  "*" until none can be worked out from the rest — printed alike by every public product: the
  region's file in each format and each country's. No breakdown and no accepted-only total is
  published, and a public file is refused if the release fails its disclosure audit.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from core.spreadsheets import csv_row, xlsx_cell, xlsx_row
from countries.models import Country
from operations.models import CountryReturn, JointOperation

from . import disclosure, statement
from .dashboard import member_label
from .metrics import (
    DEBRIEF_METRICS,
    DIMENSIONS,
    HEADLINE_METRICS,
    METRICS,
    METRICS_BY_KEY,
    WEEK,
    Dimension,
    Metric,
)
from .models import ExportJob
from .statement import WITHHELD
from .totals import dimension_members, joint_operation_totals, period_weeks

Progress = Callable[[int], None]


def _no_progress(percent: int) -> None:
    pass


@dataclass(frozen=True)
class Breakdown:
    """One dimension: for each metric that has it, a row per country and the regional row."""

    dimension: Dimension
    members: list[str]
    labels: list[str]
    # (metric, country or None for the region, a value per member, the row's total)
    rows: list[tuple[Metric, Country | None, list[int], int]]


@dataclass
class Debrief:
    joint_operation: JointOperation
    profile: str
    countries: list[Country]  # exported, by name
    country: Country | None  # the one country asked for; None: the region
    rounded: frozenset[str]
    totals: dict[tuple[int, str, str, str], int]
    return_states: dict[int, str]
    generated_at: dt.datetime
    metrics: tuple[Metric, ...] = DEBRIEF_METRICS
    statement: statement.Statement | None = None
    breakdowns: list[Breakdown] = field(default_factory=list)
    pattern: disclosure.Pattern | None = None  # the public release's, over every country

    @property
    def is_public(self) -> bool:
        return self.profile == ExportJob.Profile.PUBLIC

    @property
    def profile_label(self) -> str:
        return str(ExportJob.Profile(self.profile).label)

    @property
    def threshold(self) -> int | None:
        return self.pattern.threshold if self.pattern else None

    @property
    def shows_accepted(self) -> bool:
        """Totals of accepted returns only: restricted only (see reporting/disclosure.py)."""
        return not self.is_public

    @property
    def classification(self) -> str:
        return str(_("PUBLIC")) if self.is_public else self.joint_operation.classification

    @property
    def accepted_ids(self) -> set[int]:
        return {c.pk for c in self.countries
                if self.return_states.get(c.pk) == CountryReturn.State.ACCEPTED}

    def value(self, country: Country, metric: Metric) -> int:
        return self.totals.get((country.pk, metric.key, "", ""), 0)

    def regional(self, metric: Metric, *, accepted_only: bool = False) -> int:
        accepted = self.accepted_ids
        return sum(self.value(c, metric) for c in self.countries
                   if not accepted_only or c.pk in accepted)

    def return_state_label(self, country: Country) -> str:
        state = self.return_states.get(country.pk, CountryReturn.State.OPEN)
        return str(CountryReturn.State(state).label)

    # -- what is printed -------------------------------------------------------------------

    def column(self, metric: Metric) -> dict[int, int | str]:
        """Country id -> the figure printed for ``metric``: exact, or the public pattern's."""
        if self.pattern:
            return {c.pk: self.pattern.cell(metric.key, c.pk) for c in self.countries}
        return {c.pk: self.value(c, metric) for c in self.countries}

    def regional_printed(self, metric: Metric) -> int | str:
        """The figure for every country exported: exact, or the public pattern's (a single
        country's export prints that country's cell)."""
        if not self.pattern:
            return self.regional(metric)
        if self.country is not None:
            return self.pattern.cell(metric.key, self.country.pk)
        return self.pattern.total(metric.key)

    def table(self) -> list[tuple[Country, list[int | str], str]]:
        """The per-country table as printed: country, a figure per metric, return state."""
        columns = [self.column(m) for m in self.metrics]
        return [(c, [column[c.pk] for column in columns], self.return_state_label(c))
                for c in self.countries]

    def summary(self) -> list[tuple[Metric, int | str, int | None]]:
        """Metric, regional figure (all entered), regional figure (accepted returns only; None
        where not published)."""
        return [(m, self.regional_printed(m),
                 self.regional(m, accepted_only=True) if self.shows_accepted else None)
                for m in self.metrics]

    @property
    def has_withheld(self) -> bool:
        return any(WITHHELD in figures for _c, figures, _s in self.table()) or any(
            self.regional_printed(m) == WITHHELD for m in self.metrics)

    def published(self) -> Iterator[disclosure.Published]:
        """Every figure this product prints, as what a reader learns from it: the audit's
        input. Each format writes exactly these (tests read the files back)."""
        name = self.country.name if self.country else str(_("the region"))
        threshold = self.threshold or 0
        everyone = frozenset(c.pk for c in self.countries)
        for metric in self.metrics:
            column = self.column(metric)
            for country in self.countries:
                yield disclosure.Published(name, metric.key, frozenset({country.pk}),
                                           *disclosure.interval(column[country.pk], threshold))
            yield disclosure.Published(name, metric.key, everyone, *disclosure.interval(
                self.regional_printed(metric), threshold))
            if self.shows_accepted:
                yield disclosure.Published(name, metric.key, frozenset(self.accepted_ids),
                                           *disclosure.interval(
                                               self.regional(metric, accepted_only=True), 0))
        for key, worded in self.statement.figures:
            yield disclosure.Published(
                f"{name} ({_('statement')})", key, everyone, worded.low,
                disclosure.INFINITY if worded.high is None else worded.high)


def debrief(joint_operation: JointOperation, *, country: Country | None = None,
            profile: str = ExportJob.Profile.RESTRICTED,
            rounded=statement.ROUNDED_IN_2015) -> Debrief:
    """The debrief statistics of ``joint_operation`` (one country's or the region's). A public
    one is a product of the joint operation's release, refused (``UnsafeRelease``) when the
    release fails its audit."""
    read = joint_operation_totals(joint_operation)
    if profile != ExportJob.Profile.PUBLIC:
        return _assemble(joint_operation, read.countries, read.rows, read.return_states,
                         country=country, profile=profile, rounded=rounded)
    release = public_release(joint_operation, read.countries, read.rows, read.return_states,
                             rounded=rounded)
    release.check()
    product = next((d for d in release.products if d.country == country), None)
    if product is None:
        raise ValueError(f"{country} did not take part in {joint_operation}")
    return product


@dataclass
class Release:
    """Every public product of a joint operation (the region's, then each country's) from one
    suppression pattern, and what the disclosure audit makes of all of them together."""

    joint_operation: JointOperation
    pattern: disclosure.Pattern
    products: list[Debrief]

    def findings(self) -> list[disclosure.Finding]:
        return disclosure.audit(fact for data in self.products for fact in data.published())

    def derivable(self) -> list[disclosure.Finding]:
        return [finding for finding in self.findings() if finding.derivable]

    def check(self) -> None:
        derivable = self.derivable()
        if not derivable:
            return
        names = {c.pk: c.name for c in self.products[0].countries}
        where: dict[str, list[str]] = {}
        for finding in sorted(derivable, key=lambda f: (len(f.country_ids) == 1,
                                                         sorted(names[i] for i in f.country_ids))):
            place = (str(_("the region")) if len(finding.country_ids) > 1 else
                     names[next(iter(finding.country_ids))])
            where.setdefault(str(METRICS_BY_KEY[finding.metric].label), []).append(place)
        figures = "; ".join(f"{label} ({', '.join(dict.fromkeys(places))})"
                            for label, places in where.items())
        raise disclosure.UnsafeRelease(_(
            "The public profile of %(name)s cannot be released: with a threshold of %(k)s, "
            "these hidden figures could be worked out from the published ones: %(figures)s. "
            "Raise the joint operation's public threshold, or export the restricted "
            "profile.") % {"name": self.joint_operation.name, "k": self.pattern.threshold,
                           "figures": figures})


def public_release(joint_operation: JointOperation, countries: list[Country], totals: dict,
                   return_states: dict[int, str], *, rounded=statement.ROUNDED_IN_2015,
                   threshold: int | None = None) -> Release:
    """The public release of ``joint_operation`` from its roll-up (read once by the caller)."""
    threshold = joint_operation.public_threshold if threshold is None else threshold
    pattern = disclosure.pattern(
        {m.key: {c.pk: totals.get((c.pk, m.key, "", ""), 0) for c in countries}
         for m in DEBRIEF_METRICS}, threshold=threshold)
    products = [
        _assemble(joint_operation, countries, totals, return_states, country=country,
                  profile=ExportJob.Profile.PUBLIC, rounded=rounded, pattern=pattern)
        for country in [None, *countries]]
    return Release(joint_operation=joint_operation, pattern=pattern, products=products)


def release_of(joint_operation: JointOperation, *, threshold: int | None = None) -> Release:
    """The public release as it stands (the export form and ``disclosure_audit`` ask)."""
    read = joint_operation_totals(joint_operation)
    return public_release(joint_operation, read.countries, read.rows, read.return_states,
                          threshold=threshold)


def _assemble(joint_operation: JointOperation, all_countries: list[Country], totals: dict,
              return_states: dict[int, str], *, country: Country | None, profile: str,
              rounded, pattern: disclosure.Pattern | None = None) -> Debrief:
    countries = [c for c in all_countries if country is None or c.pk == country.pk]
    data = Debrief(
        joint_operation=joint_operation, profile=profile, countries=countries, country=country,
        rounded=frozenset(rounded), totals=totals, return_states=return_states,
        generated_at=timezone.now(), pattern=pattern,
    )
    if pattern:
        figures = {m.key: data.regional_printed(m) for m in DEBRIEF_METRICS}
    else:
        figures = {m.key: data.regional(m) for m in METRICS}
    data.statement = statement.statement(
        figures, countries=[c.name for c in countries], rounded=data.rounded,
        threshold=data.threshold)
    if not data.is_public:
        data.breakdowns = _breakdowns(data)
    return data


def _breakdowns(data: Debrief) -> list[Breakdown]:
    ids = [c.pk for c in data.countries]
    found = []
    for dimension in DIMENSIONS.values():
        metrics = [m for m in data.metrics if dimension in m.dimensions]
        if not metrics:
            continue
        if dimension is WEEK:
            members = [w.isoformat() for w in period_weeks(data.joint_operation, data.totals, ids)]
            labels = [date_format(dt.date.fromisoformat(w), "DATE_FORMAT") for w in members]
        else:
            members = dimension_members(dimension, data.totals, ids, {m.key for m in metrics})
            if any(data.totals.get((c, m.key, dimension.key, ""), 0) for c in ids for m in metrics):
                members = [*members, ""] if "" not in members else members
            labels = [str(member_label(dimension, member)) for member in members]
        rows = []
        for metric in metrics:
            per_country = []
            for c in data.countries:
                values = [data.totals.get((c.pk, metric.key, dimension.key, member), 0)
                          for member in members]
                per_country.append((metric, c, values, sum(values)))
            region = [sum(row[2][i] for row in per_country) for i in range(len(members))]
            rows += [*per_country, (metric, None, region, sum(region))]
        found.append(Breakdown(dimension=dimension, members=members, labels=labels, rows=rows))
    return found


# ---------------------------------------------------------------------------------------------
# File names
# ---------------------------------------------------------------------------------------------

EXTENSIONS = {"csv": "csv", "xlsx": "xlsx", "pdf": "pdf", "text": "txt"}
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "text": "text/plain; charset=utf-8",
}


def filename(data: Debrief, fmt: str) -> str:
    """e.g. "jpoa-2015-debrief-region-restricted-20151030-1428+0700.xlsx": the time the page
    shows (the current time zone: the user's, in a job the requester's), with its offset."""
    where = data.country.code if data.country else "region"
    stamp = timezone.localtime(data.generated_at).strftime("%Y%m%d-%H%M%z")
    return f"{data.joint_operation.slug}-debrief-{where}-{data.profile}-{stamp}.{EXTENSIONS[fmt]}"


# ---------------------------------------------------------------------------------------------
# CSV: one row per country and metric
# ---------------------------------------------------------------------------------------------

CSV_HEADER = ["joint_operation", "country_code", "country", "metric", "metric_label", "value",
              "return_state"]


def csv_rows(data: Debrief) -> Iterator[list]:
    yield CSV_HEADER
    columns = {m.key: data.column(m) for m in data.metrics}
    for country in data.countries:
        state = data.return_states.get(country.pk, CountryReturn.State.OPEN)
        for metric in data.metrics:
            yield [data.joint_operation.slug, country.code, country.name, metric.key,
                   str(metric.label), columns[metric.key][country.pk], state]


class _Line:
    """A file-like object whose write returns what it was given: csv rows as strings."""

    def write(self, value: str) -> str:
        return value


def csv_lines(data: Debrief) -> Iterator[str]:
    """The CSV, line by line (for a streaming response); text that starts like a formula is
    written inert (a country's or joint operation's name)."""
    writer = csv.writer(_Line())
    for row in csv_rows(data):
        yield writer.writerow(csv_row(row))


def write_csv(data: Debrief, stream, progress: Progress = _no_progress) -> None:
    for line in csv_lines(data):
        stream.write(line.encode())
    progress(100)


def write_text(data: Debrief, stream, progress: Progress = _no_progress) -> None:
    stream.write(data.statement.text.encode())
    progress(100)


# ---------------------------------------------------------------------------------------------
# XLSX: summary, per country, one sheet per breakdown (write-only: rows go straight to disk)
# ---------------------------------------------------------------------------------------------

NUMBER_FORMAT = "#,##0"


def write_xlsx(data: Debrief, stream, progress: Progress = _no_progress) -> None:
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    book = Workbook(write_only=True)
    bold = Font(bold=True)

    def header(sheet, *titles):
        return xlsx_row(sheet, (str(title) for title in titles), font=bold,
                        alignment=Alignment(wrap_text=True, vertical="top"))

    def number(sheet, value):
        if isinstance(value, int):
            return xlsx_cell(sheet, value, number_format=NUMBER_FORMAT)
        return xlsx_cell(sheet, value, alignment=Alignment(horizontal="right"))

    def row(sheet, *values):  # every other cell: text never becomes a formula
        return xlsx_row(sheet, values)

    # Summary: the statement, then the regional figures
    summary = book.create_sheet(str(_("Summary")))
    summary.column_dimensions["A"].width = 44
    summary.column_dimensions["B"].width = 18
    summary.column_dimensions["C"].width = 18
    summary.freeze_panes = "A2"
    summary.append(header(summary, data.joint_operation.name, data.classification))
    summary.append(row(summary, str(_("Generated")),
                       date_format(timezone.localtime(data.generated_at), r"j M Y, H:i (\U\T\CO)")))
    summary.append(row(summary, str(_("Profile")), data.profile_label))
    summary.append([])
    summary.append(row(summary, data.statement.intro))
    for item in data.statement.items:
        summary.append(row(summary, f"– {item}"))
    summary.append([])
    if data.shows_accepted:
        summary.append(header(summary, _("Figure"), _("All entered"), _("Returns accepted")))
    else:
        summary.append(header(summary, _("Figure"), _("All entered")))
    for metric, provisional, accepted in data.summary():
        summary.append([*row(summary, str(metric.label)), number(summary, provisional),
                        *([number(summary, accepted)] if data.shows_accepted else [])])
    progress(20)

    # Per country
    sheet = book.create_sheet(str(_("By country")))
    sheet.freeze_panes = "C2"
    sheet.column_dimensions["A"].width = 8
    sheet.column_dimensions["B"].width = 20
    sheet.append(header(sheet, _("Code"), _("Country"), *(m.label for m in data.metrics),
                        _("Return")))
    for country, figures, state in data.table():
        sheet.append([*row(sheet, country.code, country.name),
                      *(number(sheet, v) for v in figures), *row(sheet, state)])
    sheet.append([*header(sheet, "", _("All countries")),
                  *(number(sheet, data.regional_printed(m)) for m in data.metrics)])
    if data.has_withheld:
        sheet.append([])
        sheet.append(row(sheet, "*", str(WITHHELD_NOTE % {"n": data.threshold})))
    progress(40)

    # One sheet per breakdown (restricted only)
    for i, breakdown in enumerate(data.breakdowns):
        sheet = book.create_sheet(str(_("By %(dimension)s") % {
            "dimension": str(breakdown.dimension.label).lower()})[:31])
        sheet.freeze_panes = "C2"
        sheet.column_dimensions["A"].width = 32
        sheet.column_dimensions["B"].width = 20
        sheet.append(header(sheet, _("Figure"), _("Country"), *breakdown.labels, _("Total")))
        for metric, country, values, total in breakdown.rows:
            where = country.name if country else str(_("All countries"))
            figures = [*(number(sheet, v) for v in values), number(sheet, total)]
            sheet.append([*row(sheet, str(metric.label)),
                          *(row(sheet, where) if country else header(sheet, where)), *figures])
        progress(40 + 55 * (i + 1) // max(len(data.breakdowns), 1))
    book.save(stream)
    progress(100)


WITHHELD_NOTE = _("Withheld so that no figure below %(n)s can be worked out from the other "
                  "published figures.")


# ---------------------------------------------------------------------------------------------
# PDF: the printable debrief pack (WeasyPrint)
# ---------------------------------------------------------------------------------------------


def write_pdf(data: Debrief, stream, progress: Progress = _no_progress) -> None:
    from weasyprint import HTML

    from .charts import bar_chart

    charts = [bar_chart(str(_("%(figure)s by country") % {"figure": m.label}),
                        [(c.name, data.column(m)[c.pk]) for c in data.countries])
              for m in HEADLINE_METRICS if len(data.countries) > 1]
    for breakdown in data.breakdowns:  # restricted only
        for metric, country, values, _total in breakdown.rows:
            if country is None and breakdown.dimension.key in CHARTED_BREAKDOWNS.get(metric.key, ()):
                charts.append(bar_chart(
                    str(_("%(figure)s by %(dimension)s") % {
                        "figure": metric.label, "dimension": str(breakdown.dimension.label).lower()}),
                    list(zip(breakdown.labels, values, strict=True))))
    progress(30)
    html = render_to_string("reporting/debrief_pdf.html", {
        "d": data, "charts": charts, "table": data.table(), "summary": data.summary(),
        "regional_row": [data.regional_printed(m) for m in data.metrics],
        "withheld_note": WITHHELD_NOTE % {"n": data.threshold} if data.has_withheld else "",
        "generated": date_format(timezone.localtime(data.generated_at), r"j M Y, H:i (\U\T\CO)"),
    })
    progress(50)
    HTML(string=html).write_pdf(stream)
    progress(100)


# The breakdowns the debrief pack draws as charts (the rest are in its tables and the XLSX).
CHARTED_BREAKDOWNS = {
    "victims_assisted": ("exploitation_type", "sex", "age_band"),
    "officers_trained": ("officer_category",),
    "enquiries": ("channel",),
}

WRITERS = {"csv": write_csv, "xlsx": write_xlsx, "pdf": write_pdf, "text": write_text}


def render(data: Debrief, fmt: str, progress: Progress = _no_progress) -> bytes:
    """The whole file in memory (the command line and tests; workers write to a file)."""
    buffer = io.BytesIO()
    WRITERS[fmt](data, buffer, progress)
    return buffer.getvalue()
