"""Outcome records: list, read, create, change, delete, and create in bulk (JSON, CSV, XLSX).

One viewset per record type, made from ``operations.records.KINDS``. Reads are scoped by
``countries.access`` (another country's record is 404, exactly like a missing one); a record
the caller may read but not change is 404 for changes, as on the pages. Every write goes
through ``operations.services`` (validation, the return lock, the version check, the audit).
"""
from __future__ import annotations

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiRequest,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import parsers, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from countries import access
from countries.models import Agency
from operations import imports, services
from operations import models as om
from operations.records import KINDS, RecordKind
from operations.selectors import joint_operation_current

from . import filters
from .base import ApiViewMixin
from .errors import NON_FIELD, RowsInvalid, VersionConflict, flatten_codes, flatten_errors
from .fields import QuerySerializer
from .idempotency import IdempotentMixin
from .record_serializers import (
    MAX_COUNT,
    SERIALIZERS,
    RecordSerializers,
    entry_joint_operations,
    example_record,
)

NAMESPACE = "api"


class JointOperationQuerySerializer(QuerySerializer):
    joint_operation = serializers.SlugRelatedField(
        slug_field="slug", queryset=om.JointOperation.objects.all(), required=False,
        help_text="Slug of the joint operation; the current one when left out.")


class VersionQuerySerializer(QuerySerializer):
    version = serializers.IntegerField(
        min_value=0, max_value=MAX_COUNT, help_text="The version you read; a newer one on the server answers 409.")


class BulkUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text=(
        "A CSV (UTF-8) or XLSX file in the record type's import template, at most 5 MB and "
        "2,000 rows; agencies by acronym, dates as YYYY-MM-DD (see the portal's import page)."))


# The file part's name says what it holds: the import reads a name ending .csv or .xlsx.
BULK_FILE_ENCODING = {"file": {
    "contentType": "text/csv, application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "headers": {"Content-Disposition": {
        "description": "The file's name ends .csv (UTF-8) or .xlsx; any other is refused.",
        "schema": {"type": "string"},
        "example": 'form-data; name="file"; filename="records.csv"'}}}}


class BulkResultSerializer(serializers.Serializer):
    created = serializers.IntegerField(help_text="How many records were created.")
    ids = serializers.ListField(child=serializers.IntegerField(),
                                help_text="Their ids, in the order of the rows.")
    import_batch = serializers.IntegerField(
        allow_null=True, help_text="The import of a file (the same file is imported only once).")


def _current_joint_operation() -> om.JointOperation:
    joint_operation = joint_operation_current()
    if joint_operation is None:
        raise serializers.ValidationError(
            {"joint_operation": [_("There is no joint operation to enter records in yet.")]})
    return joint_operation


