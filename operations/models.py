"""Joint operations, each country's operation inside one, the nine outcome records and returns."""
from __future__ import annotations

import re

import pgtrigger
import pycountry
from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase

from core.audit import audited
from core.spreadsheets import starts_like_formula
from countries.models import Agency, Country

from .fields import ChoiceArrayField


class CrimeType(models.TextChoices):
    TRAFFICKING = "trafficking", _("Trafficking in persons")
    SMUGGLING = "smuggling", _("People smuggling")


class Sector(models.TextChoices):
    AGRICULTURE = "agriculture", _("Agriculture")
    FARMING = "farming", _("Farming")
    FISHING = "fishing", _("Fishing")
    BEAUTY_SERVICES = "beauty_services", _("Beauty services")
    DOMESTIC_WORK = "domestic_work", _("Domestic work")
    ONLINE_CHILD_EXPLOITATION = "online_child_exploitation", _(
        "Online commercial sexual exploitation of children"
    )
    OTHER = "other", _("Other")


class ExploitationType(models.TextChoices):
    SEXUAL = "sexual", _("Sexual exploitation")
    LABOUR = "labour", _("Labour exploitation")
    OTHER = "other", _("Other exploitation")


class Sex(models.TextChoices):
    FEMALE = "female", _("Female")
    MALE = "male", _("Male")
    UNKNOWN = "unknown", _("Other or not recorded")


class AgeBand(models.TextChoices):
    CHILD_0_11 = "0-11", _("Child, 0–11")
    CHILD_12_17 = "12-17", _("Child, 12–17")
    ADULT_18_24 = "18-24", _("Adult, 18–24")
    ADULT_25_39 = "25-39", _("Adult, 25–39")
    ADULT_40 = "40+", _("Adult, 40 and over")
    UNKNOWN = "unknown", _("Not recorded")


class SuspectRole(models.TextChoices):
    ORGANISER = "organiser", _("Organiser")
    RECRUITER = "recruiter", _("Recruiter")
    TRANSPORTER = "transporter", _("Transporter")
    FACILITATOR = "facilitator", _("Document or travel facilitator")
    EXPLOITER = "exploiter", _("Employer or exploiter")
    FINANCIER = "financier", _("Financier")
    OTHER = "other", _("Other or unknown")


class EnquiryChannel(models.TextChoices):
    DIRECT = "direct", _("Direct bilateral")
    INTERPOL_NCB = "interpol_ncb", _("INTERPOL National Central Bureau")
    LIAISON_OFFICER = "liaison_officer", _("Liaison officer")
    OTHER = "other", _("Other")


class Audience(models.TextChoices):
    EMPLOYERS = "employers", _("Employers")
    CIVIL_SOCIETY = "civil_society", _("Civil society")
    VULNERABLE_GROUPS = "vulnerable_groups", _("Vulnerable groups")
    PUBLIC = "public", _("General public")


class UnusualVictimFigure(models.TextChoices):
    """Why a large number of persons assisted is right (victim records hold no free text)."""

    ONE_RESCUE = "one_rescue", _("One rescue or raid freed many persons")
    ONE_CASE = "one_case", _("One case with many victims (e.g. a vessel's crew)")
    CHECKED = "checked", _("Checked against the case files")


class OfficerCategory(models.TextChoices):
    POLICE = "police", _("Police")
    AIRPORT = "airport", _("Airport")
    IMMIGRATION = "immigration", _("Immigration")
    COMPLIANCE = "compliance", _("Compliance")


# ---------------------------------------------------------------------------------------------
# Joint operation and participation
# ---------------------------------------------------------------------------------------------


PERIOD_ORDER = _("The period must end on or after its start date.")
RETURNS_DUE_ORDER = _("Returns due on: the day must be on or after the period's start date.")


def validate_nationality(value: str) -> None:
    """A nationality is a real ISO 3166-1 alpha-3 code (pages, import, API and admin alike)."""
    if not re.fullmatch(r"[A-Z]{3}", value or "") or not pycountry.countries.get(alpha_3=value):
        raise ValidationError(
            _("Enter the nationality as a three-letter ISO code, e.g. MMR for Myanmar."),
            code="invalid")


