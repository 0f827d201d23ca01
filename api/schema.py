"""The OpenAPI schema's shared parts: the error shape with examples, on every operation.

``AutoSchema`` adds to each operation the error answers it can give (documented once here,
with the error shape and an example each) and the ``Idempotency-Key`` header to POSTs that
honour it, so no view has to repeat them. It also makes the schema state what the API
enforces: a strict body (unknown fields refused) has ``additionalProperties: false`` and lists
the read-only fields it ignores; and, in the schema served to a user, an id or code the API
takes only from a set (your agencies, the networks you know, the countries...) is an ``enum``
of that set, and a path parameter has an example from what the user can reach.
"""
from __future__ import annotations

from drf_spectacular import openapi
from drf_spectacular.plumbing import build_serializer_context
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse
from rest_framework import relations, serializers

from operations import plausibility

from .errors import error_body
from .idempotency import HEADER, KEY_PATTERN, MAX_KEY_LENGTH, IdempotentMixin


class RowErrorSerializer(serializers.Serializer):
    row = serializers.IntegerField(
        allow_null=True,
        help_text="The row: 1 for the first object of a JSON list; as numbered in the "
                  "spreadsheet for a file (the header is row 1). Null: about the whole batch.")
    field = serializers.CharField(allow_null=True, help_text="The column, or null for the row.")
    message = serializers.CharField()
    code = serializers.CharField(
        help_text="Stable, for programs: a figure's limit (too_large, too_small; unusual: "
                  "send the row again with unusual_reason), required, invalid...")


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
             "pattern": f"^{KEY_PATTERN.pattern}$"},
    OpenApiParameter.HEADER, required=False,
    description=(
        "A unique key for this request, e.g. a UUID (letters, digits and . _ : -). Retrying "
        "the same request with the same key replays the first response (header "
        "`Idempotent-Replayed: true`) and creates nothing; the same key with a different "
        "request answers 422. Keys are kept 24 hours."),
)


MAX_ENUM = 200  # a set larger than this is not listed: the API's 400 names the field
IGNORED = {"description": "Read-only: ignored if sent (say, in an object just read)."}


def _request_user(view):
    user = getattr(getattr(view, "request", None), "user", None)
    return user if user is not None and user.is_authenticated else None


def _allowed_values(field) -> list | None:
    """The values a writable related field takes (its queryset, made for the request's user)."""
    if isinstance(field, relations.ManyRelatedField):
        field = field.child_relation
    if not isinstance(field, relations.RelatedField) or field.read_only:
        return None
    queryset = field.get_queryset()
    if queryset is None:
        return None
    if isinstance(field, relations.SlugRelatedField):
        values = queryset.values_list(field.slug_field, flat=True)
    elif isinstance(field, relations.PrimaryKeyRelatedField):
        values = queryset.values_list("pk", flat=True)
    else:
        return None
    values = sorted(set(values.order_by()[:MAX_ENUM + 1]))
    return values if 0 < len(values) <= MAX_ENUM else None


def _set_enum(schema: dict, values: list) -> None:
    """The caller's own choices as the property's enum. The choice set's id goes: enums are
    made components by that id, and a narrower set under the same id would be lost in the
    full one (the profile an officer may not export offered to them)."""
    schema["enum"] = [str(value) if isinstance(value, str) else value for value in values]
    schema.pop("x-spec-enum-id", None)


