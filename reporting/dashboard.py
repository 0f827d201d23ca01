"""The regional dashboard: its filters, figures, per-country table and charts, from CountryTotal.

It never reads the records. It reads the joint operation's figures through the read model
(``reporting/totals.py``): its state in one query, and its totals in one more, cached under a
key holding a version number the roll-up bumps (``bump_dashboard_version``); everything the
page shows is shaped from them in Python, so the page costs the same few queries whatever the
number of countries and records.

The rendered body is cached too, under the same version, keyed by everything it shows: the
joint operation, the filters, the roll-up's state, the returns' states and the user's access
view (``access.CountriesView``). A cache hit skips the figures, the table, the charts and their render.
"""
from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django import forms
from django.core.cache import cache
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from countries import access
from countries.models import Country
from operations.models import CountryReturn, JointOperation, Sector
from operations.records import KINDS_BY_MODEL

from . import charts, selectors, statement
from . import totals as totals_
from .metrics import (
    AGE_BAND,
    CHANNEL,
    EXPLOITATION,
    HEADLINE_METRICS,
    OFFICER_CATEGORY,
    SECTOR,
    SEX,
    WEEK,
    Dimension,
    Metric,
)
from .totals import (  # noqa: F401 - the cache's version, also the dashboard body's
    CACHE_SECONDS,
    VERSION_KEY,
    bump_dashboard_version,
    dashboard_version,
)

Totals = totals_.Rows  # (country id, metric, dimension, member) -> value

# ---------------------------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------------------------


def statement_figure(value: int) -> str:
    """A figure in digits, rounded as the statement rounds it: "over 70" for 73."""
    worded = statement.figure(value, rounded=True)
    # A rounded figure is 20 or more, so the statement says it in digits too; an exact one
    # stays in digits here, where the statement would say a figure under ten in words.
    return worded.text if worded.count != value else str(value)


def _records_url(metric: Metric, joint_operation: JointOperation, country: Country | None,
                 sector: str) -> str:
    """The record list behind a figure: its type, the period, the country and sector chosen."""
    kind = KINDS_BY_MODEL[metric.model]
    query = {"occurred_from": joint_operation.starts_on.isoformat(),
             "occurred_to": joint_operation.ends_on.isoformat()}
    if country is not None:
        query["country"] = country.code
    if sector and kind.has_sector:
        query["sector"] = sector
    return f"{reverse('operations:record_list', args=[kind.slug])}?{urlencode(query)}"


def _has_sector(metric: Metric) -> bool:
    return SECTOR in metric.dimensions


# ---------------------------------------------------------------------------------------------
# Filters
# ---------------------------------------------------------------------------------------------