def check_period(starts_on, ends_on) -> None:
    """A period (joint operation, joint investigation) ends on or after its start: the error
    names ends_on. The database's check constraint holds it too."""
    if starts_on and ends_on and ends_on < starts_on:
        raise ValidationError({"ends_on": PERIOD_ORDER}, code="period_order")


def default_public_threshold() -> int:
    """A new joint operation's public threshold: the PUBLIC_THRESHOLD setting (5)."""
    return settings.PUBLIC_THRESHOLD


@audited()
class JointOperation(models.Model):
    """A Joint Period of Action: separate but coordinated country operations over one period."""

    class Status(models.TextChoices):
        PLANNING = "planning", _("Planning")
        ACTIVE = "active", _("Under way")
        DEBRIEF = "debrief", _("Debrief")
        CLOSED = "closed", _("Closed")

    name = models.CharField(_("name"), max_length=200, unique=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    starts_on = models.DateField(_("starts on"))
    ends_on = models.DateField(_("ends on"))
    returns_due_on = models.DateField(
        _("returns due on"), null=True, blank=True,
        help_text=_("The day each country's focal point should have submitted its return. "
                    "The returns list and the dashboard say who submitted on time."))
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.PLANNING)
    co_chairs = models.ManyToManyField(
        Country, verbose_name=_("co-chairs"), related_name="co_chaired_operations", blank=True
    )
    countries = models.ManyToManyField(
        Country, through="Participation", related_name="joint_operations", blank=True
    )
    description = models.TextField(_("description"), blank=True)
    classification = models.CharField(
        _("classification"), max_length=80, default="RESTRICTED",
        help_text=_("Printed at the top and bottom of every page of the debrief pack."),
    )
    public_threshold = models.PositiveSmallIntegerField(
        _("public threshold"), default=default_public_threshold,
        validators=[MinValueValidator(2), MaxValueValidator(100)],
        help_text=_("In exports for the public, a figure below this (zero included) is shown "
                    "as \"<N\", and others are withheld where it could be worked out. 5 by "
                    "default; 11 as the Counter Trafficking Data Collaborative publishes."),
    )

    class Meta:
        ordering = ["-starts_on"]
        verbose_name = _("joint operation")
        verbose_name_plural = _("joint operations")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_on__gte=F("starts_on")),
                name="joint_operation_period_ordered",
                violation_error_message=PERIOD_ORDER,
            ),
            models.CheckConstraint(
                condition=Q(returns_due_on__isnull=True) | Q(returns_due_on__gte=F("starts_on")),
                name="joint_operation_returns_due_after_start",
                violation_error_message=RETURNS_DUE_ORDER,
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        super().clean()
        errors = {}
        try:
            check_period(self.starts_on, self.ends_on)
        except ValidationError as error:
            errors.update(error.error_dict)
        # A protective marking never starts like a formula; every spreadsheet writer makes such
        # text inert anyway (core.spreadsheets), this refuses it where it is typed.
        if starts_like_formula(self.classification or ""):
            errors["classification"] = [_(
                "A classification cannot start with =, +, -, @, a tab or a line break: "
                "spreadsheets would read it as a formula.")]
        if self.returns_due_on and self.starts_on and self.returns_due_on < self.starts_on:
            errors["returns_due_on"] = [RETURNS_DUE_ORDER]
        if errors:
            raise ValidationError(errors)


@audited()
class Participation(models.Model):
    """How a country or organisation took part in a joint operation (statement paragraphs 2-4)."""

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        AGREED = "agreed", _("Agreed to participate")
        TOOK_PART = "took_part", _("Took part")
        DECLINED = "declined", _("Declined")
        OBSERVER = "observer", _("Debrief only")

    joint_operation = models.ForeignKey(
        JointOperation, on_delete=models.CASCADE, related_name="participations"
    )
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="participations")
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.INVITED)
    attended_debrief = models.BooleanField(_("attended the debrief"), default=False)

    class Meta:
        ordering = ["joint_operation", "country__name"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["joint_operation", "country"],
                name="participation_unique_per_country",
                violation_error_message=_("This country is already listed for that joint operation."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country} in {self.joint_operation}: {self.get_status_display()}"


@audited()
class Operation(models.Model):
    """One country's operation inside a joint operation."""

    joint_operation = models.ForeignKey(
        JointOperation, on_delete=models.PROTECT, related_name="operations"
    )
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="operations")
    name = models.CharField(_("name"), max_length=200)
    lead_agency = models.ForeignKey(
        Agency, verbose_name=_("lead agency"), on_delete=models.PROTECT, related_name="led_operations"
    )
    agencies = models.ManyToManyField(
        Agency, verbose_name=_("other agencies"), related_name="operations", blank=True
    )
    crime_types = ChoiceArrayField(
        models.CharField(max_length=16, choices=CrimeType), verbose_name=_("crime types"), default=list
    )
    sectors = ChoiceArrayField(
        models.CharField(max_length=32, choices=Sector), verbose_name=_("sectors"), default=list, blank=True
    )

    class Meta:
        ordering = ["joint_operation", "country__name"]
        verbose_name = _("country operation")
        verbose_name_plural = _("country operations")
        constraints = [
            models.UniqueConstraint(
                fields=["joint_operation", "country"],
                name="operation_one_per_country",
                violation_error_message=_("This country already has an operation in that joint operation."),
            ),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="operation_lead_agency_in_country",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update,
                func="""
                IF (SELECT country_id FROM countries_agency WHERE id = NEW.lead_agency_id)
                   IS DISTINCT FROM NEW.country_id THEN
                    RAISE EXCEPTION 'lead agency % does not belong to country %',
                        NEW.lead_agency_id, NEW.country_id
                        USING ERRCODE = 'check_violation', CONSTRAINT = 'operation_lead_agency_in_country';
                END IF;
                RETURN NEW;
                """,
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.country.code})"

    def clean(self) -> None:
        super().clean()
        if self.lead_agency_id and self.country_id and self.lead_agency.country_id != self.country_id:
            raise ValidationError(
                {"lead_agency": _("The lead agency must belong to the operation's country.")}
            )


