"""Country returns: read them, and move them open -> submitted -> accepted (or reopened).

The same selectors and services as the return pages, with the same answers: a return the
caller does not follow is 404; one they follow but may not move is 403 (saying who may); a
transition from the wrong state is 409 (``wrong_state``); a reopening without a reason is 400.
"""
from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import OpenApiExample, extend_schema, extend_schema_view
from rest_framework import exceptions, serializers, viewsets
from rest_framework.response import Response

from operations import policies as operations_policies
from operations import services
from operations.models import CountryReturn, JointOperation
from operations.selectors import joint_operation_current
from reporting import selectors

from .base import ApiViewMixin
from .directory import CountryCode
from .fields import QuerySerializer, StrictSerializerMixin
from .idempotency import IdempotentMixin


class CountryReturnSerializer(serializers.ModelSerializer):
    joint_operation = serializers.SlugRelatedField(slug_field="slug", read_only=True)
    country = CountryCode()
    country_name = serializers.CharField(source="country.name", read_only=True)
    submitted_by = serializers.SlugRelatedField(slug_field="username", read_only=True,
                                                allow_null=True)
    accepted_by = serializers.SlugRelatedField(slug_field="username", read_only=True,
                                               allow_null=True)
    reopen_reason = serializers.CharField(
        read_only=True, help_text="Why the secretariat last reopened it (empty if never).")

    class Meta:
        model = CountryReturn
        fields = ["joint_operation", "country", "country_name", "state", "submitted_at",
                  "submitted_by", "accepted_at", "accepted_by", "reopen_reason",
                  "warnings_reason"]
        read_only_fields = fields


class ReturnListQuerySerializer(QuerySerializer):
    joint_operation = serializers.SlugRelatedField(
        slug_field="slug", queryset=JointOperation.objects.all(), required=False,
        help_text="Slug of the joint operation; the current one when left out.")
    state = serializers.ChoiceField(choices=CountryReturn.State.choices, required=False,
                                    help_text="Only returns in this state.")


def _optional_body(request):
    """The JSON body, or none: a POST with an empty form (a button, ``curl -X POST``) submits
    with no reason; a form with fields is refused as every body but JSON is (415)."""
    media = (request.content_type or "").split(";")[0].strip()
    if media == "application/json":
        return request.data
    if request._request.POST or request._request.FILES or (
            media not in ("", "multipart/form-data", "application/x-www-form-urlencoded")):
        raise exceptions.UnsupportedMediaType(media)
    return {}


class SubmitSerializer(StrictSerializerMixin, serializers.Serializer):
    ignored_fields = frozenset(CountryReturnSerializer.Meta.fields) - {"warnings_reason"}

    warnings_reason = serializers.CharField(
        max_length=2000, required=False, allow_blank=True, default="",
        help_text="Why figures the review warns about are right (a rule such as more arrests "
                  "than suspects): required when there is a warning, else 400 on this field. "
                  "An error of the review (officers trained fewer than sessions...) refuses "
                  "the submission until the records are corrected.")


class ReopenSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=2000, allow_blank=True,
        help_text="Why it is reopened: the country's focal point reads this. Required.")


EXAMPLE = {
    "joint_operation": "jpoa-2015", "country": "PHL", "country_name": "Philippines",
    "state": "submitted", "submitted_at": "2015-11-02T03:10:00Z", "submitted_by": "focal.phl",
    "accepted_at": None, "accepted_by": None, "reopen_reason": "", "warnings_reason": "",
}


def _example(name: str, **changes) -> OpenApiExample:
    return OpenApiExample(name, value={**EXAMPLE, **changes}, response_only=True)


