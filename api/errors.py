"""The API's one error shape, and how every failure becomes it.

Every error answers ``{"error": {"code", "message", "fields"}}``: ``code`` is stable and meant
for programs, ``message`` for people, ``fields`` maps a field to its messages. Two errors add
a member: ``rows`` (bulk writes: every refused row) and ``current`` (a version conflict: the
record as saved now); a figure outside its plausibility limits adds ``codes`` (field -> codes:
``too_small``, ``too_large``, ``unusual``). Services raise Django's exceptions; they are translated here, once.
"""
from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, JsonResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import defaults
from rest_framework import exceptions, status
from rest_framework.exceptions import ErrorDetail
from rest_framework.views import exception_handler as drf_exception_handler

from operations import imports, plausibility, services

API_PATH_PREFIX = "/api/"
NON_FIELD = "non_field_errors"


def error_body(code: str, message: str, fields: dict | None = None, **extra) -> dict:
    return {"error": {"code": code, "message": str(message), "fields": fields or {}, **extra}}


# ---------------------------------------------------------------------------------------------
# Errors the API raises besides DRF's own
# ---------------------------------------------------------------------------------------------


class ApiError(exceptions.APIException):
    """An API error with a stable code and, optionally, extra members of the error body.

    Subclasses set ``status_code``: this base is never raised itself.
    """

    def __init__(self, message=None, *, code: str | None = None, extra: dict | None = None):
        super().__init__(message, code)
        self.code = code or self.default_code
        self.extra = extra or {}


class Conflict(ApiError):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("The request conflicts with the current state.")
    default_code = "conflict"


class VersionConflict(Conflict):
    default_detail = gettext_lazy(
        "Someone changed this record after you read it, so nothing was saved. Read it again "
        "(it is in `current`) and send your change with its version."
    )
    default_code = "version_conflict"


class IdempotencyKeyReused(ApiError):
    status_code = status.HTTP_422_UNPROCESSABLE_ENTITY
    default_detail = gettext_lazy(
        "This Idempotency-Key was used with another request. Use a new key for a new request."
    )
    default_code = "idempotency_key_reused"


class FileRefused(ApiError):
    """A bulk file that cannot be imported at all (format, columns, size, imported already)."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "file_refused"


class RowsInvalid(ApiError):
    status_code = status.HTTP_400_BAD_REQUEST
    default_code = "invalid_rows"

    def __init__(self, rows: list[dict], message=None):
        # Every row error has a code (the schema's promise): "invalid" where the rule gave none.
        rows = sorted(({**r, "code": r.get("code") or "invalid"} for r in rows),
                      key=lambda r: (r["row"] is not None, r["row"] or 0))
        super().__init__(
            message or _("Nothing was created: %(n)s errors were found. See them by row.")
            % {"n": len(rows)},
            extra={"rows": rows},
        )


def _rows(errors: list[dict], number_key: str) -> list[dict]:
    return [{"row": e[number_key], "field": e["field"], "message": str(e["message"]),
             "code": e.get("code")} for e in errors]


# ---------------------------------------------------------------------------------------------
# The exception handler (REST_FRAMEWORK["EXCEPTION_HANDLER"])
# ---------------------------------------------------------------------------------------------


def _from_django_validation(error: DjangoValidationError) -> exceptions.APIException:
    if isinstance(error, services.ReturnLocked):
        return Conflict(" ".join(error.messages), code="return_locked")
    if isinstance(error, imports.ImportFailed):
        return RowsInvalid(_rows(getattr(error, "rows", []), "line"), " ".join(error.messages))
    if isinstance(error, imports.ImportRefused):
        return FileRefused(" ".join(error.messages),
                           code=f"file_{getattr(error, 'code', None) or 'refused'}")
    code = getattr(error, "code", None)  # only a single-message error has one
    if code == "wrong_state":
        return Conflict(" ".join(error.messages), code="wrong_state")
    if code == "deleted":
        return exceptions.NotFound()
    if hasattr(error, "error_dict"):
        # Each message keeps its code: a figure's limit codes reach the body (``codes``).
        detail = {NON_FIELD if field == "__all__" else field: [
            ErrorDetail(message, code=getattr(field_error, "code", None) or "invalid")
            for field_error in field_errors for message in field_error.messages]
            for field, field_errors in error.error_dict.items()}
        return exceptions.ValidationError(detail)
    return exceptions.ValidationError({NON_FIELD: error.messages})


def translate(exc: Exception) -> Exception:
    """The APIException for a service's (or Django's) exception; others are returned as is."""
    if isinstance(exc, Http404):
        return exceptions.NotFound()  # the same words whether missing or not yours
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, DjangoValidationError):
        return _from_django_validation(exc)
    if isinstance(exc, services.RecordConflict):
        return VersionConflict()
    if isinstance(exc, services.BatchRefused):
        return RowsInvalid(_rows(exc.errors, "row"))
    return exc


def flatten_errors(detail, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error detail as {"field" or "field.sub" or "items.2.field": [messages]}."""
    if isinstance(detail, dict):
        fields: dict[str, list[str]] = {}
        for key, value in detail.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            for field, messages in flatten_errors(value, name).items():
                fields.setdefault(field, []).extend(messages)
        return fields
    if isinstance(detail, list) and any(isinstance(item, dict | list) for item in detail):
        fields = {}
        for index, value in enumerate(detail):
            for field, messages in flatten_errors(value, f"{prefix}.{index}" if prefix else str(index)).items():
                fields.setdefault(field, []).extend(messages)
        return fields
    items = detail if isinstance(detail, list) else [detail]
    return {prefix or NON_FIELD: [str(item) for item in items]}


