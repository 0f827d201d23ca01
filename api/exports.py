"""Export jobs: ask for a debrief export, poll it, download its file, retry a failed one.

The same rules as the export page: the choice is checked by the page's own form
(``reporting.forms.ExportForm``: joint operation, countries and profile the caller may export),
the job is recorded and queued by ``reporting.export_jobs`` (a worker makes it; with no broker
it runs in-process once the request commits), and a job is its requester's alone: anybody
else's is 404, exactly like a missing one.
"""
from __future__ import annotations

from django.http import FileResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import (
    exceptions,
    mixins,
    negotiation,
    permissions,
    serializers,
    status,
    viewsets,
)
from rest_framework.decorators import action
from rest_framework.response import Response

from countries import access
from reporting import export_jobs, exports, selectors, statement
from reporting import policies as reporting_policies
from reporting.forms import ExportForm
from reporting.metrics import HEADLINE_METRICS
from reporting.models import ExportJob

from .base import ApiViewMixin
from .errors import Conflict
from .fields import StrictSerializerMixin
from .idempotency import IdempotentMixin
from .permissions import allows
from .schema import ERROR_RESPONSES

# ---------------------------------------------------------------------------------------------
# Serializers: one to read a job, one to ask for one
# ---------------------------------------------------------------------------------------------


class ExportJobSerializer(serializers.ModelSerializer):
    """A job as its requester sees it. Every field is read-only: only the worker moves it."""

    joint_operation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    country = serializers.SlugRelatedField(
        slug_field="code", read_only=True, allow_null=True,
        help_text="The one country exported; null: the region (every country).")
    requested_by = serializers.SlugRelatedField(slug_field="username", read_only=True,
                                                allow_null=True)
    rounded = serializers.ListField(child=serializers.CharField(), read_only=True)
    download_url = serializers.SerializerMethodField(
        help_text="Where to download the file once the job has succeeded; null until then "
                  "(and once the file has expired).")

    class Meta:
        model = ExportJob
        fields = ["id", "joint_operation", "country", "format", "profile", "rounded", "status",
                  "progress", "filename", "size", "error", "source", "requested_by",
                  "created_at", "started_at", "finished_at", "expires_at", "download_url"]
        read_only_fields = fields

    def get_download_url(self, job) -> str | None:
        if job.status != ExportJob.Status.SUCCEEDED or not job.file:
            return None
        return reverse("api:export-job-download", args=[job.pk])


class ExportRequestSerializer(StrictSerializerMixin, serializers.Serializer):
    """What to export. Read-only fields of a job sent along are ignored; unknown ones refused."""

    ignored_fields = frozenset(ExportJobSerializer.Meta.fields) - {
        "joint_operation", "country", "format", "profile", "rounded"}

    joint_operation = serializers.CharField(
        max_length=100, help_text="Slug of the joint operation, e.g. jpoa-2015.")
    country = serializers.CharField(
        max_length=8, required=False, allow_blank=True, allow_null=True, default="",
        help_text="Code of the one country to export (e.g. THA); left out, empty or null: the "
                  "region, which only co-chairs, the secretariat and administrators export.")
    format = serializers.ChoiceField(choices=ExportJob.Format.choices)
    profile = serializers.ChoiceField(
        choices=ExportJob.Profile.choices, default=ExportJob.Profile.RESTRICTED,
        help_text="`public` (a media release) is for co-chairs, the secretariat, administrators "
                  "and a country's focal point.")
    rounded = serializers.ListField(
        child=serializers.ChoiceField(choices=[m.key for m in HEADLINE_METRICS]),
        required=False, default=lambda: sorted(statement.ROUNDED_IN_2015), max_length=50,
        help_text="Headline figures rounded down to “over N” in the statement text "
                  "(as 2015 said “over 70” enquiries). Default: the 2015 choice.")

    def schema_enums(self) -> dict[str, list]:
        """For the schema served to the caller (``api.schema``): what the page's form offers
        them, the joint operations there are, the countries and profiles theirs to export."""
        request = self.context.get("request")
        if request is None:
            return {}
        form = ExportForm(user=request.user, joint_operations=selectors.dashboard_joint_operations(),
                          countries=selectors.taking_part_countries())
        enums = {name: [value for value, _label in form.fields[name].choices]
                 for name in ("joint_operation", "country", "profile")}
        if len(enums["country"]) == 1 and enums["country"] != [""]:
            # One country to export: only the joint operations it took part in (the form's
            # rule, "This country did not take part in the joint operation chosen").
            enums["joint_operation"] = [
                slug for slug in enums["joint_operation"]
                if form.joint_operations[slug].operations.filter(
                    country__code=enums["country"][0]).exists()]
        return enums

    def schema_required(self) -> list[str]:
        """For the schema served to the caller: one who does not export the region names one
        country (the form's rule: the region is not among their choices)."""
        return ["country"] if "" not in self.schema_enums().get("country", [""]) else []


