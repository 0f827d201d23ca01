from django.contrib import admin

from countries import access

from . import models


class ParticipationInline(admin.TabularInline):
    model = models.Participation
    extra = 0
    autocomplete_fields = ["country"]


@admin.register(models.JointOperation)
class JointOperationAdmin(admin.ModelAdmin):
    list_display = ["name", "starts_on", "ends_on", "returns_due_on", "status"]
    list_filter = ["status"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["co_chairs"]
    inlines = [ParticipationInline]


@admin.register(models.Participation)
class ParticipationAdmin(admin.ModelAdmin):
    list_display = ["country", "joint_operation", "status", "attended_debrief"]
    list_filter = ["joint_operation", "status", "attended_debrief"]
    search_fields = ["country__name", "country__code"]
    list_select_related = ["country", "joint_operation"]


@admin.register(models.Operation)
class OperationAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "joint_operation", "lead_agency"]
    list_filter = ["joint_operation", "country"]
    search_fields = ["name", "country__name", "lead_agency__name"]
    list_select_related = ["country", "joint_operation", "lead_agency__country"]
    autocomplete_fields = ["country", "lead_agency"]
    filter_horizontal = ["agencies"]


class OutcomeRecordAdmin(admin.ModelAdmin):
    """Shared admin for the outcome records (read-only): filter by period, country and agency."""

    date_hierarchy = "occurred_on"
    list_select_related = ["country", "agency__country", "operation__joint_operation"]
    search_fields = ["agency__name", "agency__acronym", "country__name", "country__code"]
    autocomplete_fields = ["operation", "country", "agency"]
    readonly_fields = ["version", "created_by", "created_at", "updated_at"]
    extra_list_display: tuple[str, ...] = ()
    extra_list_filter: tuple[str, ...] = ()

    def get_list_display(self, request):
        return ["occurred_on", "country", "agency", *self.extra_list_display]

    def get_list_filter(self, request):
        return ["operation__joint_operation", "country", "agency__kind", *self.extra_list_filter]

    def get_queryset(self, request):
        # Non-superusers see exactly what the access module lets them read, here as everywhere.
        return access.records_visible(request.user, super().get_queryset(request))

    def get_exclude(self, request, obj=None):
        # A record read through a share or an investigation must not name a network or an
        # investigation the reader's country may not see; the record page applies the same rule.
        if request.user.is_superuser:
            return super().get_exclude(request, obj)
        return ["network", "joint_investigation"]

    # Records are read-only here: the portal's pages, import and services are the write path,
    # so the return lock, the version check and the access rules always apply.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(models.ArrestRecord)
class ArrestRecordAdmin(OutcomeRecordAdmin):
    extra_list_display = ("count", "crime_type", "sector")
    extra_list_filter = ("crime_type", "sector")


@admin.register(models.SearchWarrantRecord)
class SearchWarrantRecordAdmin(OutcomeRecordAdmin):
    extra_list_display = ("count", "crime_type", "sector")
    extra_list_filter = ("crime_type", "sector")


@admin.register(models.SuspectRecord)
class SuspectRecordAdmin(OutcomeRecordAdmin):
    extra_list_display = ("count", "role", "crime_type")
    extra_list_filter = ("role", "crime_type", "sector")


@admin.register(models.VictimAssistanceRecord)
class VictimAssistanceRecordAdmin(OutcomeRecordAdmin):
    extra_list_display = ("count", "sex", "age_band", "nationality", "exploitation_type", "sector")
    extra_list_filter = ("exploitation_type", "sex", "age_band", "sector")


@admin.register(models.InvestigationRecord)
class InvestigationRecordAdmin(OutcomeRecordAdmin):
    extra_list_display = ("count", "crime_type", "sector")
    extra_list_filter = ("crime_type", "sector")


@admin.register(models.EnquiryRecord)
class EnquiryRecordAdmin(OutcomeRecordAdmin):
    extra_list_display = ("count", "counterpart", "channel", "answered_on")
    extra_list_filter = ("channel", "crime_type")
    autocomplete_fields = [*OutcomeRecordAdmin.autocomplete_fields, "counterpart"]


@admin.register(models.AwarenessActivityRecord)
class AwarenessActivityRecordAdmin(OutcomeRecordAdmin):
    extra_list_display = ("count", "audience", "people_reached", "sector")
    extra_list_filter = ("audience", "sector")


@admin.register(models.TrainingSessionRecord)
class TrainingSessionRecordAdmin(OutcomeRecordAdmin):
    extra_list_display = (
        "topic", "police_trained", "airport_trained", "immigration_trained", "compliance_trained",
    )
    search_fields = [*OutcomeRecordAdmin.search_fields, "topic"]


@admin.register(models.IntelligenceReport)
class IntelligenceReportAdmin(OutcomeRecordAdmin):
    extra_list_display = ("title", "crime_type", "grading")
    extra_list_filter = ("crime_type", "grading")
    search_fields = [*OutcomeRecordAdmin.search_fields, "title"]


@admin.register(models.CountryReturn)
class CountryReturnAdmin(admin.ModelAdmin):
    list_display = ["country", "joint_operation", "state", "submitted_at", "accepted_at"]
    list_filter = ["joint_operation", "state"]
    search_fields = ["country__name", "country__code"]
    list_select_related = ["country", "joint_operation"]
    readonly_fields = ["submitted_at", "submitted_by", "accepted_at", "accepted_by"]
