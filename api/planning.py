"""Planning the next joint initiative: planning meetings, and the nominations of networks and
partner countries made there, answered by the partners and turned into joint investigations.

The same rules as the pages (``cooperation.planning_views``): what a caller sees comes from
``countries.access`` (every member reads the meetings; a nomination is seen by the nominating
country, its partners and those who follow every country, and 404 for the others); every change
goes through ``cooperation.planning`` (the secretariat sets up meetings and converts, a focal
point nominates for their country and answers for a partner country). A nomination's network is
named only to those who see the network, and the investigation it became only to those who see
that. A change the caller may see but not make is 403 with the reason.
"""
from __future__ import annotations

import django_filters
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import (
    OpenApiExample,
    extend_schema,
    extend_schema_view,
)
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from cooperation import planning
from cooperation import policies as cooperation_policies
from cooperation.models import (
    JointInvestigation,
    Network,
    Nomination,
    NominationPartner,
    PlanningMeeting,
)
from countries import access
from operations.models import JointOperation

from . import filters
from .base import ApiViewMixin
from .directory import CountryCode
from .fields import CountryCodes, StrictSerializerMixin, only_one, own_countries, value_choices
from .idempotency import IdempotentMixin
from .permissions import allows, allows_object

TAGS = ["planning"]

# ---------------------------------------------------------------------------------------------
# Planning meetings
# ---------------------------------------------------------------------------------------------


class PlanningMeetingSerializer(serializers.ModelSerializer):
    joint_operation = serializers.SlugRelatedField(
        slug_field="slug", read_only=True, help_text="The next joint initiative it plans.")
    joint_operation_name = serializers.CharField(source="joint_operation.name", read_only=True)

    class Meta:
        model = PlanningMeeting
        fields = ["id", "joint_operation", "joint_operation_name", "name", "held_on", "place",
                  "created_at"]
        read_only_fields = fields


class PlanningMeetingWriteSerializer(StrictSerializerMixin, serializers.Serializer):
    ignored_fields = frozenset({"id", "joint_operation_name", "created_at", "created_by"})

    joint_operation = serializers.SlugRelatedField(
        slug_field="slug", queryset=JointOperation.objects.all(),
        help_text="Slug of the next joint initiative, e.g. jpoa-2016.")
    name = serializers.CharField(max_length=200)
    held_on = serializers.DateField()
    place = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")


MEETING_EXAMPLE = {
    "id": 1, "joint_operation": "jpoa-2016", "joint_operation_name": "Joint initiative 2016",
    "name": "Working Group planning meeting, May 2016", "held_on": "2016-05-18",
    "place": "Bangkok, Thailand", "created_at": "2016-04-02T03:00:00Z",
}


def _meeting_example(name="Planning meeting", **changes) -> OpenApiExample:
    return OpenApiExample(name, value={**MEETING_EXAMPLE, **changes}, response_only=True)


class PlanningMeetingFilter(django_filters.FilterSet):
    joint_operation = django_filters.CharFilter(field_name="joint_operation__slug",
                                                help_text="Joint operation slug, e.g. jpoa-2016.")

    class Meta:
        model = PlanningMeeting
        fields = ["joint_operation"]