class ExportFilesNegotiation(negotiation.DefaultContentNegotiation):
    """A download answers with the file's own type whatever ``Accept`` says; errors in JSON."""

    def select_renderer(self, request, renderers, format_suffix=None):
        return renderers[0], renderers[0].media_type


class ExportNotReady(Conflict):
    default_code = "export_not_ready"


# ---------------------------------------------------------------------------------------------
# Documentation
# ---------------------------------------------------------------------------------------------

EXAMPLE = {
    "id": 12, "joint_operation": "jpoa-2015", "country": "THA", "format": "pdf",
    "profile": "restricted", "rounded": ["enquiries"], "status": "succeeded", "progress": 100,
    "filename": "jpoa-2015-tha-restricted.pdf", "size": 48213, "error": "", "source": "api",
    "requested_by": "focal.tha", "created_at": "2015-11-02T03:10:00Z",
    "started_at": "2015-11-02T03:10:01Z", "finished_at": "2015-11-02T03:10:04Z",
    "expires_at": "2015-11-09T03:10:04Z", "download_url": "/api/v1/exports/12/download/",
}
QUEUED = {**EXAMPLE, "status": "queued", "progress": 0, "filename": "", "size": None,
          "started_at": None, "finished_at": None, "expires_at": None, "download_url": None}
REQUEST = {"joint_operation": "jpoa-2015", "country": "THA", "format": "pdf",
           "profile": "restricted", "rounded": ["enquiries"]}

STATEMENT_EXAMPLE = OpenApiExample(
    "Statement text", response_only=True, media_type="text/plain",
    value="In total, 59 trafficked persons were assisted, 7 search warrants executed, ...")
FILE_TYPES = {(200, content_type.split(";")[0]): OpenApiResponse(
    OpenApiTypes.BINARY, description=f"The {fmt.upper()} file, as an attachment.",
    examples=[STATEMENT_EXAMPLE] if fmt == "text" else [])
    for fmt, content_type in exports.CONTENT_TYPES.items()}


def _example(name: str, value: dict) -> OpenApiExample:
    return OpenApiExample(name, value=value, response_only=True)


# ---------------------------------------------------------------------------------------------
# The viewset
# ---------------------------------------------------------------------------------------------


