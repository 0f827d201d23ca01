"""What the records add up to: the roll-up's totals and the log of its runs."""
from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.audit import audited
from countries.models import Country
from operations.models import JointOperation


class CountryTotal(models.Model):
    """One figure of one country in one joint operation, whole or for one dimension member.

    Written only by ``reporting.rollups``: a country's rows are replaced together.
    ``dimension`` is "" for the metric's total; ``member`` then is "" too.
    """

    joint_operation = models.ForeignKey(JointOperation, on_delete=models.CASCADE, related_name="+")
    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="+")
    metric = models.CharField(_("metric"), max_length=40)
    dimension = models.CharField(_("dimension"), max_length=40, blank=True)
    member = models.CharField(_("member"), max_length=64, blank=True)
    value = models.BigIntegerField(_("value"))

    class Meta:
        verbose_name = _("country total")
        verbose_name_plural = _("country totals")
        constraints = [
            models.UniqueConstraint(
                fields=["joint_operation", "country", "metric", "dimension", "member"],
                name="country_total_unique",
            ),
        ]
        indexes = [models.Index(fields=["joint_operation", "metric", "dimension"])]

    def __str__(self) -> str:
        part = f" [{self.dimension}={self.member}]" if self.dimension else ""
        return f"{self.metric}{part} = {self.value}"