@extend_schema_view(
    list=extend_schema(summary="Planning meetings", tags=TAGS, examples=[_meeting_example()],
                       description="Every member reads them (name, date, place); newest "
                                   "first."),
    retrieve=extend_schema(summary="One planning meeting", tags=TAGS,
                           examples=[_meeting_example()]),
    create=extend_schema(
        summary="Set up a planning meeting (the secretariat)", tags=TAGS,
        request=PlanningMeetingWriteSerializer, responses={201: PlanningMeetingSerializer},
        examples=[OpenApiExample("May 2016", request_only=True, value={
            key: MEETING_EXAMPLE[key] for key in ("joint_operation", "name", "held_on",
                                                  "place")}),
            _meeting_example("Set up")],
        description="Focal points then nominate networks and partner countries at it "
                    "(`POST /api/v1/nominations/`)."),
)
class PlanningMeetingViewSet(IdempotentMixin, ApiViewMixin, mixins.ListModelMixin,
                             mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                             viewsets.GenericViewSet):
    """Meetings where countries pick the networks to investigate together next (paragraph 13)."""
    permission_classes = [permissions.IsAuthenticated, allows(
        cooperation_policies.can_manage_planning, actions=["create"],
        message=gettext_lazy("The secretariat sets up planning meetings."))]

    filterset_class = PlanningMeetingFilter
    ordering_fields = ["held_on", "name"]
    ordering = ["-held_on"]

    def get_queryset(self):
        return cooperation_policies.planning_meetings_visible(
            self.request.user, PlanningMeeting.objects.select_related("joint_operation"))

    def get_serializer_class(self):
        action_name = self.action
        if action_name == "metadata" and self.request.method == "POST":
            action_name = "create"
        return PlanningMeetingWriteSerializer if action_name == "create" else \
            PlanningMeetingSerializer

    def get_object(self):
        try:
            return super().get_object()
        except (ValueError, TypeError) as error:
            raise exceptions.NotFound() from error

    def create(self, request, *args, **kwargs):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        meeting = planning.meeting_create(actor=request.user, **body.validated_data)
        meeting = self.get_queryset().get(pk=meeting.pk)
        return Response(PlanningMeetingSerializer(meeting).data, status=status.HTTP_201_CREATED,
                        headers={"Location": reverse("api:planning-meeting-detail",
                                                     args=[meeting.pk])})


# ---------------------------------------------------------------------------------------------
# Nominations
# ---------------------------------------------------------------------------------------------


class NominationPartnerSerializer(serializers.ModelSerializer):
    """A partner country named in a nomination, and its answer."""

    country = CountryCode()
    country_name = serializers.CharField(source="country.name", read_only=True)
    answer = value_choices(NominationPartner.Answer.choices, read_only=True,
                      help_text="pending, accepted or declined.")
    can_answer = serializers.SerializerMethodField(help_text=(
        "You are this country's focal point and may still answer (until the nomination is a "
        "joint investigation)."))

    class Meta:
        model = NominationPartner
        fields = ["country", "country_name", "answer", "answered_at", "can_answer"]
        read_only_fields = fields

    def get_can_answer(self, partner) -> bool:
        request = self.context.get("request")
        return (request is not None and not partner.nomination.investigation_id
                and access.can_answer_for_country(request.user, partner.country_id))


class NominationSerializer(serializers.ModelSerializer):
    """A nomination of a network and partner countries, with each partner's answer."""

    # The context carries ``visible_network_ids`` and ``visible_investigation_ids``: what the
    # reader may see, computed once for a whole page.

    meeting = serializers.PrimaryKeyRelatedField(read_only=True)
    joint_operation = serializers.CharField(source="meeting.joint_operation.slug", read_only=True)
    proposing_country = CountryCode()
    network = serializers.SerializerMethodField(help_text=(
        "Id of the network to investigate; null when your country does not see it (ask the "
        "registering country's focal point to give it)."))
    network_name = serializers.SerializerMethodField(help_text="Null as for `network`.")
    network_registered_by = serializers.CharField(
        source="network.registered_by.code", read_only=True,
        help_text="Code of the country that registered the network (always shown).")
    status = serializers.SerializerMethodField(help_text="Where the nomination stands, in words.")
    partners = NominationPartnerSerializer(many=True, read_only=True)
    investigation = serializers.SerializerMethodField(help_text=(
        "Id of the joint investigation it became; null until then, and for those who do not "
        "see the investigation."))

    class Meta:
        model = Nomination
        fields = ["id", "meeting", "joint_operation", "proposing_country", "title", "purpose",
                  "network", "network_name", "network_registered_by", "status", "partners",
                  "investigation", "created_at", "converted_at"]
        read_only_fields = fields

    def _sees_network(self, nomination) -> bool:
        return nomination.network_id in self.context["visible_network_ids"]

    def get_network(self, nomination) -> int | None:
        return nomination.network_id if self._sees_network(nomination) else None

    def get_network_name(self, nomination) -> str | None:
        return nomination.network.name if self._sees_network(nomination) else None

    def get_status(self, nomination) -> str:
        return planning.nomination_status(nomination)

    def get_investigation(self, nomination) -> int | None:
        if nomination.investigation_id in self.context["visible_investigation_ids"]:
            return nomination.investigation_id
        return None