@extend_schema_view(
    list=extend_schema(summary="Your export jobs", tags=["exports"],
                       examples=[_example("A finished job", EXAMPLE)],
                       description="The exports you asked for (and only yours), newest first."),
    retrieve=extend_schema(
        summary="One of your export jobs: poll it until it is finished", tags=["exports"],
        examples=[_example("Waiting", QUEUED), _example("Ready", EXAMPLE)],
        description="`status` goes queued -> running -> succeeded (or failed); `progress` is "
                    "a percentage. Once it has succeeded, `download_url` gives the file until "
                    "`expires_at`. Another user's job is 404."),
    create=extend_schema(
        summary="Ask for a debrief export (CSV, XLSX, PDF or statement text)", tags=["exports"],
        request=ExportRequestSerializer, responses={201: ExportJobSerializer},
        examples=[OpenApiExample("Thailand's PDF pack", value=REQUEST, request_only=True),
                  _example("Queued", QUEUED)],
        description=(
            "Records the job (201, `Location` is the job) and queues it for a worker; poll the "
            "job, then download its file. The same choices as the export page: a refused "
            "choice (a country you do not follow, the region or the public profile when they "
            "are not yours) is 400 naming the field.")),
)
class ExportJobViewSet(IdempotentMixin, ApiViewMixin, mixins.ListModelMixin,
                       mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                       viewsets.GenericViewSet):
    """Debrief exports made by a worker: ask, poll, download, retry."""
    permission_classes = [permissions.IsAuthenticated, allows(
        access.can_view_regional_totals, actions=["create"],
        message=gettext_lazy("You have no role in the portal yet, so no exports."))]

    serializer_class = ExportJobSerializer
    filter_backends = []  # the caller's own jobs, newest first: few enough to page through

    def get_queryset(self):
        return reporting_policies.exports_visible(
            self.request.user,
            ExportJob.objects.select_related("joint_operation", "country", "requested_by"),
        ).order_by("-created_at", "-pk")

    def get_serializer_class(self):
        if self.action == "create" or (self.action == "metadata" and self.request.method == "POST"):
            return ExportRequestSerializer
        return ExportJobSerializer

    def get_object(self):
        try:
            return super().get_object()
        except (ValueError, TypeError) as error:  # an id that is not a number
            raise exceptions.NotFound() from error

    def _created(self, job: ExportJob) -> Response:
        access.log_access(self.request, "export", job)
        return Response(ExportJobSerializer(job, context=self.get_serializer_context()).data,
                        status=status.HTTP_201_CREATED,
                        headers={"Location": reverse("api:export-job-detail", args=[job.pk])})

    def create(self, request, *args, **kwargs):
        body = ExportRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        choice = body.validated_data
        # The page's own form decides what this user may export (it asks the access module).
        form = ExportForm(
            {"joint_operation": choice["joint_operation"], "country": (choice["country"] or "").strip().upper(),
             "format": choice["format"], "profile": choice["profile"],
             "rounded": choice["rounded"]},
            user=request.user, joint_operations=selectors.dashboard_joint_operations(),
            countries=selectors.taking_part_countries())
        if not form.is_valid():
            raise serializers.ValidationError(
                {field: [str(message) for message in messages]
                 for field, messages in form.errors.items()})
        data = form.cleaned_data
        job = export_jobs.request_export(
            user=request.user, joint_operation=data["joint_operation"], country=data["country"],
            fmt=data["format"], profile=data["profile"], rounded=data["rounded"],
            source=ExportJob.Source.API)
        return self._created(job)

    @extend_schema(
        summary="Download a finished export's file", tags=["exports"],
        responses={**FILE_TYPES, 409: OpenApiResponse(
            ERROR_RESPONSES[409].response, "The job has no file: not finished yet "
            "(`export_not_ready`: poll it), failed (`export_failed`: retry it) or expired "
            "(`export_expired`: ask again).", [_example("Not ready", {"error": {
                "code": "export_not_ready", "message": "This export is still being made "
                "(running, 40%). Poll the job and download it once it has succeeded.",
                "fields": {}}})])},
    )
    @action(detail=True, methods=["get"], content_negotiation_class=ExportFilesNegotiation)
    def download(self, request, *args, **kwargs):
        job = self.get_object()
        if job.status in (ExportJob.Status.QUEUED, ExportJob.Status.RUNNING):
            raise ExportNotReady(_(
                "This export is still being made (%(status)s, %(progress)s%%). Poll the job and "
                "download it once it has succeeded.") % {
                "status": job.status, "progress": job.progress})
        if job.status == ExportJob.Status.FAILED:
            raise ExportNotReady(_("This export failed, so it has no file. Retry it."),
                                 code="export_failed")
        if job.status != ExportJob.Status.SUCCEEDED or not job.file:
            raise ExportNotReady(_("This export's file has expired. Retry it to make it "
                                   "again."), code="export_expired")
        access.log_access(request, "export", job)
        response = FileResponse(job.file.open("rb"), as_attachment=True, filename=job.filename,
                                content_type=exports.CONTENT_TYPES[job.format])
        response["Cache-Control"] = "private, no-store"
        return response

    @extend_schema(
        summary="Ask again for a failed or expired export", tags=["exports"], request=None,
        responses={201: ExportJobSerializer}, examples=[_example("Queued again", QUEUED)],
        description="A new job with the same choices (201); the old one stays, as the log. "
                    "A job that is waiting, running or ready answers 409 `wrong_state`.")
    @action(detail=True, methods=["post"])
    def retry(self, request, *args, **kwargs):
        job = self.get_object()
        if job.status not in (ExportJob.Status.FAILED, ExportJob.Status.EXPIRED):
            raise Conflict(_("Only a failed or expired export is retried; this one is %(status)s.")
                           % {"status": job.get_status_display().lower()}, code="wrong_state")
        return self._created(export_jobs.retry_export(user=request.user, job=job,
                                                      source=ExportJob.Source.API))