class RecordViewSet(IdempotentMixin, ApiViewMixin, viewsets.ModelViewSet):
    kind: RecordKind
    record_serializers: RecordSerializers
    ordering = ["-occurred_on"]

    def get_queryset(self):
        related = ["country", "agency", "operation__joint_operation", "created_by"]
        if "counterpart" in self.kind.entry_fields:
            related.append("counterpart")
        return access.records_visible(
            self.request.user, self.kind.model.objects.select_related(*related))

    def get_serializer_class(self):
        action = self.action
        if action == "metadata":  # OPTIONS describes what a POST or PUT takes
            action = {"POST": "create", "PUT": "update"}.get(self.request.method, action)
        return {
            "list": self.record_serializers.list,
            "create": self.record_serializers.create,
            "update": self.record_serializers.update,
            "partial_update": self.record_serializers.update,
            "bulk": self.record_serializers.row,
        }.get(action, self.record_serializers.read)

    def _show(self, record) -> dict:
        """The record as saved, read again through the caller's scope."""
        saved = self.get_queryset().get(pk=record.pk)
        return self.record_serializers.read(saved, context=self.get_serializer_context()).data

    def _changeable(self):
        return access.get_changeable_or_404(self.request.user, self.get_queryset(),
                                            pk=self.kwargs[self.lookup_url_kwarg or "pk"])

    def _conflict(self, conflict: services.RecordConflict) -> VersionConflict:
        access.log_sensitive_read(self.request, conflict.current)  # it is shown in full
        return VersionConflict(extra={"current": self._show(conflict.current)})

    # -----------------------------------------------------------------------------------------

    def retrieve(self, request, *args, **kwargs):
        record = self.get_object()
        access.log_sensitive_read(request, record)
        return Response(self.get_serializer(record).data)

    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        joint_operation = data.pop("joint_operation", None) or _current_joint_operation()
        record = services.record_create(actor=request.user, model=self.kind.model,
                                        joint_operation=joint_operation, data=data)
        location = reverse(f"{NAMESPACE}:{self.kind.slug}-detail", args=[record.pk])
        return Response(self._show(record), status=status.HTTP_201_CREATED,
                        headers={"Location": location})

    def update(self, request, *args, partial=False, **kwargs):
        record = self._changeable()
        serializer = self.get_serializer(data=request.data, partial=partial)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        if "version" not in data:  # a PATCH too: a change is made on a version
            raise serializers.ValidationError({"version": [_(
                "Send the version you read, so that nobody's change is overwritten.")]})
        version = data.pop("version")
        try:
            record = services.record_update(actor=request.user, record=record, data=data,
                                            version=version)
        except services.RecordConflict as conflict:
            raise self._conflict(conflict) from None
        return Response(self._show(record))

    def destroy(self, request, *args, **kwargs):
        record = self._changeable()
        query = VersionQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        try:
            services.record_delete(actor=request.user, record=record,
                                   version=query.validated_data["version"])
        except services.RecordConflict as conflict:
            raise self._conflict(conflict) from None
        return Response(status=status.HTTP_204_NO_CONTENT)

    def schema_query_enums(self) -> dict[str, list]:
        """For the schema served to the caller: the joint operations they enter records in
        (a batch in another is refused)."""
        agencies = access.agencies_for_entry(self.request.user, Agency.objects.all())
        return {"joint_operation": sorted(
            entry_joint_operations(agencies).values_list("slug", flat=True))}

    @action(detail=False, methods=["post"], url_path="bulk",
            parser_classes=[parsers.JSONParser, parsers.MultiPartParser])
    def bulk(self, request, *args, **kwargs):
        query = JointOperationQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        joint_operation = query.validated_data.get("joint_operation") or _current_joint_operation()
        upload = request.FILES.get("file")
        if upload is not None:
            batch, records = self._bulk_file(upload, joint_operation)
        else:
            batch, records = None, self._bulk_rows(request.data, joint_operation)
        return Response(
            {"created": len(records), "ids": [record.pk for record in records],
             "import_batch": batch.pk if batch is not None else None},
            status=status.HTTP_201_CREATED)

    def _bulk_file(self, upload, joint_operation):
        """A CSV or XLSX file, read by the import's own parser (operations.imports)."""
        imports.refuse_if_too_large(upload.size)  # before it is read into memory
        upload.seek(0)
        return imports.record_import_file(
            actor=self.request.user, kind=self.kind, joint_operation=joint_operation,
            file_name=upload.name, content=upload.read())

    def _bulk_rows(self, rows, joint_operation) -> list:
        """A JSON list: every row parsed, then all created through the services, or none."""
        if not isinstance(rows, list) or not rows:
            raise serializers.ValidationError({NON_FIELD: [_(
                "Send a JSON list of records (at least one), or a CSV or XLSX file in the form "
                "field “file”.")]})
        if len(rows) > imports.MAX_ROWS:
            raise serializers.ValidationError({NON_FIELD: [_(
                "Send at most %(n)s records at a time; split the batch.") % {
                "n": f"{imports.MAX_ROWS:,}"}]})
        parsed, errors = [], []
        for number, row in enumerate(rows, start=1):
            serializer = self.get_serializer(data=row)
            if serializer.is_valid():
                parsed.append((number, dict(serializer.validated_data)))
                continue
            # the same fields in the same order as the messages
            codes = flatten_codes(serializers.ValidationError(serializer.errors).get_codes())
            errors += [{"row": number, "field": None if field == NON_FIELD else field,
                        "message": message, "code": code}
                       for field, messages in flatten_errors(serializer.errors).items()
                       for message, code in zip(messages, codes[field], strict=True)]
        with transaction.atomic():
            try:
                records = services.record_create_batch(
                    actor=self.request.user, model=self.kind.model,
                    joint_operation=joint_operation, rows=parsed)
            except services.BatchRefused as refused:
                errors += refused.errors
            if errors:
                raise RowsInvalid(errors)  # inside the transaction: nothing is kept
        return records


