"""The outcome record types as the pages show them: URL slug, title and list columns."""
from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.utils.translation import gettext_lazy as _

from . import models as om
from . import plausibility


@dataclass(frozen=True)
class RecordKind:
    slug: str
    model: type[om.OutcomeRecord]
    title: str
    columns: tuple[str, ...]  # shown after date, country and agency
    fields: tuple[str, ...] = ()  # entered after date and agency, when not just the columns

    @property
    def entry_fields(self) -> tuple[str, ...]:
        """Every field an officer enters, in form and import-template order."""
        own = self.fields or self.columns
        # A type with figures takes the reason that confirms an unusually large one, last.
        reason = (plausibility.REASON_FIELD,) if plausibility.limits(self.slug) else ()
        return ("occurred_on", "agency", *own, *reason)

    @property
    def figure_limits(self) -> dict[str, plausibility.Limit]:
        return plausibility.limits(self.slug)

    @property
    def has_sector(self) -> bool:
        return "sector" in self.entry_fields


KINDS: tuple[RecordKind, ...] = (
    RecordKind("arrests", om.ArrestRecord, _("Arrests"), ("count", "crime_type", "sector")),
    RecordKind("search-warrants", om.SearchWarrantRecord, _("Search warrants executed"),
               ("count", "crime_type", "sector")),
    RecordKind("suspects", om.SuspectRecord, _("Suspects identified"),
               ("count", "role", "crime_type", "sector")),
    RecordKind("victims-assisted", om.VictimAssistanceRecord, _("Trafficked persons assisted"),
               ("count", "sex", "age_band", "nationality", "exploitation_type", "sector")),
    RecordKind("investigations", om.InvestigationRecord, _("New investigations"),
               ("count", "crime_type", "sector")),
    RecordKind("enquiries", om.EnquiryRecord, _("Enquiries"),
               ("count", "counterpart", "channel", "answered_on"),
               ("count", "counterpart", "channel", "crime_type", "answered_on")),
    RecordKind("awareness-activities", om.AwarenessActivityRecord, _("Awareness-raising activities"),
               ("count", "audience", "people_reached", "sector")),
    RecordKind("training-sessions", om.TrainingSessionRecord, _("Training sessions"),
               ("topic", "police_trained", "airport_trained", "immigration_trained",
                "compliance_trained")),
    RecordKind("intelligence", om.IntelligenceReport, _("Intelligence reports"),
               ("title", "crime_type", "grading"),
               ("title", "crime_type", "grading", "network_summary", "modus_operandi")),
)
KINDS_BY_SLUG = {kind.slug: kind for kind in KINDS}
KINDS_BY_MODEL = {kind.model: kind for kind in KINDS}


def kind_or_404(slug: str) -> RecordKind:
    try:
        return KINDS_BY_SLUG[slug]
    except KeyError as error:
        raise Http404("No such record type.") from error