# ---------------------------------------------------------------------------------------------
# Outcome records
# ---------------------------------------------------------------------------------------------

RECORD_INTEGRITY_SQL = """
DECLARE
    op_country bigint;
    period_start date;
    period_end date;
BEGIN
    SELECT o.country_id, j.starts_on, j.ends_on INTO op_country, period_start, period_end
      FROM operations_operation o JOIN operations_jointoperation j ON j.id = o.joint_operation_id
     WHERE o.id = NEW.operation_id;
    IF NEW.country_id IS DISTINCT FROM op_country THEN
        RAISE EXCEPTION 'record country % is not the operation''s country %', NEW.country_id, op_country
            USING ERRCODE = 'check_violation', CONSTRAINT = 'record_country_is_operation_country';
    END IF;
    IF (SELECT country_id FROM countries_agency WHERE id = NEW.agency_id) IS DISTINCT FROM NEW.country_id THEN
        RAISE EXCEPTION 'agency % does not belong to country %', NEW.agency_id, NEW.country_id
            USING ERRCODE = 'check_violation', CONSTRAINT = 'record_agency_in_country';
    END IF;
    IF NEW.occurred_on < period_start OR NEW.occurred_on > period_end THEN
        RAISE EXCEPTION 'date % is outside the period % to %', NEW.occurred_on, period_start, period_end
            USING ERRCODE = 'check_violation', CONSTRAINT = 'record_date_in_period';
    END IF;
    RETURN NEW;
END;
"""