# ---------------------------------------------------------------------------------------------
# One viewset per record type, documented
# ---------------------------------------------------------------------------------------------

VERSION_PARAMETER = OpenApiParameter(
    "version", {"type": "integer", "minimum": 0, "maximum": MAX_COUNT}, required=True,
    description="The version you read; if the record changed since, nothing is deleted (409).")
JOINT_OPERATION_PARAMETER = OpenApiParameter(
    "joint_operation", str, required=False,
    description="Slug of the joint operation the batch belongs to; the current one when left out.")


def _schema(kind: RecordKind, s: RecordSerializers):
    title = str(kind.title).lower()
    entered = {name: value for name, value in example_record(kind).items()
               if name in kind.entry_fields}
    read_example = OpenApiExample(f"{kind.title}", value=example_record(kind), response_only=True)
    request_example = OpenApiExample(f"New {title}", value=entered, request_only=True)
    tags = ["records"]
    return extend_schema_view(
        list=extend_schema(summary=f"List {title}", tags=tags, description=(
            "Records of your country, and records other countries shared with yours; newest "
            "first unless `ordering` says otherwise (ties always by id)."),
            examples=[OpenApiExample(f"{kind.title}", value=example_record(kind),
                                     response_only=True)]),
        retrieve=extend_schema(summary=f"Read one of the {title}", tags=tags,
                               examples=[read_example]),
        create=extend_schema(
            summary=f"Enter {title}", tags=tags, request=s.create,
            responses={201: s.read}, examples=[request_example, read_example],
            description="The country and operation follow from the agency; the country's "
                        "return must be open (else 409 `return_locked`)."),
        update=extend_schema(summary=f"Replace one of the {title}", tags=tags, request=s.update,
                             responses={200: s.read},
                             examples=[OpenApiExample("Change", request_only=True,
                                                      value={**entered, "version": 1}),
                                       read_example]),
        partial_update=extend_schema(summary=f"Change one of the {title}", tags=tags,
                                     request=s.update, responses={200: s.read},
                                     examples=[OpenApiExample(
                                         "Change the count", request_only=True,
                                         value={"version": 1, **({"count": 3} if "count" in entered else {})}),
                                         read_example]),
        destroy=extend_schema(summary=f"Delete one of the {title}", tags=tags,
                              parameters=[VERSION_PARAMETER], responses={204: None}),
        bulk=extend_schema(
            summary=f"Enter many {title} at once, all or none", tags=tags,
            parameters=[JOINT_OPERATION_PARAMETER],
            request={"application/json": s.row(many=True, min_length=1,
                                               max_length=imports.MAX_ROWS),
                     "multipart/form-data": OpenApiRequest(BulkUploadSerializer,
                                                           encoding=BULK_FILE_ENCODING)},
            responses={201: OpenApiResponse(BulkResultSerializer, examples=[OpenApiExample(
                "Created", value={"created": 2, "ids": [512, 513], "import_batch": None})])},
            examples=[OpenApiExample("A row", request_only=True, media_type="application/json",
                                     value=entered)],  # shown as a list of this one row
            description=(
                "A JSON list of records (rows numbered from 1), or a CSV or XLSX file of the "
                "import template (rows numbered as in the spreadsheet, header = 1). Every row "
                "is checked; if any is refused, nothing is created and the answer (400, "
                "`invalid_rows`) lists every error by row and field. At most 2,000 rows.")),
    )


def record_viewset(kind: RecordKind) -> type[RecordViewSet]:
    s = SERIALIZERS[kind.slug]
    ordering_fields = ["occurred_on", "created_at", "updated_at", "id"]
    ordering_fields += [name for name in ("count", "title", "topic") if name in kind.entry_fields]
    viewset = type(f"{kind.model.__name__}ViewSet", (RecordViewSet,), {
        "__doc__": f"{kind.title}, entered by the agencies of each country.",
        "kind": kind,
        "record_serializers": s,
        "filterset_class": filters.record_filter_class(kind),
        "ordering_fields": ordering_fields,
    })
    return _schema(kind, s)(viewset)


RECORD_VIEWSETS: dict[str, type[RecordViewSet]] = {kind.slug: record_viewset(kind) for kind in KINDS}