class AutoSchema(openapi.AutoSchema):
    def _get_request_for_media_type(self, serializer, direction="request"):
        return super()._get_request_for_media_type(self._for_request(serializer), direction)

    def _for_request(self, serializer):
        """A request serializer named by class in ``extend_schema``, made with the request's
        context as the view makes it (its querysets are the user's: agencies, networks...)."""
        if isinstance(serializer, dict):
            return {key: self._for_request(value) for key, value in serializer.items()}
        context = build_serializer_context(self.view)
        if isinstance(serializer, type) and issubclass(serializer, serializers.BaseSerializer):
            return serializer(context=context)
        if isinstance(serializer, serializers.ListSerializer) and "request" not in serializer.context:
            return type(serializer.child)(many=True, context=context, min_length=serializer.min_length,
                                          max_length=serializer.max_length)
        return serializer

    def _unwrap_list_serializer(self, serializer, direction):
        """A list's bounds (``min_length``, ``max_length``) as ``minItems`` and ``maxItems``."""
        schema = super()._unwrap_list_serializer(serializer, direction)
        if schema and isinstance(serializer, serializers.ListSerializer):
            bounds = {"minItems": serializer.min_length, "maxItems": serializer.max_length}
            schema.update({key: value for key, value in bounds.items() if value is not None})
        return schema

    def _map_serializer_field(self, field, direction, bypass_extensions=False):
        schema = super()._map_serializer_field(field, direction, bypass_extensions)
        limits = [v.limit for v in getattr(field, "validators", ())
                  if isinstance(getattr(v, "limit", None), plausibility.Limit)]
        if limits:  # a figure: the services' hard limits (checked with their one message)
            schema.update(minimum=limits[0].minimum, maximum=limits[0].hard)
        if direction == "request" and _request_user(self.view) is not None:
            values = _allowed_values(field)
            if values:
                target = schema.get("items", schema) if schema.get("type") == "array" else schema
                _set_enum(target, values)
        return schema

    def _map_basic_serializer(self, serializer, direction):
        schema = super()._map_basic_serializer(serializer, direction)
        enums = getattr(serializer, "schema_enums", None)
        if direction == "request" and enums is not None and _request_user(self.view) is not None:
            for name, values in enums().items():
                if name in schema.get("properties", {}) and 0 < len(values) <= MAX_ENUM:
                    _set_enum(schema["properties"][name], values)
        required = getattr(serializer, "schema_required", None)
        if direction == "request" and required is not None and _request_user(self.view) is not None:
            for name in required():  # required of this caller: no default, no null
                if name in schema.get("properties", {}):
                    for key in ("nullable", "default"):
                        schema["properties"][name].pop(key, None)
                    schema["required"] = sorted({*schema.get("required", ()), name})
        ignored = getattr(serializer, "ignored_fields", None)
        if direction == "request" and ignored is not None:  # strict: unknown fields refused
            schema["additionalProperties"] = False
            properties = schema.setdefault("properties", {})
            for name in sorted(ignored):
                properties.setdefault(name, dict(IGNORED))
        return schema

    def _resolve_path_parameters(self, variables):
        parameters = super()._resolve_path_parameters(variables)
        examples = path_examples(self.view, self.method, self.path)
        for parameter in parameters:
            if parameter["name"] in examples:
                parameter["example"] = examples[parameter["name"]]
        return parameters

    def _process_override_parameters(self, direction="request"):
        """The declared parameters (``extend_schema``'s come in here, after
        ``get_override_parameters``), a query parameter the view takes only from the caller's
        own set (``schema_query_enums``) stated as that enum."""
        result = super()._process_override_parameters(direction)
        enums = getattr(self.view, "schema_query_enums", None)
        if enums is not None and _request_user(self.view) is not None:
            for name, values in enums().items():
                parameter = result.get((name, OpenApiParameter.QUERY))
                if parameter is not None and values:
                    result[name, OpenApiParameter.QUERY] = {
                        **parameter, "schema": {"type": "string", "enum": values}}
        return result

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


# ---------------------------------------------------------------------------------------------
# Path parameters' examples: something the user reaches, so that "Try it out" (and schemathesis)
# meets a real object rather than a 404
# ---------------------------------------------------------------------------------------------

CHANGES = ("PUT", "PATCH", "DELETE")


def _first(queryset):
    return queryset.order_by("pk").first()


