"""The OpenAPI schema's shared parts: the error shape with examples, on every operation.

``AutoSchema`` adds to each operation the error answers it can give (documented once here,
with the error shape and an example each) and the ``Idempotency-Key`` header to POSTs that
honour it, so no view has to repeat them.
"""
from __future__ import annotations

from drf_spectacular import openapi
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse
from rest_framework import serializers

from .errors import error_body
from .idempotency import HEADER, MAX_KEY_LENGTH, IdempotentMixin


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(
        allow_null=True,
        help_text="The row: 1 for the first object of a JSON list; as numbered in the "
                  "spreadsheet for a file (the header is row 1). Null: about the whole batch.")
    field = serializers.CharField(allow_null=True, help_text="The column, or null for the row.")
    message = serializers.CharField()


class ErrorDetailSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Stable, for programs: invalid, not_found, "
                                           "version_conflict, return_locked, throttled...")
    message = serializers.CharField(help_text="For people: what went wrong and what to do.")
    fields = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text="Messages by field name (request fields, query parameters or headers).")
    rows = RowErrorSerializer(many=True, required=False,
                              help_text="Bulk writes only: every refused row.")
    current = serializers.DictField(required=False,
                                    help_text="Version conflicts only: the record as saved now.")


class ErrorSerializer(serializers.Serializer):
    error = ErrorDetailSerializer()


def _example(name: str, code: str, message: str, **extra) -> OpenApiExample:
    return OpenApiExample(name, value=error_body(code, message, **extra), response_only=True)


ERROR_RESPONSES: dict[int, OpenApiResponse] = {
    400: OpenApiResponse(ErrorSerializer, "The request is not valid; `fields` says where.", [
        _example("Invalid field", "invalid", "Check these fields: count.",
                 fields={"count": ["Enter at least 1: a record counts something that happened."]}),
    ]),
    401: OpenApiResponse(ErrorSerializer, "No valid token or session.", [
        _example("Not authenticated", "not_authenticated",
                 "Authentication credentials were not provided."),
    ]),
    403: OpenApiResponse(ErrorSerializer, "Logged in, but not allowed to do this.", [
        _example("Not allowed", "permission_denied",
                 "Only the country's focal point submits its return."),
    ]),
    404: OpenApiResponse(ErrorSerializer, "No such object, or not yours: the same answer.", [
        _example("Not found", "not_found", "Not found."),
    ]),
    409: OpenApiResponse(ErrorSerializer, "Conflicts with the current state: a newer version, "
                         "a return that is not open, a transition from the wrong state.", [
        _example("Return locked", "return_locked",
                 "The return of Thailand for JPoA 2015 is submitted, so its records cannot be "
                 "changed. Ask the secretariat to reopen it."),
        _example("Version conflict", "version_conflict",
                 "Someone changed this record after you read it, so nothing was saved.",
                 current={"id": 41, "version": 3, "count": 4}),
    ]),
    415: OpenApiResponse(ErrorSerializer, "The body is not in a format this operation takes.", [
        _example("Unsupported media type", "unsupported_media_type",
                 'Unsupported media type "text/plain" in request.'),
    ]),
    422: OpenApiResponse(ErrorSerializer, "The Idempotency-Key was used with another request.", [
        _example("Key reused", "idempotency_key_reused",
                 "This Idempotency-Key was used with another request. Use a new key for a new "
                 "request."),
    ]),
    429: OpenApiResponse(ErrorSerializer, "Too many requests; `Retry-After` says when to retry.", [
        _example("Throttled", "throttled",
                 "Request was throttled. Expected available in 42 seconds."),
    ]),
}

IDEMPOTENCY_KEY = OpenApiParameter(
    HEADER, {"type": "string", "minLength": 1, "maxLength": MAX_KEY_LENGTH,
             "pattern": rf"^[A-Za-z0-9._:-]{{1,{MAX_KEY_LENGTH}}}$"},
    OpenApiParameter.HEADER, required=False,
    description=(
        "A unique key for this request, e.g. a UUID (letters, digits and . _ : -). Retrying "
        "the same request with the same key replays the first response (header "
        "`Idempotent-Replayed: true`) and creates nothing; the same key with a different "
        "request answers 422. Keys are kept 24 hours."),
)


class AutoSchema(openapi.AutoSchema):
    def get_override_parameters(self):
        parameters = list(super().get_override_parameters())
        if self.method == "POST" and isinstance(self.view, IdempotentMixin):
            parameters.append(IDEMPOTENCY_KEY)
        return parameters

    def _error_statuses(self) -> list[int]:
        statuses = [400, 401, 403, 404, 429]
        if self.method in ("POST", "PUT", "PATCH", "DELETE"):
            statuses.append(409)
        if self.method in ("POST", "PUT", "PATCH"):
            statuses.append(415)
        if self.method == "POST" and isinstance(self.view, IdempotentMixin):
            statuses.append(422)
        return statuses

    def _get_response_bodies(self, direction="response"):
        responses = super()._get_response_bodies(direction)
        for status in self._error_statuses():
            if str(status) not in responses:
                responses[str(status)] = self._get_response_for_code(
                    ERROR_RESPONSES[status], str(status), direction=direction)
        return dict(sorted(responses.items()))