class DashboardFilterForm(forms.Form):
    joint_operation = forms.ChoiceField(label=_("Joint operation"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    sector = forms.ChoiceField(
        label=_("Sector"), required=False,
        choices=[("", _("All sectors")), *((k, v) for k, v in Sector.choices)],
    )

    def __init__(self, data, *, joint_operations, countries):
        super().__init__(data, auto_id="filter_%s")
        self.fields["joint_operation"].choices = [(j.slug, j.name) for j in joint_operations]
        self.fields["country"].choices = [
            ("", _("All countries (regional)")), *((c.code, c.name) for c in countries)
        ]


# ---------------------------------------------------------------------------------------------
# What the page shows
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HeadlineFigure:
    metric: Metric
    provisional: int | None  # None: not recorded by sector, and a sector is chosen
    accepted: int | None
    statement: str  # the figure as the statement words it
    records_url: str  # "" when the user may not read every record behind it


@dataclass(frozen=True)
class Cell:
    metric: Metric
    value: int | None
    records_url: str


@dataclass(frozen=True)
class CountryRow:
    country: Country
    state: str
    state_label: str
    cells: list[Cell]
    return_url: str  # "" when the user does not follow that country's return
    selected: bool


@dataclass(frozen=True)
class Series:
    key: str
    label: str
    values: list[int | None]


@dataclass(frozen=True)
class Chart:
    """One chart and its table: the same labels and series feed both."""

    id: str
    title: str
    label_heading: str  # the table's first column: country, sector, week...
    labels: list[str]
    series: list[Series]
    stacked: bool = False  # every series drawn, stacked, with a legend
    none_text: str = _("not recorded by sector")  # what an empty cell of the table means
    selectable: bool = False  # the figure shown follows the page's "figure" choice
    note: str = ""  # shown under the title (a filter this chart cannot follow)
    missing_note: str = ""  # shown instead of the chart for a figure it does not have

    @property
    def rows(self) -> list[tuple[str, list[int | None]]]:
        return [(label, [s.values[i] for s in self.series]) for i, label in enumerate(self.labels)]

    @functools.cached_property
    def drawings(self) -> dict[str, SafeString]:
        """The chart as SVG, by series key: one drawing per figure that has values (a
        selectable chart shows the page's first figure; js/dashboard.js switches), or every
        series stacked in one, or the first series. None: the missing note is shown instead."""
        labels = [str(label) for label in self.labels]

        def has_values(series: Series) -> bool:
            return any(value is not None for value in series.values)

        if self.stacked:
            if not any(has_values(s) for s in self.series):
                return {}
            return {"stacked": charts.dashboard_bars(
                labels=labels, series=[s.values for s in self.series], key="stacked",
                label=str(self.title), series_keys=[s.key for s in self.series])}
        drawn = self.series if self.selectable else self.series[:1]
        return {s.key: charts.dashboard_bars(labels=labels, series=[s.values], key=s.key,
                                             label=f"{self.title}: {s.label}",
                                             hidden=s.key != self.shown_key)
                for s in drawn if has_values(s)}

    @property
    def shown_key(self) -> str:
        """The series drawn when the page opens: the page's first figure, when selectable."""
        if self.stacked:
            return "stacked"
        return HEADLINE_METRICS[0].key if self.selectable else self.series[0].key

    @property
    def shows_missing_note(self) -> bool:
        return self.shown_key not in self.drawings


@dataclass
class Details:
    """What a cache hit never computes: the figures, the per-country table and the charts."""

    figures: list[HeadlineFigure] = field(default_factory=list)
    rows: list[CountryRow] = field(default_factory=list)
    totals_row: list[int | None] = field(default_factory=list)
    accepted_row: list[int | None] = field(default_factory=list)
    own_countries: list[CountryRow] = field(default_factory=list)  # officers' own countries
    charts: list[Chart] = field(default_factory=list)


BODY_TEMPLATE = "reporting/_dashboard_body.html"


@dataclass
class Dashboard:
    joint_operation: JointOperation | None
    form: DashboardFilterForm | None = None
    country: Country | None = None  # the country chosen; None: regional
    sector: str = ""
    sector_label: str = ""
    countries: list[Country] = field(default_factory=list)  # with an operation, by name
    accepted_count: int = 0
    state: totals_.RollupState | None = None
    pending_names: list[str] = field(default_factory=list)
    failed_names: list[str] = field(default_factory=list)
    metrics: tuple[Metric, ...] = HEADLINE_METRICS
    # The cache key of the rendered body ("": not cached, e.g. a filter was refused).
    cache_key: str = ""
    # The cache key of the completeness report under the body (reporting.completeness).
    completeness_key: str = ""
    compute: Callable[[], Details] | None = field(default=None, repr=False)

    @functools.cached_property
    def details(self) -> Details:
        return self.compute() if self.compute is not None else Details()

    figures = property(lambda self: self.details.figures)
    rows = property(lambda self: self.details.rows)
    totals_row = property(lambda self: self.details.totals_row)
    accepted_row = property(lambda self: self.details.accepted_row)
    own_countries = property(lambda self: self.details.own_countries)
    charts = property(lambda self: self.details.charts)

    @property
    def country_row(self) -> CountryRow | None:
        """The chosen country's row of the per-country table."""
        return next((row for row in self.rows if row.selected), None)

    @property
    def body(self) -> str:
        """The page's content, rendered once per joint operation, filters, roll-up state and
        access view, until the roll-up bumps the version (or CACHE_SECONDS pass)."""
        if not self.cache_key:
            return render_to_string(BODY_TEMPLATE, {"dashboard": self})
        html = cache.get(self.cache_key)
        if html is None:
            html = render_to_string(BODY_TEMPLATE, {"dashboard": self})
            cache.set(self.cache_key, str(html), CACHE_SECONDS)
        return mark_safe(html)  # noqa: S308 - our own template's output, escaped when rendered


def body_cache_key(*, joint_operation: JointOperation, countries: list[Country],
                   form: DashboardFilterForm, state: totals_.RollupState,
                   return_states: dict[int, str], view: access.CountriesView) -> str:
    """The cached body's key: the roll-up's version and everything the body shows.

    The version (bumped by every roll-up) and the latest run's time are in it as in
    ``country_totals``; the rest is hashed: the joint operation and its countries as read now,
    the filters as the form shows them, the roll-up's state, the returns' states, the user's
    access view, the language and the time zone.
    """
    stamp = int(state.last_updated.timestamp() * 1_000_000) if state.last_updated else 0
    shown = (
        (joint_operation.pk, joint_operation.slug, joint_operation.name, joint_operation.status,
         joint_operation.starts_on, joint_operation.ends_on),
        tuple((c.pk, c.code, c.name) for c in countries),
        tuple((name, str(form[name].value())) for name in form.fields),
        (stamp, tuple(sorted(state.pending_country_ids)), tuple(sorted(state.failed_country_ids)),
         state.failed_everything),
        tuple(sorted(return_states.items())),
        view.key(),
        translation.get_language(),
        timezone.get_current_timezone_name(),
    )
    digest = hashlib.sha256(repr(shown).encode()).hexdigest()
    return f"dashboard:{dashboard_version()}:body:{joint_operation.pk}:{stamp}:{digest}"


def completeness_cache_key(*, joint_operation: JointOperation, returns_digest: str,
                           view: access.CountriesView) -> str:
    """The completeness report's key: the roll-up's version (its activity rows are the
    roll-up's), the returns as the state query read them, the returns the user follows, the
    day (days since the last entry), the due date, the language and the time zone."""
    shown = (joint_operation.pk, joint_operation.starts_on, joint_operation.ends_on,
             joint_operation.returns_due_on, returns_digest, view.key(),
             timezone.localdate().isoformat(), translation.get_language(),
             timezone.get_current_timezone_name())
    digest = hashlib.sha256(repr(shown).encode()).hexdigest()
    return f"dashboard:{dashboard_version()}:completeness:{joint_operation.pk}:{digest}"


def completeness_html(dashboard: Dashboard, render: Callable[[], str]) -> str:
    """The report under the dashboard, rendered by ``render`` once per cache key."""
    html = cache.get(dashboard.completeness_key)
    if html is None:
        html = str(render())
        cache.set(dashboard.completeness_key, html, CACHE_SECONDS)
    return mark_safe(html)  # noqa: S308 - our own template's output, escaped when rendered


def build(*, user, params) -> Dashboard:
    """The dashboard for ``user`` with the filters in ``params`` (a QueryDict).

    What decides the page is read here (two small queries); the figures, table and charts
    are worked out only when the page's body is not in the cache.
    """
    joint_operations = selectors.dashboard_joint_operations()
    by_slug = {j.slug: j for j in joint_operations}
    joint_operation = by_slug.get(params.get("joint_operation", "")) or (
        selectors.current_joint_operation(joint_operations))
    if joint_operation is None:
        return Dashboard(joint_operation=None)

    # The state now (one query); the totals only when the body is not in the cache.
    read = totals_.joint_operation_totals(joint_operation, user=user, cached=True)
    countries, state, return_states, view = read.countries, read.rollup, read.return_states, read.view
    choosable = [c for c in countries if c.pk in view.breakdown_ids]
    data = params.copy()
    if not data.get("joint_operation"):
        data["joint_operation"] = joint_operation.slug
    form = DashboardFilterForm(data, joint_operations=joint_operations, countries=choosable)
    valid = form.is_valid()  # an invalid choice is reported beside its field and not applied
    country = next((c for c in choosable if c.code == form.cleaned_data.get("country")), None)
    sector = form.cleaned_data.get("sector") or ""

    accepted_ids = read.accepted_ids
    names = {c.pk: c.name for c in countries}

    def compute() -> Details:
        return _details(read=read, country=country, sector=sector)

    return Dashboard(
        joint_operation=joint_operation,
        form=form,
        country=country,
        sector=sector,
        sector_label=dict(Sector.choices).get(sector, ""),
        countries=countries,
        accepted_count=len(accepted_ids),
        state=state,
        pending_names=sorted(names.get(i, "?") for i in state.pending_country_ids),
        failed_names=sorted(names.get(i, "?") for i in state.failed_country_ids),
        # A refused filter is rendered with its error, never cached (nor is any other input).
        cache_key=body_cache_key(joint_operation=joint_operation, countries=countries, form=form,
                                 state=state, return_states=return_states, view=view)
        if valid else "",
        completeness_key=completeness_cache_key(joint_operation=joint_operation,
                                                returns_digest=read.returns_digest, view=view),
        compute=compute,
    )


def _details(*, read: totals_.JointOperationTotals, country: Country | None,
             sector: str) -> Details:
    joint_operation, countries, view = read.joint_operation, read.countries, read.view
    accepted_ids, totals = read.accepted_ids, read.rows
    state_labels = dict(CountryReturn.State.choices)

    def readable(country_: Country | None) -> bool:
        return view.reads_every_country if country_ is None else country_.pk in view.readable_ids

    def value(country_id: int, metric: Metric) -> int | None:
        if not sector:
            return totals.get((country_id, metric.key, "", ""), 0)
        if not _has_sector(metric):
            return None
        return totals.get((country_id, metric.key, SECTOR.key, sector), 0)

    def total(country_ids, metric: Metric) -> int | None:
        if sector and not _has_sector(metric):
            return None
        return sum(value(c, metric) for c in country_ids)

    in_scope = [country] if country else countries
    scope_ids = [c.pk for c in in_scope]
    figures = [
        HeadlineFigure(
            metric=metric,
            provisional=(provisional := total(scope_ids, metric)),
            accepted=total([c for c in scope_ids if c in accepted_ids], metric),
            statement=(statement_figure(provisional)
                       if metric.key in statement.ROUNDED_IN_2015 and provisional is not None
                       else str(provisional if provisional is not None else "—")),
            records_url=(
                _records_url(metric, joint_operation, country, sector)
                if provisional is not None and readable(country)
                else ""
            ),
        )
        for metric in HEADLINE_METRICS
    ]

    rows = []
    for c in countries:
        state_ = read.return_state(c.pk)
        links = readable(c)
        rows.append(CountryRow(
            country=c, state=state_, state_label=state_labels[state_],
            cells=[
                Cell(metric=metric, value=(v := value(c.pk, metric)),
                     records_url=(_records_url(metric, joint_operation, c, sector)
                                  if v is not None and links else ""))
                for metric in HEADLINE_METRICS
            ],
            return_url=(reverse("reporting:return_detail", args=[joint_operation.slug, c.code])
                        if c.pk in view.return_ids else ""),
            selected=c == country,
        ))

    return Details(
        figures=figures,
        rows=rows,
        totals_row=[total([c.pk for c in countries], m) for m in HEADLINE_METRICS],
        accepted_row=[total(accepted_ids, m) for m in HEADLINE_METRICS],
        own_countries=[row for row in rows if row.country.pk in view.own_ids],
        charts=_charts(read=read, countries=countries,
                       scope_ids=scope_ids, sector=sector, country_chosen=country is not None,
                       value=value),
    )


# ---------------------------------------------------------------------------------------------
# Charts
# ---------------------------------------------------------------------------------------------

NOT_RECORDED = pgettext_lazy("dimension member", "Not recorded")


def _breakdown(totals: Totals, scope_ids, metric: Metric, dimension: Dimension,
               members: list[str]) -> list[int]:
    return [sum(totals.get((c, metric.key, dimension.key, member), 0) for c in scope_ids)
            for member in members]


def member_label(dimension: Dimension, member: str) -> str:
    return dimension.member_label(member) if member else NOT_RECORDED


def _charts(*, read: totals_.JointOperationTotals, countries, scope_ids, sector, country_chosen,
            value) -> list[Chart]:
    totals = read.rows
    metrics = HEADLINE_METRICS
    by_key = {m.key: m for m in metrics}
    all_sectors_note = (
        _("For all sectors: this breakdown is not recorded by sector.") if sector else ""
    )
    sector_metrics = [m for m in metrics if _has_sector(m)]
    sectors = read.members(SECTOR, scope_ids, {m.key for m in sector_metrics})
    if "" not in sectors and any(
        totals.get((c, m.key, SECTOR.key, ""), 0) for c in scope_ids for m in sector_metrics
    ):
        sectors.append("")
    weeks = read.weeks(scope_ids)
    victims, officers = by_key["victims_assisted"], by_key["officers_trained"]
    categories = [member for member, _label in OFFICER_CATEGORY.choices]

    def single(id_, title, heading, dimension, metric, members=None):
        members = members if members is not None else read.members(
            dimension, scope_ids, {metric.key})
        return Chart(
            id=id_, title=title, label_heading=heading,
            labels=[member_label(dimension, m) for m in members],
            series=[Series(metric.key, metric.label,
                           _breakdown(totals, scope_ids, metric, dimension, members))],
            note=all_sectors_note,
        )

    return [
        Chart(
            id="by-country", title=_("By country"), label_heading=_("Country"),
            labels=[c.name for c in countries],
            series=[Series(m.key, m.label, [value(c.pk, m) for c in countries]) for m in metrics],
            selectable=True,
            note=_("Every country, whichever country is chosen above.") if country_chosen else "",
            missing_note=_("This figure is not recorded by sector."),
        ),
        Chart(
            id="by-sector", title=_("By sector"), label_heading=_("Sector"),
            labels=[member_label(SECTOR, s) for s in sectors],
            series=[Series(m.key, m.label, _breakdown(totals, scope_ids, m, SECTOR, sectors))
                    for m in sector_metrics],
            selectable=True,
            note=_("Every sector, whichever sector is chosen above.") if sector else "",
            missing_note=_("This figure is not recorded by sector."),
        ),
        Chart(
            id="by-week", title=_("By week"), label_heading=_("Week starting"),
            labels=[date_format(week, "MONTH_DAY_FORMAT") for week in weeks],
            series=[Series(m.key, m.label,
                           _breakdown(totals, scope_ids, m, WEEK, [w.isoformat() for w in weeks]))
                    for m in metrics],
            selectable=True, note=all_sectors_note,
        ),
        single("victims-exploitation", _("Trafficked persons assisted, by exploitation type"),
               EXPLOITATION.label, EXPLOITATION, victims),
        single("victims-sex", _("Trafficked persons assisted, by sex"), SEX.label, SEX, victims),
        single("victims-age", _("Trafficked persons assisted, by age band"), AGE_BAND.label,
               AGE_BAND, victims),
        single("officers-category", _("Officers trained, by category"), OFFICER_CATEGORY.label,
               OFFICER_CATEGORY, officers, members=categories),
        *_enquiry_charts(totals, [c for c in countries if c.pk in scope_ids]),
    ]


def _enquiry_charts(totals: Totals, countries: list[Country]) -> list[Chart]:
    """Paragraph 14: which channels each country used, and how fast enquiries were answered."""
    channels = [member for member, _label in CHANNEL.choices]
    names = [c.name for c in countries]

    def total(country, metric_key, member=""):
        dimension = CHANNEL.key if member else ""
        return totals.get((country.pk, metric_key, dimension, member), 0)

    def average_days(country) -> float | None:
        answered = total(country, "enquiries_answered")
        return round(total(country, "enquiry_days_to_answer") / answered, 1) if answered else None

    return [
        Chart(
            id="enquiries-channel", title=_("Enquiries by channel, per country"),
            label_heading=_("Country"), labels=names, stacked=True,
            series=[Series(channel, member_label(CHANNEL, channel),
                           [total(c, "enquiries", channel) for c in countries])
                    for channel in channels],
        ),
        Chart(
            id="enquiries-response", title=_("Average days to answer an enquiry, per country"),
            label_heading=_("Country"), labels=names,
            series=[Series("days", _("Average days to answer"),
                           [average_days(c) for c in countries]),
                    Series("answered", _("Enquiry records answered"),
                           [total(c, "enquiries_answered") for c in countries])],
            missing_note=_("No enquiry has been answered yet."),
            none_text=_("no enquiry answered yet"),
        ),
    ]