def path_examples(view, method: str, path: str) -> dict:
    from cooperation import policies as cooperation_policies
    from cooperation.models import JointInvestigation
    from countries import access
    from operations.selectors import joint_operation_current
    from reporting import selectors

    user = _request_user(view)
    if user is None:
        return {}
    if "{joint_operation}" in path:  # a country return: the first one the user follows
        joint_operation = joint_operation_current()
        returns = selectors.return_list(user=user, joint_operation=joint_operation) \
            if joint_operation else []
        return {"joint_operation": joint_operation.slug, "country": returns[0].country.code} \
            if returns else {}
    if "{investigation_pk}" in path or "/members/" in path:
        investigations = cooperation_policies.investigations_visible(
            user, JointInvestigation.objects.all())
        members = [i for i in investigations.order_by("pk")
                   if cooperation_policies.is_investigation_member(user, i)]
        investigation = members[0] if members else _first(investigations)
        if investigation is None:
            return {}
        own = set(access.scope_for(user).record_country_ids)
        members = list(investigation.members.select_related("country").order_by("country__code"))
        mine = [m for m in members if m.country_id in own]
        return {"investigation_pk": investigation.pk, "id": investigation.pk,
                "country": (mine or members)[0].country.code}
    lookup = getattr(view, "lookup_field", None)
    if lookup is None or not hasattr(view, "get_queryset") or getattr(view, "detail", None) is False:
        return {}
    queryset = view.get_queryset()
    if method in CHANGES and hasattr(view, "kind"):  # a record: one the user may change
        queryset = access.records_changeable(user, queryset)
    found = _first(queryset)
    if found is None:
        return {}
    value = getattr(found, lookup)
    return {"id": value, "pk": value, lookup: value}


def _allowed(schema: dict, components: dict) -> list | None:
    """The enum a property's schema (inline, ``$ref`` or ``allOf``) restricts it to."""
    if "$ref" in schema:
        return _allowed(components.get(schema["$ref"].rsplit("/", 1)[-1], {}), components)
    if "enum" in schema:
        return schema["enum"]
    for part in schema.get("allOf", []):
        found = _allowed(part, components)
        if found is not None:
            return found
    return None


def _within(value, schema: dict, components: dict):
    if "$ref" in schema:
        return _within(value, components.get(schema["$ref"].rsplit("/", 1)[-1], {}), components)
    if isinstance(value, list):
        items = schema.get("items", schema)
        return [_within(item, items, components) for item in value]
    if isinstance(value, dict):
        properties = schema.get("properties", {})
        return {key: _within(item, properties[key], components) if key in properties else item
                for key, item in value.items()}
    allowed = _allowed(schema, components)
    if allowed and value not in allowed:
        return allowed[0]
    return value


def request_examples_within_enums(result, generator, request, public):
    """Postprocessing hook: a request example uses the caller's own ids and codes, those the
    schema served to them lists (the examples' agency 27 is somebody's, not yours)."""
    components = result.get("components", {}).get("schemas", {})
    for item in result.get("paths", {}).values():
        for operation in item.values():
            content = operation.get("requestBody", {}).get("content", {}) if isinstance(
                operation, dict) else {}
            for media in content.values():
                for example in media.get("examples", {}).values():
                    if "value" in example:
                        example["value"] = _within(example["value"], media.get("schema", {}),
                                                   components)
    return result


def patch_requires_version(result, generator, request, public):
    """Postprocessing hook: a PATCH body is partial, but a record's change is made on the
    version read (the API refuses one without it: 400 on ``version``), so the schema says so."""
    components = result.get("components", {}).get("schemas", {})
    versioned = set()
    for name, component in components.items():
        if name.startswith("Patched") and "version" in component.get("properties", {}):
            component["required"] = sorted({*component.get("required", []), "version"})
            versioned.add(f"#/components/schemas/{name}")
    for item in result.get("paths", {}).values():
        body = item.get("patch", {}).get("requestBody") if isinstance(item, dict) else None
        if body and any(media.get("schema", {}).get("$ref") in versioned
                        for media in body.get("content", {}).values()):
            body["required"] = True  # no body at all has no version either
    return result