class NominationWriteSerializer(StrictSerializerMixin, serializers.Serializer):
    ignored_fields = frozenset({"id", "joint_operation", "network_name", "network_registered_by",
                                "status", "investigation", "created_at", "converted_at",
                                "nominated_by"})

    meeting = serializers.PrimaryKeyRelatedField(queryset=PlanningMeeting.objects.none(),
                                                 help_text="Id of the planning meeting.")
    network = serializers.PrimaryKeyRelatedField(
        queryset=Network.objects.none(), help_text="Id of a network your country knows.")
    proposing_country = CountryCodes(
        required=False, help_text="Your country that nominates (its focal point); yours when "
                                  "you are the focal point of one country.")
    partners = CountryCodes(many=True, help_text=(
        "Codes of the partner countries; each one's focal point accepts or declines."))
    title = serializers.CharField(max_length=200, help_text="The proposed investigation.")
    purpose = serializers.CharField(required=False, allow_blank=True, max_length=20000,
                                    default="")
    give_network = serializers.BooleanField(required=False, default=False, help_text=(
        "Also give the network to the partner countries, so that they can see it. Only the "
        "focal point of the country that registered it can."))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = request.user if request else None
        self.fields["meeting"].queryset = cooperation_policies.planning_meetings_visible(
            user, PlanningMeeting.objects.select_related("joint_operation"))
        self.fields["network"].queryset = cooperation_policies.networks_visible(user, Network.objects.all())
        self.fields["proposing_country"].queryset = own_countries(user, focal=True)


class NominationAnswerSerializer(StrictSerializerMixin, serializers.Serializer):
    answer = value_choices([("accept", "accept"), ("decline", "decline")])
    country = CountryCodes(required=False, help_text=(
        "The partner country you answer for (its code); yours when you are the focal point of "
        "one partner country of this nomination."))


class NominationConvertSerializer(StrictSerializerMixin, serializers.Serializer):
    starts_on = serializers.DateField(required=False, allow_null=True, help_text=(
        "Start of the investigation; left out or null: the joint initiative's start."))
    ends_on = serializers.DateField(required=False, allow_null=True, help_text=(
        "End of the investigation; left out or null: the joint initiative's end."))


NOMINATION_EXAMPLE = {
    "id": 4, "meeting": 1, "joint_operation": "jpoa-2016", "proposing_country": "THA",
    "title": "Fishing crews recruited with false contracts", "purpose": "Follow the brokers.",
    "network": 3, "network_name": "Andaman Sea crew brokers", "network_registered_by": "THA",
    "status": "Accepted by a partner: ready to become a joint investigation",
    "partners": [
        {"country": "IDN", "country_name": "Indonesia", "answer": "pending",
         "answered_at": None, "can_answer": False},
        {"country": "MYS", "country_name": "Malaysia", "answer": "accepted",
         "answered_at": "2016-05-20T02:00:00Z", "can_answer": False},
    ],
    "investigation": None, "created_at": "2016-05-18T04:00:00Z", "converted_at": None,
}


def _nomination_example(name="Nomination", **changes) -> OpenApiExample:
    return OpenApiExample(name, value={**NOMINATION_EXAMPLE, **changes}, response_only=True)