class CountryActivity(models.Model):
    """How many records one country holds of one week of a joint operation (the week the
    results happened in, by its Monday), and when the last of them was entered: what the
    completeness and timeliness report reads (``reporting.completeness``).

    Written only by ``reporting.rollups``, in the same transaction as the country's totals.
    """

    joint_operation = models.ForeignKey(JointOperation, on_delete=models.CASCADE, related_name="+")
    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="+")
    week = models.DateField(_("week of"))
    records = models.PositiveIntegerField(_("records"))
    last_entry_at = models.DateTimeField(_("last entered at"))

    class Meta:
        verbose_name = _("country activity")
        verbose_name_plural = _("country activity")
        constraints = [
            models.UniqueConstraint(fields=["joint_operation", "country", "week"],
                                    name="country_activity_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.country_id} week of {self.week}: {self.records}"


@audited()
class OutlierFlag(models.Model):
    """One of a country's figures standing far outside its own history or the region's
    pattern per head of population (``reporting.outliers``): flagged, never changed.

    Written by the roll-up (``reporting.rollups``), which keeps a flag while its figure stays
    an outlier and removes it when it no longer is; the country's focal point marks it
    "checked, correct" with a comment (``reporting.services.outlier_flag_check``). A flag the
    figure of which changes after the check is open again. Audited: the flag, the comment and
    who checked it are in the trail.
    """

    class Basis(models.TextChoices):
        OWN_HISTORY = "own_history", _("the country's earlier joint operations")
        REGION = "region", _("the region, per head of population")

    class Status(models.TextChoices):
        OPEN = "open", _("To check")
        CHECKED = "checked", _("Checked, correct")

    joint_operation = models.ForeignKey(JointOperation, on_delete=models.CASCADE, related_name="+")
    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="+")
    metric = models.CharField(_("metric"), max_length=40)
    basis = models.CharField(_("compared with"), max_length=16, choices=Basis)
    value = models.BigIntegerField(_("figure"))
    # What the figure was compared with: the median and the median absolute deviation of the
    # basis (in the basis's unit: the figure itself, or log10 of the figure per million people),
    # how many values it had, and the modified z-score of the figure.
    median = models.FloatField(_("median"))
    deviation = models.FloatField(_("median absolute deviation"))
    compared = models.PositiveSmallIntegerField(_("values compared"))
    score = models.FloatField(_("modified z-score"))
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.OPEN)
    comment = models.TextField(_("comment"), blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                   related_name="+", null=True, blank=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)

    class Meta:
        verbose_name = _("outlier flag")
        verbose_name_plural = _("outlier flags")
        constraints = [
            models.UniqueConstraint(fields=["joint_operation", "country", "metric", "basis"],
                                    name="outlier_flag_once"),
            models.CheckConstraint(
                condition=Q(status="open", checked_by__isnull=True, checked_at__isnull=True)
                | Q(status="checked", checked_by__isnull=False, checked_at__isnull=False)
                & ~Q(comment=""),
                name="outlier_flag_checked_with_comment",
                violation_error_message=_("A flag is checked by someone, at a time, with a "
                                          "comment."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.country_id} {self.metric} = {self.value} ({self.basis}, M={self.score:.1f})"


class RollupRun(models.Model):
    """One recomputation of totals: what, when, how long, how many rows, how it ended."""

    class Outcome(models.TextChoices):
        RUNNING = "running", _("Running")
        SUCCEEDED = "succeeded", _("Succeeded")
        FAILED = "failed", _("Failed")

    joint_operation = models.ForeignKey(
        JointOperation, on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    country = models.ForeignKey(
        Country, on_delete=models.CASCADE, related_name="+", null=True, blank=True
    )
    scope = models.CharField(_("scope"), max_length=100)  # "JPOA-2015/THA", "all"
    started_at = models.DateTimeField(_("started at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    duration_ms = models.PositiveIntegerField(_("duration (ms)"), null=True, blank=True)
    rows = models.PositiveIntegerField(_("rows written"), default=0)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome, default=Outcome.RUNNING)
    error = models.TextField(_("error"), blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("roll-up run")
        verbose_name_plural = _("roll-up runs")
        indexes = [models.Index(fields=["joint_operation", "country", "-started_at"])]

    def __str__(self) -> str:
        return f"{self.scope} {self.get_outcome_display()} {self.started_at:%Y-%m-%d %H:%M:%S}"


class PendingRollup(models.Model):
    """A (joint operation, country) whose records changed and whose totals are being redone.

    One row per pair however many edits arrive: this is how bursts coalesce into one run.
    The task deletes the row when it starts, so an edit during a run queues the next one.
    """

    joint_operation = models.ForeignKey(JointOperation, on_delete=models.CASCADE, related_name="+")
    country = models.ForeignKey(Country, on_delete=models.CASCADE, related_name="+")
    requested_at = models.DateTimeField(_("requested at"), auto_now_add=True)

    class Meta:
        verbose_name = _("pending roll-up")
        verbose_name_plural = _("pending roll-ups")
        constraints = [
            models.UniqueConstraint(fields=["joint_operation", "country"],
                                    name="pending_rollup_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.joint_operation_id}/{self.country_id} since {self.requested_at:%H:%M:%S}"


class ExportJob(models.Model):
    """One debrief export: asked for, made (by a worker or on the spot), downloaded, expired.

    The row outlives its file: it is the log of who exported what, in which profile, when.
    """

    class Format(models.TextChoices):
        CSV = "csv", _("CSV (per-country figures)")
        XLSX = "xlsx", _("Excel workbook")
        PDF = "pdf", _("PDF debrief pack")
        TEXT = "text", _("Statement text")

    class Profile(models.TextChoices):
        RESTRICTED = "restricted", _("Restricted: exact figures, for participants")
        PUBLIC = "public", _("Public: for a media release")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Being made")
        SUCCEEDED = "succeeded", _("Ready")
        FAILED = "failed", _("Failed")
        EXPIRED = "expired", _("Expired")

    class Source(models.TextChoices):
        PAGE = "page", _("Portal")
        COMMAND = "command", _("Command line")
        API = "api", _("API")

    joint_operation = models.ForeignKey(JointOperation, on_delete=models.PROTECT,
                                        related_name="export_jobs")
    # The one country exported; empty: every country of the joint operation (the region).
    country = models.ForeignKey(Country, on_delete=models.PROTECT, null=True, blank=True,
                                related_name="+")
    format = models.CharField(_("format"), max_length=8, choices=Format)
    profile = models.CharField(_("profile"), max_length=16, choices=Profile,
                               default=Profile.RESTRICTED)
    rounded = ArrayField(models.CharField(max_length=40), default=list, blank=True,
                         verbose_name=_("figures rounded down"))
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    # How many times a worker started making it: a job whose worker dies every time (out of
    # memory, say) is marked failed after MAX_WORKER_ATTEMPTS instead of queued forever.
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    file = models.FileField(_("file"), upload_to="exports/%Y/%m/", blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    size = models.BigIntegerField(_("size in bytes"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT,
                                     null=True, blank=True, related_name="+")
    source = models.CharField(_("source"), max_length=16, choices=Source, default=Source.PAGE)
    created_at = models.DateTimeField(_("asked for"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    expires_at = models.DateTimeField(_("file deleted after"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        indexes = [
            models.Index(fields=["requested_by", "-created_at"]),
            models.Index(fields=["expires_at"], condition=~models.Q(file=""),
                         name="export_job_file_expiry"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100),
                                   name="export_job_progress_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.get_format_display()} · {self.joint_operation} · {self.get_status_display()}"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.SUCCEEDED, self.Status.FAILED, self.Status.EXPIRED)


# ---------------------------------------------------------------------------------------------
# The debrief workshop: lessons in the statement's structure, recommendations tracked to done
# ---------------------------------------------------------------------------------------------


@audited(table="operations_debriefworkshopevent")
class DebriefWorkshop(models.Model):
    """The debrief after a joint operation (2015: Bangkok, 25 November). Who attended is each
    participation's ``attended_debrief``."""

    joint_operation = models.OneToOneField(JointOperation, on_delete=models.PROTECT,
                                           related_name="workshop")
    held_on = models.DateField(_("held on"))
    place = models.CharField(_("place"), max_length=200)
    co_chairs = models.TextField(_("co-chairs"), blank=True,
                                 help_text=_("Names and titles, one per line."))

    class Meta:
        db_table = "operations_debriefworkshop"  # the table of before the move
        verbose_name = _("debrief workshop")
        verbose_name_plural = _("debrief workshops")

    def __str__(self) -> str:
        return f"{self.joint_operation} debrief"


@audited(table="operations_lessonevent")
class Lesson(models.Model):
    """One country's lessons, in the statement's structure (paragraph 5)."""

    workshop = models.ForeignKey(DebriefWorkshop, on_delete=models.CASCADE, related_name="lessons")
    country = models.ForeignKey(Country, verbose_name=_("country"), on_delete=models.PROTECT,
                                related_name="+")
    outcomes = models.TextField(_("what outcomes were achieved"), blank=True)
    worked_well = models.TextField(_("what worked well"), blank=True)
    did_not_work_well = models.TextField(_("what did not work well"), blank=True)
    do_differently = models.TextField(_("what should be done differently"), blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        db_table = "operations_lesson"  # the table of before the move
        ordering = ["country__name"]
        verbose_name = _("lessons")
        verbose_name_plural = _("lessons")
        constraints = [models.UniqueConstraint(fields=["workshop", "country"],
                                               name="lessons_once_per_country")]

    def __str__(self) -> str:
        return f"lessons of {self.country}"


@audited(table="operations_recommendationevent")
class Recommendation(models.Model):
    """A recommendation or next step of the debrief, with an owner and a due date, tracked."""

    class Status(models.TextChoices):
        OPEN = "open", _("Not started")
        IN_PROGRESS = "in_progress", _("In progress")
        DONE = "done", _("Done")

    workshop = models.ForeignKey(DebriefWorkshop, on_delete=models.CASCADE,
                                 related_name="recommendations")
    number = models.PositiveSmallIntegerField(_("number"))
    text = models.TextField(_("recommendation"))
    owner = models.CharField(_("owner"), max_length=200, blank=True)
    due_on = models.DateField(_("due on"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.OPEN)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    progress_note = models.TextField(_("progress"), blank=True)

    class Meta:
        db_table = "operations_recommendation"  # the table of before the move
        ordering = ["workshop", "number"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        constraints = [
            models.UniqueConstraint(fields=["workshop", "number"], name="recommendation_number_once"),
            models.CheckConstraint(
                condition=Q(status="done", done_on__isnull=False) | (
                    ~Q(status="done") & Q(done_on__isnull=True)),
                name="recommendation_done_has_date",
                violation_error_message=_("A recommendation is done on a date, and only then."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:60]}"