@extend_schema_view(
    list=extend_schema(summary="Country returns", parameters=[ReturnListQuerySerializer],
                       examples=[_example("A submitted return")], description=(
        "The returns you follow: your own country's, or every country's for co-chairs and the "
        "secretariat. A country with an operation but no return yet is listed as open.")),
    retrieve=extend_schema(summary="One country's return", examples=[_example("Submitted")]),
)
class CountryReturnViewSet(IdempotentMixin, ApiViewMixin, viewsets.GenericViewSet):
    """Country returns (DHIS2-style data approval): open -> submitted -> accepted."""

    serializer_class = CountryReturnSerializer
    filter_backends = []  # filtered by ReturnListQuerySerializer: the list is not a queryset

    def get_queryset(self):  # for the browsable API and the schema only
        return operations_policies.returns_visible(self.request.user, CountryReturn.objects.all())

    def _return(self) -> CountryReturn:
        try:
            return selectors.return_for(
                user=self.request.user, joint_operation_slug=self.kwargs["joint_operation"],
                country_code=self.kwargs["country"].upper())
        except ValueError as error:  # a NUL character and the like: not a return either
            raise Http404 from error

    def _show(self, country_return: CountryReturn) -> Response:
        return Response(self.get_serializer(country_return).data)

    def list(self, request, *args, **kwargs):
        query = ReturnListQuerySerializer(data=request.query_params)
        query.is_valid(raise_exception=True)
        joint_operation = query.validated_data.get("joint_operation") or joint_operation_current()
        returns = (selectors.return_list(user=request.user, joint_operation=joint_operation)
                   if joint_operation else [])
        if query.validated_data.get("state"):
            returns = [r for r in returns if r.state == query.validated_data["state"]]
        page = self.paginate_queryset(returns)  # ordered by country name
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    def retrieve(self, request, *args, **kwargs):
        return self._show(self._return())

    def _act(self, country_return: CountryReturn, transition) -> Response:
        if country_return.pk is None:  # listed as open, but no row yet: create it now
            country_return = services.country_return_open(
                joint_operation_id=country_return.joint_operation_id,
                country_id=country_return.country_id)
        transition(country_return)
        return self._show(self._return())

    @extend_schema(operation_id="returns_submit",
                   summary="Submit the return (the country's focal point)",
                   request=SubmitSerializer,
                   examples=[_example("Submitted")],
                   description="Locks the country's records until the secretariat reopens it.")
    def submit(self, request, *args, **kwargs):
        country_return = self._return()
        services.country_return_check(actor=request.user, country_return=country_return,
                                      action="submit")
        body = SubmitSerializer(data=_optional_body(request))
        body.is_valid(raise_exception=True)
        return self._act(country_return, lambda r: services.country_return_submit(
            actor=request.user, country_return=r,
            warnings_reason=body.validated_data["warnings_reason"]))

    @extend_schema(operation_id="returns_accept",
                   summary="Accept a submitted return (the secretariat)", request=None,
                   examples=[_example("Accepted", state="accepted",
                                      accepted_at="2015-11-03T08:00:00Z",
                                      accepted_by="secretariat")])
    def accept(self, request, *args, **kwargs):
        country_return = self._return()
        services.country_return_check(actor=request.user, country_return=country_return,
                                      action="accept")
        return self._act(country_return, lambda r: services.country_return_accept(
            actor=request.user, country_return=r))

    @extend_schema(operation_id="returns_reopen",
                   summary="Reopen a submitted or accepted return (the secretariat)",
                   request=ReopenSerializer, examples=[
                       OpenApiExample("Reason", value={"reason": "Two arrests were entered twice."},
                                      request_only=True),
                       _example("Reopened", state="open", submitted_at=None, submitted_by=None,
                                reopen_reason="Two arrests were entered twice.")])
    def reopen(self, request, *args, **kwargs):
        country_return = self._return()
        services.country_return_check(actor=request.user, country_return=country_return,
                                      action="reopen")
        body = ReopenSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._act(country_return, lambda r: services.country_return_reopen(
            actor=request.user, country_return=r, reason=body.validated_data["reason"]))