def _validation_body(exc: exceptions.ValidationError) -> dict:
    fields = flatten_errors(exc.detail)
    general = fields.pop(NON_FIELD, [])
    if general:
        message = " ".join(general)
        if fields:
            message += " " + _("Check the fields too: %(names)s.") % {"names": ", ".join(fields)}
    else:
        message = _("Check these fields: %(names)s.") % {"names": ", ".join(fields)}
    if general and fields:
        fields[NON_FIELD] = general
    # A figure outside its limits says so in ``codes``; when the only errors are figures above
    # their soft bound, the code is ``unusual``: send the same body with ``unusual_reason``.
    codes = {field: found for field, found in flatten_codes(exc.get_codes()).items()
             if set(found) & set(plausibility.CODES)}
    if not codes:
        return error_body("invalid", message, fields)
    every = [code for found in flatten_codes(exc.get_codes()).values() for code in found]
    code = "unusual" if set(every) == {"unusual"} else "invalid"
    return error_body(code, message, fields, codes=codes)


def flatten_codes(codes, prefix: str = "") -> dict[str, list[str]]:
    """DRF's nested error codes as ``flatten_errors`` names the fields."""
    if isinstance(codes, dict):
        found: dict[str, list[str]] = {}
        for key, value in codes.items():
            for field, items in flatten_codes(value, f"{prefix}.{key}" if prefix else str(key)).items():
                found.setdefault(field, []).extend(items)
        return found
    if isinstance(codes, list) and any(isinstance(item, dict | list) for item in codes):
        found = {}
        for index, value in enumerate(codes):
            for field, items in flatten_codes(value, f"{prefix}.{index}" if prefix else str(index)).items():
                found.setdefault(field, []).extend(items)
        return found
    items = codes if isinstance(codes, list) else [codes]
    return {prefix or NON_FIELD: [str(item) for item in items]}


def _code(exc: exceptions.APIException) -> str:
    codes = exc.get_codes()
    return codes if isinstance(codes, str) else exc.default_code


def exception_handler(exc, context):
    """DRF's handler, then the body rewritten into the one error shape."""
    exc = translate(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a bug: Django's 500 handler answers (with JSON under /api/, see below)
    if isinstance(exc, ApiError):
        response.data = error_body(exc.code, exc.detail, **exc.extra)
    elif isinstance(exc, exceptions.ValidationError):
        response.data = _validation_body(exc)
    else:
        response.data = error_body(_code(exc), exc.detail)
    return response


# ---------------------------------------------------------------------------------------------
# Django's 404 and 500 handlers: JSON under /api/, the portal's own pages elsewhere
# ---------------------------------------------------------------------------------------------


def _is_api(request) -> bool:
    return request.path.startswith(API_PATH_PREFIX)


def page_not_found(request, exception):
    if _is_api(request):
        return JsonResponse(error_body("not_found", _("Not found.")), status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _is_api(request):
        return JsonResponse(error_body("server_error", _(
            "Something went wrong on our side. Try again later; if it happens again, tell the "
            "portal's administrators.")), status=500)
    return defaults.server_error(request)