class OutcomeRecord(models.Model):
    """Fields every outcome record shares: where it belongs, who owns it, when it happened.

    ``country`` duplicates ``operation.country`` on purpose: access scoping is one indexed filter.
    A trigger keeps it, the agency and the date consistent with the operation.
    """

    operation = models.ForeignKey(
        Operation, verbose_name=_("operation"), on_delete=models.PROTECT, related_name="+"
    )
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="+", db_index=True
    )
    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="+"
    )
    occurred_on = models.DateField(_("date"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    version = models.PositiveIntegerField(_("version"), default=1, editable=False)
    # A record attributed to a joint investigation is read by every member country.
    joint_investigation = models.ForeignKey(
        "cooperation.JointInvestigation", verbose_name=_("joint investigation"),
        on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )
    # The officer's confirmation of a figure above its soft bound (operations/plausibility.py).
    unusual_reason = models.TextField(
        _("reason for an unusual figure"), blank=True, max_length=1000,
        help_text=_("Only for an unusually large figure: say why it is right."),
    )

    # Label used in lists and exports ("arrests", "search warrants"...).
    record_label: str = ""
    # About suspects, victims or intelligence: every read of one goes to the access log.
    sensitive: bool = False

    class Meta:
        abstract = True
        ordering = ["-occurred_on", "-id"]
        # The lists' and the API's default order: page 1 reads the index, not a sort of them all.
        indexes = [models.Index(fields=["-occurred_on", "-id"], name="%(class)s_recent")]
        triggers = [
            pgtrigger.Trigger(
                name="record_integrity",
                when=pgtrigger.Before,
                operation=pgtrigger.Insert | pgtrigger.Update,
                func=RECORD_INTEGRITY_SQL,
            ),
        ]

    def __str__(self) -> str:
        # Deliberately generic: never a name or free text, whatever the record type.
        return f"{self._meta.verbose_name} #{self.pk} ({self.occurred_on})"

    def clean_fields(self, exclude=None) -> None:
        """Django's checks of each field, with one message naming the field and its limit for
        a figure outside its hard range (instead of the integer type's own range message)."""
        from . import plausibility

        errors = {}
        try:
            super().clean_fields(exclude=exclude)
        except ValidationError as error:
            errors = error.error_dict
        errors.update({name: field_errors
                       for name, field_errors in plausibility.hard_errors(self).items()
                       if name not in (exclude or ())})
        if errors:
            raise ValidationError(errors)

    def clean(self) -> None:
        """Mirror of the database trigger, with messages that name the field."""
        from . import plausibility

        super().clean()
        errors = {}
        operation = self.operation if self.operation_id else None
        if operation is not None:
            if self.country_id and self.country_id != operation.country_id:
                errors["country"] = _("The country must be the operation's country.")
            if self.agency_id and self.agency.country_id != operation.country_id:
                errors["agency"] = _("The agency must belong to the operation's country.")
            period = operation.joint_operation
            if self.occurred_on and not (period.starts_on <= self.occurred_on <= period.ends_on):
                errors["occurred_on"] = _(
                    "The date must be inside the joint operation's period, %(start)s to %(end)s."
                ) % {"start": period.starts_on.isoformat(), "end": period.ends_on.isoformat()}
        # Above a figure's soft bound, a reason (below its hard limit: clean_fields refuses).
        errors.update(plausibility.soft_errors(self))
        if errors:
            raise ValidationError(errors)


@audited()
class ArrestRecord(OutcomeRecord):
    count = models.PositiveIntegerField(_("people arrested"))
    crime_type = models.CharField(_("crime type"), max_length=16, choices=CrimeType)
    sector = models.CharField(_("sector"), max_length=32, choices=Sector, blank=True)

    class Meta(OutcomeRecord.Meta):
        verbose_name = _("arrests")
        verbose_name_plural = _("arrest records")


@audited()
class SearchWarrantRecord(OutcomeRecord):
    count = models.PositiveIntegerField(_("search warrants executed"))
    crime_type = models.CharField(_("crime type"), max_length=16, choices=CrimeType)
    sector = models.CharField(_("sector"), max_length=32, choices=Sector, blank=True)

    class Meta(OutcomeRecord.Meta):
        verbose_name = _("search warrants")
        verbose_name_plural = _("search warrant records")


@audited()
class SuspectRecord(OutcomeRecord):
    """Suspects identified, counted by role. Deliberately no names: aggregates only."""

    sensitive = True

    count = models.PositiveIntegerField(_("suspects identified"))
    role = models.CharField(_("role in the network"), max_length=16, choices=SuspectRole)
    crime_type = models.CharField(_("crime type"), max_length=16, choices=CrimeType)
    sector = models.CharField(_("sector"), max_length=32, choices=Sector, blank=True)
    # Optional: the network this record is about (only one the entering country may see).
    network = models.ForeignKey(
        "cooperation.Network", verbose_name=_("network"), on_delete=models.SET_NULL, null=True,
        blank=True,
        related_name="suspect_records",
    )

    class Meta(OutcomeRecord.Meta):
        verbose_name = _("suspects identified")
        verbose_name_plural = _("suspect records")


@audited()
class VictimAssistanceRecord(OutcomeRecord):
    """A group of trafficked persons assisted who share sex, age band, nationality and exploitation.

    By design there is no free-text field: nothing here can hold a name or an identifier.
    """

    sensitive = True

    count = models.PositiveIntegerField(_("persons assisted"))
    sex = models.CharField(_("sex"), max_length=8, choices=Sex)
    age_band = models.CharField(_("age band"), max_length=8, choices=AgeBand)
    nationality = models.CharField(
        _("nationality"),
        max_length=3,
        validators=[validate_nationality],
        help_text=_("ISO 3166-1 alpha-3 code of the nationality, e.g. MMR."),
    )
    exploitation_type = models.CharField(
        _("exploitation type"), max_length=8, choices=ExploitationType
    )
    sector = models.CharField(_("sector"), max_length=32, choices=Sector, blank=True)
    # No free text here either: an unusually large figure is confirmed by one of these reasons.
    unusual_reason = models.CharField(
        _("reason for an unusual figure"), max_length=16, blank=True,
        choices=UnusualVictimFigure,
        help_text=_("Only for an unusually large figure: say why it is right."),
    )

    class Meta(OutcomeRecord.Meta):
        verbose_name = _("trafficked persons assisted")
        verbose_name_plural = _("victim assistance records")
        constraints = [
            models.CheckConstraint(
                condition=Q(nationality__regex=r"^[A-Z]{3}$"),
                name="victim_assistance_nationality_alpha3",
                violation_error_message=_("Nationality must be an ISO 3166-1 alpha-3 code."),
            ),
        ]


@audited()
class InvestigationRecord(OutcomeRecord):
    count = models.PositiveIntegerField(_("new investigations launched"), default=1)
    crime_type = models.CharField(_("crime type"), max_length=16, choices=CrimeType)
    sector = models.CharField(_("sector"), max_length=32, choices=Sector, blank=True)
    # Optional: the network this record is about (only one the entering country may see).
    network = models.ForeignKey(
        "cooperation.Network", verbose_name=_("network"), on_delete=models.SET_NULL, null=True,
        blank=True,
        related_name="investigation_records",
    )

    class Meta(OutcomeRecord.Meta):
        verbose_name = _("new investigations")
        verbose_name_plural = _("investigation records")


@audited()
class EnquiryRecord(OutcomeRecord):
    """Bilateral or international enquiries sent to one counterpart through one channel."""

    count = models.PositiveIntegerField(_("enquiries made"), default=1)
    counterpart = models.ForeignKey(
        Country,
        verbose_name=_("sent to"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    channel = models.CharField(_("channel"), max_length=16, choices=EnquiryChannel)
    crime_type = models.CharField(_("crime type"), max_length=16, choices=CrimeType)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)

    # The addressee country reads enquiries sent to it and records when it answered.
    addressee_field = "counterpart"

    class Meta(OutcomeRecord.Meta):
        verbose_name = _("enquiries")
        verbose_name_plural = _("enquiry records")
        constraints = [
            models.CheckConstraint(
                condition=~Q(counterpart=F("country")),
                name="enquiry_counterpart_not_self",
                violation_error_message=_("An enquiry must be addressed to another country or organisation."),
            ),
            models.CheckConstraint(
                condition=Q(answered_on__isnull=True) | Q(answered_on__gte=F("occurred_on")),
                name="enquiry_answered_after_sent",
                violation_error_message=_("An enquiry cannot be answered before it was sent."),
            ),
        ]

    def clean(self) -> None:
        """The constraints' rules again, naming the field each one is about."""
        errors = {}
        try:
            super().clean()
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if self.counterpart_id and self.counterpart_id == self.country_id:
            errors.setdefault("counterpart", []).append(
                _("An enquiry must be addressed to another country or organisation."))
        if self.answered_on and self.occurred_on and self.answered_on < self.occurred_on:
            errors.setdefault("answered_on", []).append(
                _("An enquiry cannot be answered before it was sent (%(sent)s).")
                % {"sent": self.occurred_on.isoformat()})
        if errors:
            raise ValidationError(errors)

    @property
    def answered(self) -> bool:
        return self.answered_on is not None


@audited()
class AwarenessActivityRecord(OutcomeRecord):
    count = models.PositiveIntegerField(_("activities conducted"), default=1)
    audience = models.CharField(_("audience"), max_length=20, choices=Audience)
    people_reached = models.PositiveIntegerField(_("people reached"), null=True, blank=True)
    sector = models.CharField(_("sector"), max_length=32, choices=Sector, blank=True)

    class Meta(OutcomeRecord.Meta):
        verbose_name = _("awareness-raising activities")
        verbose_name_plural = _("awareness activity records")


@audited()
class TrainingSessionRecord(OutcomeRecord):
    """One training session and how many officers of each category it trained."""

    police_trained = models.PositiveIntegerField(_("police officers trained"), default=0)
    airport_trained = models.PositiveIntegerField(_("airport officers trained"), default=0)
    immigration_trained = models.PositiveIntegerField(_("immigration officers trained"), default=0)
    compliance_trained = models.PositiveIntegerField(_("compliance officers trained"), default=0)
    topic = models.CharField(_("topic"), max_length=200, blank=True)

    OFFICER_FIELDS = {
        OfficerCategory.POLICE: "police_trained",
        OfficerCategory.AIRPORT: "airport_trained",
        OfficerCategory.IMMIGRATION: "immigration_trained",
        OfficerCategory.COMPLIANCE: "compliance_trained",
    }

    class Meta(OutcomeRecord.Meta):
        verbose_name = _("training sessions")
        verbose_name_plural = _("training session records")

    def clean(self) -> None:
        super().clean()
        if not any(getattr(self, field) for field in self.OFFICER_FIELDS.values()):
            raise ValidationError({"police_trained": _(
                "Enter how many officers were trained in at least one category."
            )})

    @property
    def officers_trained(self) -> int:
        return sum(getattr(self, field) for field in self.OFFICER_FIELDS.values())


@audited()
class IntelligenceReport(OutcomeRecord):
    """Intelligence on the networks and their modus operandi: the most sensitive record type."""

    sensitive = True

    class Grading(models.TextChoices):
        CONFIRMED = "confirmed", _("Confirmed")
        PROBABLE = "probable", _("Probably true")
        POSSIBLE = "possible", _("Possibly true")
        UNKNOWN = "unknown", _("Cannot be judged")

    title = models.CharField(_("title"), max_length=200)
    crime_type = models.CharField(_("crime type"), max_length=16, choices=CrimeType)
    network_summary = models.TextField(_("network"), blank=True)
    modus_operandi = models.TextField(_("modus operandi"))
    grading = models.CharField(_("grading"), max_length=16, choices=Grading, default=Grading.UNKNOWN)
    # Optional: the network this record is about (only one the entering country may see).
    network = models.ForeignKey(
        "cooperation.Network", verbose_name=_("network"), on_delete=models.SET_NULL, null=True,
        blank=True,
        related_name="intelligence_reports",
    )

    class Meta(OutcomeRecord.Meta):
        verbose_name = _("intelligence report")
        verbose_name_plural = _("intelligence reports")


# ---------------------------------------------------------------------------------------------
# Sharing one record with another country (django-guardian, direct foreign-key permissions)
# ---------------------------------------------------------------------------------------------


def _direct_group_permission_model(record_model: type[OutcomeRecord]) -> type:
    """guardian's direct-FK group permission table for one record type.

    Rows are written only when a record is shared, never when one is created.
    """
    name = f"{record_model.__name__}GroupObjectPermission"
    meta = type("Meta", (GroupObjectPermissionBase.Meta,), {"abstract": False})
    return type(
        name,
        (GroupObjectPermissionBase,),
        {
            "__module__": __name__,
            # A visible reverse relation: guardian finds direct permission models through it.
            "content_object": models.ForeignKey(record_model, on_delete=models.CASCADE),
            "Meta": meta,
        },
    )


OUTCOME_MODELS: tuple[type[OutcomeRecord], ...] = (
    ArrestRecord,
    SearchWarrantRecord,
    SuspectRecord,
    VictimAssistanceRecord,
    InvestigationRecord,
    EnquiryRecord,
    AwarenessActivityRecord,
    TrainingSessionRecord,
    IntelligenceReport,
)
GROUP_PERMISSION_MODELS = {model: _direct_group_permission_model(model) for model in OUTCOME_MODELS}
for _permission_model in GROUP_PERMISSION_MODELS.values():
    globals()[_permission_model.__name__] = _permission_model


@audited()
class RecordShare(models.Model):
    """One record shared, view-only, with another country: who, why, and until when."""

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.PositiveBigIntegerField()
    record = GenericForeignKey("content_type", "object_id")
    owner_country = models.ForeignKey(
        Country, verbose_name=_("shared by country"), on_delete=models.PROTECT, related_name="+"
    )
    shared_with = models.ForeignKey(
        Country, verbose_name=_("shared with"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("reason"))
    shared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("shared at"), auto_now_add=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("record share")
        verbose_name_plural = _("record shares")
        indexes = [models.Index(fields=["content_type", "object_id"])]
        constraints = [
            models.CheckConstraint(
                condition=~Q(owner_country=F("shared_with")),
                name="record_share_with_another_country",
                violation_error_message=_("A record can only be shared with another country."),
            ),
            models.UniqueConstraint(
                fields=["content_type", "object_id", "shared_with"],
                condition=Q(revoked_at__isnull=True),
                name="record_share_one_active_per_country",
                violation_error_message=_("This record is already shared with that country."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.content_type.name} #{self.object_id} shared with {self.shared_with}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


# ---------------------------------------------------------------------------------------------
# Country return
# ---------------------------------------------------------------------------------------------


@audited()
class CountryReturn(models.Model):
    """A country's return for a joint operation: open -> submitted -> accepted (DHIS2-style)."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        SUBMITTED = "submitted", _("Submitted")
        ACCEPTED = "accepted", _("Accepted")

    # The state machine: each action, the states it may start from and the state it leaves.
    TRANSITIONS = {
        "submit": ((State.OPEN,), State.SUBMITTED),
        "accept": ((State.SUBMITTED,), State.ACCEPTED),
        "reopen": ((State.SUBMITTED, State.ACCEPTED), State.OPEN),
    }

    joint_operation = models.ForeignKey(
        JointOperation, on_delete=models.PROTECT, related_name="country_returns"
    )
    country = models.ForeignKey(Country, on_delete=models.PROTECT, related_name="country_returns")
    state = models.CharField(_("state"), max_length=16, choices=State, default=State.OPEN)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reopen_reason = models.TextField(_("reason for reopening"), blank=True)
    # The focal point's word, at submission, that figures the review warned about are right.
    warnings_reason = models.TextField(_("why the figures warned about are right"), blank=True)

    class Meta:
        ordering = ["joint_operation", "country__name"]
        verbose_name = _("country return")
        verbose_name_plural = _("country returns")
        constraints = [
            models.UniqueConstraint(
                fields=["joint_operation", "country"],
                name="country_return_one_per_country",
                violation_error_message=_("This country already has a return for that joint operation."),
            ),
            models.CheckConstraint(
                condition=Q(state="open") | Q(submitted_at__isnull=False),
                name="country_return_submitted_has_time",
                violation_error_message=_("A submitted or accepted return needs its submission time."),
            ),
            models.CheckConstraint(
                condition=~Q(state="accepted") | Q(accepted_at__isnull=False),
                name="country_return_accepted_has_time",
                violation_error_message=_("An accepted return needs its acceptance time."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country} — {self.joint_operation} ({self.get_state_display()})"

    def allows(self, action: str) -> bool:
        """Whether ``action`` ("submit", "accept", "reopen") may start from the current state."""
        return self.state in self.TRANSITIONS[action][0]

    @property
    def locks_records(self) -> bool:
        """Edits only while open: a submitted or accepted return freezes its country's records."""
        return self.state != self.State.OPEN

    def locked_message(self) -> str:
        """Why the country's records cannot change now, and whom to ask (needs country and
        joint operation loaded)."""
        return _(
            "The return of %(country)s for %(operation)s is %(state)s, so its records "
            "cannot be changed. Ask the secretariat to reopen it."
        ) % {
            "country": self.country.name,
            "operation": self.joint_operation.name,
            "state": self.get_state_display().lower(),
        }


# ---------------------------------------------------------------------------------------------
# Bulk import of outcome records from a spreadsheet: upload -> preview -> confirm
# ---------------------------------------------------------------------------------------------


# The raw cells and their error messages may hold intelligence text and must go when the batch
# is imported or discarded: they stay out of the append-only events.
@audited(exclude=["rows", "errors"])
class ImportBatch(models.Model):
    """One uploaded file of outcome records: its rows wait here until confirmed or discarded."""

    class State(models.TextChoices):
        PREVIEW = "preview", _("Waiting for confirmation")
        IMPORTED = "imported", _("Imported")
        DISCARDED = "discarded", _("Discarded")

    kind = models.CharField(_("record type"), max_length=40)  # a RecordKind slug
    file_name = models.CharField(_("file name"), max_length=255)
    sha256 = models.CharField(_("SHA-256 of the file"), max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT,
        related_name="+",
    )
    joint_operation = models.ForeignKey(
        JointOperation, verbose_name=_("joint operation"), on_delete=models.PROTECT, related_name="+"
    )
    # The country of the rows' agencies; unknown while no row names an agency the user may use.
    country = models.ForeignKey(
        Country, verbose_name=_("country"), on_delete=models.PROTECT, related_name="+",
        null=True, blank=True,
    )
    state = models.CharField(_("state"), max_length=16, choices=State, default=State.PREVIEW)
    row_count = models.PositiveIntegerField(_("rows"), default=0)
    # [{"line": spreadsheet row number, "cells": {column: raw text}}]; emptied once decided.
    rows = models.JSONField(_("rows"), default=list, blank=True)
    # [{"line": row number or null, "field": column or null, "message": text}]
    errors = models.JSONField(_("errors"), default=list, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    imported_at = models.DateTimeField(_("imported at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "country", "joint_operation", "sha256"],
                condition=Q(state="imported"),
                name="import_batch_file_imported_once",
                violation_error_message=_("This file has already been imported."),
            ),
            models.CheckConstraint(
                condition=~Q(state="imported") | (Q(country__isnull=False) & Q(imported_at__isnull=False)),
                name="import_batch_imported_has_country_and_time",
                violation_error_message=_("An imported batch needs its country and import time."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.kind}, {self.get_state_display()})"
