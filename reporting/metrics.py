"""The metric registry: one declaration per headline figure, read by every page that adds up.

Each metric names its source model, its aggregate, its filters and the dimensions it can be
broken down by. Roll-ups, the dashboard, exports and the API read only this registry: adding a
figure is one declaration here.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import CharField, Count, DateField, F, Func, IntegerField, Q, Sum, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Cast, Coalesce, TruncWeek
from django.utils.translation import gettext_lazy as _

from operations import models as om


@dataclass(frozen=True)
class Dimension:
    """A way to break a metric down: each row of the metric falls into one member."""

    key: str
    label: str
    expression: Combinable | None = None  # the member of a row; None: special (see below)
    choices: tuple[tuple[str, str], ...] = ()  # member -> label, when the members are fixed

    def member_label(self, member: str) -> str:
        return dict(self.choices).get(member, member)


TOTAL = Dimension("", _("Total"), Value(""))
SECTOR = Dimension("sector", _("Sector"), F("sector"), tuple(om.Sector.choices))
EXPLOITATION = Dimension("exploitation_type", _("Exploitation type"), F("exploitation_type"),
                         tuple(om.ExploitationType.choices))
SEX = Dimension("sex", _("Sex"), F("sex"), tuple(om.Sex.choices))
AGE_BAND = Dimension("age_band", _("Age band"), F("age_band"), tuple(om.AgeBand.choices))
CHANNEL = Dimension("channel", _("Channel"), F("channel"), tuple(om.EnquiryChannel.choices))
# The Monday of the ISO week the result happened in, as YYYY-MM-DD.
WEEK = Dimension("week", _("Week"), Cast(Cast(TruncWeek("occurred_on"), DateField()), CharField()))
# Officers trained by category: one member per category, each summing its own column.
OFFICER_CATEGORY = Dimension("officer_category", _("Officer category"), None,
                             tuple(om.OfficerCategory.choices))

# The agency that entered a record (its id): the return page's breakdown of a country's figures.
# Not one of DIMENSIONS: the dashboard, the exports and the API do not offer it.
AGENCY = Dimension("agency", _("Agency"), Cast(F("agency_id"), CharField()))

# The dimensions the dashboard, the debrief exports and the totals API break figures down by.
DIMENSIONS: dict[str, Dimension] = {
    d.key: d for d in (SECTOR, EXPLOITATION, SEX, AGE_BAND, CHANNEL, WEEK, OFFICER_CATEGORY)
}


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    model: type[om.OutcomeRecord]
    value: Combinable  # aggregate over the model's rows
    filters: Q = field(default_factory=Q)
    dimensions: tuple[Dimension, ...] = (WEEK,)  # the total is always there
    headline: bool = True  # one of the statement's paragraph-8 figures
    debrief: bool = True  # a figure of the debrief statistics (exports); False: dashboard only

    def aggregate(self, queryset) -> int:
        """The metric's value over ``queryset`` (rows of ``self.model``), 0 when empty."""
        return queryset.filter(self.filters).aggregate(value=Coalesce(self.value, 0))["value"]

    def member_values(self, dimension: Dimension) -> list[tuple[Combinable, Combinable]]:
        """(member, aggregate) pairs that break the metric down by ``dimension``."""
        if dimension is OFFICER_CATEGORY:
            return [(Value(category), Sum(column))
                    for category, column in om.TrainingSessionRecord.OFFICER_FIELDS.items()]
        return [(dimension.expression, self.value)]


# Days from sending an enquiry to its answer: date minus date is a whole number in PostgreSQL.
DAYS_TO_ANSWER = Sum(Func(F("answered_on"), F("occurred_on"), template="(%(expressions)s)",
                          arg_joiner=" - ", output_field=IntegerField()))
ANSWERED = Q(answered_on__isnull=False)

OFFICERS_TRAINED = Sum(
    F("police_trained") + F("airport_trained") + F("immigration_trained") + F("compliance_trained")
)

METRICS: tuple[Metric, ...] = (
    Metric("victims_assisted", _("Trafficked persons assisted"), om.VictimAssistanceRecord,
           Sum("count"), dimensions=(SECTOR, EXPLOITATION, SEX, AGE_BAND, WEEK, AGENCY)),
    Metric("search_warrants", _("Search warrants executed"), om.SearchWarrantRecord,
           Sum("count"), dimensions=(SECTOR, WEEK, AGENCY)),
    Metric("suspects_identified", _("Suspects identified"), om.SuspectRecord, Sum("count"),
           dimensions=(SECTOR, WEEK, AGENCY)),
    Metric("arrests", _("Arrests"), om.ArrestRecord, Sum("count"), dimensions=(SECTOR, WEEK, AGENCY)),
    Metric("investigations", _("New investigations launched"), om.InvestigationRecord,
           Sum("count"), dimensions=(SECTOR, WEEK, AGENCY)),
    Metric("enquiries", _("Bilateral and international enquiries"), om.EnquiryRecord,
           Sum("count"), dimensions=(CHANNEL, WEEK, AGENCY)),
    Metric("awareness_activities", _("Awareness-raising activities"), om.AwarenessActivityRecord,
           Sum("count"), dimensions=(SECTOR, WEEK, AGENCY)),
    Metric("training_sessions", _("Training sessions"), om.TrainingSessionRecord, Count("id"),
           dimensions=(WEEK, AGENCY)),
    Metric("officers_trained", _("Officers trained"), om.TrainingSessionRecord, OFFICERS_TRAINED,
           dimensions=(OFFICER_CATEGORY, WEEK, AGENCY)),
    Metric("intelligence_reports", _("Intelligence reports"), om.IntelligenceReport, Count("id"),
           headline=False),
    # How fast enquiries are answered (statement paragraph 14): answered records and the sum of
    # their days to answer, so an average is exact at any level of adding up.
    Metric("enquiries_answered", _("Enquiry records answered"), om.EnquiryRecord, Count("id"),
           filters=ANSWERED, dimensions=(CHANNEL,), headline=False, debrief=False),
    Metric("enquiry_days_to_answer", _("Days to answer, summed"), om.EnquiryRecord,
           DAYS_TO_ANSWER, filters=ANSWERED, dimensions=(CHANNEL,), headline=False,
           debrief=False),
)

HEADLINE_METRICS: tuple[Metric, ...] = tuple(m for m in METRICS if m.headline)
DEBRIEF_METRICS: tuple[Metric, ...] = tuple(m for m in METRICS if m.debrief)
METRICS_BY_KEY: dict[str, Metric] = {m.key: m for m in METRICS}