class NominationFilter(django_filters.FilterSet):
    meeting = filters.IntegerFilter(field_name="meeting_id", help_text="Planning meeting id.")
    proposing_country = filters.CodeFilter(field_name="proposing_country__code",
                                           help_text="Code of the nominating country.")
    converted = django_filters.BooleanFilter(
        field_name="investigation", lookup_expr="isnull", exclude=True,
        help_text="Turned into a joint investigation (true) or not yet (false).")

    class Meta:
        model = Nomination
        fields = ["meeting", "proposing_country", "converted"]


@extend_schema_view(
    list=extend_schema(summary="Nominations your country made or is a partner in", tags=TAGS,
                       examples=[_nomination_example()], description=(
        "Those your country nominated and those naming it as a partner; every one for those "
        "who follow every country. A network your country does not see is not named "
        "(`network` and `network_name` are null).")),
    retrieve=extend_schema(summary="One nomination", tags=TAGS,
                           examples=[_nomination_example()]),
    create=extend_schema(
        summary="Nominate a network and partner countries (a focal point)", tags=TAGS,
        request=NominationWriteSerializer, responses={201: NominationSerializer},
        examples=[OpenApiExample("Nomination", request_only=True, value={
            "meeting": 1, "network": 3, "proposing_country": "THA",
            "partners": ["MYS", "IDN"], "title": NOMINATION_EXAMPLE["title"],
            "purpose": "Follow the brokers.", "give_network": True}),
            _nomination_example("Nominated", status="Awaiting the partners' answers",
                                partners=[{**p, "answer": "pending", "answered_at": None}
                                          for p in NOMINATION_EXAMPLE["partners"]])],
        description="For a country that takes part in the meeting's joint initiative; a "
                    "network once per meeting. Each partner's focal point then answers."),
)
class NominationViewSet(IdempotentMixin, ApiViewMixin, mixins.ListModelMixin,
                        mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                        viewsets.GenericViewSet):
    """A country's proposal to investigate one network with partner countries."""
    permission_classes = [permissions.IsAuthenticated, allows(
        cooperation_policies.can_nominate, actions=["create"],
        message=gettext_lazy("A country's focal point nominates for it.")), allows_object(
        cooperation_policies.can_answer_nomination, actions=["answer"],
        message=gettext_lazy("Only the partner country's focal point answers.")), allows_object(
        cooperation_policies.can_convert_nomination, actions=["convert"],
        message=gettext_lazy("The secretariat turns nominations into joint investigations."))]

    filterset_class = NominationFilter
    ordering_fields = ["created_at", "title"]
    ordering = ["meeting", "proposing_country__name"]

    def get_queryset(self):
        return planning.nominations_for(user=self.request.user, queryset=Nomination.objects.all())

    def get_serializer_class(self):
        action_name = self.action
        if action_name == "metadata" and self.request.method == "POST":
            action_name = "create"
        return {"create": NominationWriteSerializer, "answer": NominationAnswerSerializer,
                "convert": NominationConvertSerializer}.get(action_name, NominationSerializer)

    def get_object(self) -> Nomination:
        try:
            nomination = self.get_queryset().get(pk=self.kwargs["pk"])
        except (Nomination.DoesNotExist, ValueError, TypeError) as missing:
            raise Http404("No such nomination.") from missing
        self.check_object_permissions(self.request, nomination)  # who answers, who converts
        return nomination

    def _read_context(self, nominations) -> dict:
        """What the reader may see of these nominations: two queries, whatever their number."""
        user = self.request.user
        converted = [n.investigation_id for n in nominations if n.investigation_id]
        return {
            **self.get_serializer_context(),
            "visible_network_ids": planning.visible_network_ids(user),
            "visible_investigation_ids": set(cooperation_policies.investigations_visible(
                user, JointInvestigation.objects.filter(pk__in=converted)
            ).values_list("pk", flat=True)) if converted else set(),
        }

    def _respond(self, nomination, code=status.HTTP_200_OK, **kwargs) -> Response:
        return Response(NominationSerializer(
            nomination, context=self._read_context([nomination])).data, status=code, **kwargs)

    def _show(self, nomination, code=status.HTTP_200_OK, **kwargs) -> Response:
        """The nomination as saved now (after a change), as the caller may see it."""
        return self._respond(self.get_queryset().get(pk=nomination.pk), code, **kwargs)

    def list(self, request, *args, **kwargs):
        queryset = self.filter_queryset(self.get_queryset())
        page = self.paginate_queryset(queryset)
        nominations = list(page if page is not None else queryset)
        data = NominationSerializer(nominations, many=True,
                                    context=self._read_context(nominations)).data
        return self.get_paginated_response(data) if page is not None else Response(data)

    def retrieve(self, request, *args, **kwargs):
        return self._respond(self.get_object())

    def create(self, request, *args, **kwargs):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        data["proposing_country"] = data.get("proposing_country") or only_one(
            own_countries(request.user, focal=True), "proposing_country", _("that nominates"))
        nomination = planning.nomination_create(actor=request.user, **data)
        return self._show(nomination, status.HTTP_201_CREATED, headers={
            "Location": reverse("api:nomination-detail", args=[nomination.pk])})

    @extend_schema(
        summary="Accept or decline for a partner country (its focal point)", tags=TAGS,
        request=NominationAnswerSerializer, responses={200: NominationSerializer},
        examples=[OpenApiExample("Accept", request_only=True,
                                 value={"answer": "accept", "country": "MYS"}),
                  _nomination_example("Accepted")],
        description="A partner may change its answer until the nomination is a joint "
                    "investigation (then 400 on `answer`). A country that is not a partner is "
                    "400 on `country`; seeing the nomination without speaking for a partner "
                    "is 403.")
    @action(detail=True, methods=["post"])
    def answer(self, request, *args, **kwargs):
        nomination = self.get_object()
        partners = list(nomination.partners.all())
        own = [p for p in partners if access.can_answer_for_country(request.user, p.country_id)]
        body = NominationAnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        country = body.validated_data.get("country")
        if country is not None:
            partner = next((p for p in partners if p.country_id == country.pk), None)
            if partner is None:
                raise exceptions.ValidationError({"country": [
                    _("%(country)s is not a partner country of this nomination.")
                    % {"country": country.name}]})
        else:
            chosen = only_one([p.country for p in own], "country", _("that answers"))
            partner = next(p for p in own if p.country_id == chosen.pk)
        planning.nomination_answer(actor=request.user, partner=partner,
                                   accept=body.validated_data["answer"] == "accept")
        return self._show(nomination)

    @extend_schema(
        summary="Turn an accepted nomination into a joint investigation (the secretariat)",
        tags=TAGS, request=NominationConvertSerializer, responses={200: NominationSerializer},
        examples=[OpenApiExample("Period", request_only=True,
                                 value={"starts_on": "2016-09-26", "ends_on": "2016-12-31"}),
                  _nomination_example("Converted", status="Turned into a joint investigation",
                                      converted_at="2016-06-01T03:00:00Z")],
        description="The nominating country leads it; the partners that accepted are its "
                    "members at once. Over the joint initiative's period unless another is "
                    "given. With no acceptance yet: 400 on `partners`; converted already: 400 "
                    "on `nomination`. The secretariat does not read the investigation itself "
                    "(`investigation` stays null for it).")
    @action(detail=True, methods=["post"])
    def convert(self, request, *args, **kwargs):
        nomination = self.get_object()
        body = NominationConvertSerializer(data=request.data, context={
            "joint_operation": nomination.meeting.joint_operation})
        body.is_valid(raise_exception=True)
        planning.nomination_convert(actor=request.user, nomination=nomination,
                                    starts_on=body.validated_data.get("starts_on"),
                                    ends_on=body.validated_data.get("ends_on"))
        return self._show(nomination)
