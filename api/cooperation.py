"""Cross-border cooperation: networks, joint investigations (members, notes) and the enquiries
other countries addressed to yours.

The same rules as the pages (``cooperation.views``): what a caller sees comes from
``countries.access`` (an investigation their country is not a member of, nor invited to, is
404, like a missing one); every change goes through ``cooperation.services`` (a focal point
speaks for the country; accepting grants the country access, leaving revokes it at once). A
change the caller may see but not make is 403 with the service's reason; an invitation
answered twice, or a leave by a non-member, is 409 ``wrong_state``.
"""
from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import F
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

from cooperation import policies as cooperation_policies
from cooperation import services as cooperation
from cooperation.models import InvestigationMember, InvestigationNote, JointInvestigation, Network
from countries import access
from operations.models import CrimeType, EnquiryRecord, Sector
from operations.records import KINDS_BY_MODEL
from operations.services import RecordConflict

from . import filters
from .base import ApiViewMixin
from .directory import CountryCode
from .errors import Conflict, VersionConflict
from .fields import (
    CountryCodes,
    StrictSerializerMixin,
    only_one,
    own_countries,
    value_choices,
)
from .idempotency import IdempotentMixin
from .permissions import allows
from .record_serializers import SERIALIZERS, VersionField, example_record

ENQUIRIES = KINDS_BY_MODEL[EnquiryRecord]


def _run(call):
    """Call a service; a refusal about the state of things (answered already) is a 409."""
    try:
        return call()
    except DjangoValidationError as error:
        if hasattr(error, "error_dict") and set(error.error_dict) == {"state"}:
            raise Conflict(" ".join(error.messages), code="wrong_state") from error
        raise


# ---------------------------------------------------------------------------------------------
# Networks
# ---------------------------------------------------------------------------------------------


class NetworkSerializer(serializers.ModelSerializer):
    registered_by = CountryCode()
    countries_active = serializers.SlugRelatedField(slug_field="code", many=True, read_only=True)
    shared_with = serializers.SlugRelatedField(
        slug_field="code", many=True, read_only=True,
        help_text="Countries the registering country gave the network to.")
    crime_types = serializers.ListField(child=serializers.CharField(), read_only=True)
    sectors = serializers.ListField(child=serializers.CharField(), read_only=True)
    aliases = serializers.ListField(child=serializers.CharField(), read_only=True)
    status = serializers.CharField(read_only=True, help_text=(
        "active, disrupted, dismantled or unknown (the values a change takes)."))
    created_by = serializers.SlugRelatedField(slug_field="username", read_only=True,
                                              allow_null=True)

    class Meta:
        model = Network
        fields = ["id", "name", "aliases", "registered_by", "countries_active", "crime_types",
                  "sectors", "status", "modus_operandi", "shared_with", "created_by",
                  "created_at"]
        read_only_fields = fields


class NetworkWriteSerializer(StrictSerializerMixin, serializers.Serializer):
    """What the registering country enters. The country that registered it is chosen once."""

    ignored_fields = frozenset({"id", "shared_with", "created_by", "created_at"})

    name = serializers.CharField(max_length=200)
    aliases = serializers.ListField(child=serializers.CharField(max_length=200), required=False,
                                    max_length=50, help_text="Other names it goes by.")
    registered_by = CountryCodes(required=False, error_messages={
        "does_not_exist": gettext_lazy("Register it for your own country: “{value}” is not yours.")},
        help_text=("Your country that registers it (yours when you have one). Only when "
                   "registering: ignored in a change, as a network never moves to another "
                   "country."))
    countries_active = CountryCodes(many=True, required=False,
                                    help_text="Codes of the countries where it is active.")
    crime_types = serializers.ListField(child=value_choices(CrimeType.choices), allow_empty=False, min_length=1,
                                        max_length=len(CrimeType.choices))
    sectors = serializers.ListField(child=value_choices(Sector.choices), required=False,
                                    max_length=len(Sector.choices))
    status = serializers.ChoiceField(choices=Network.Status.choices, required=False)
    modus_operandi = serializers.CharField(
        required=False, allow_blank=True, max_length=20000,
        help_text="How it works: routes, recruitment, documents. No names of victims.")

    def __init__(self, *args, changing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if changing:  # a change: the registering country is read-only, so ignored if sent
            del self.fields["registered_by"]
            self.ignored_fields = self.ignored_fields | {"registered_by"}
            return
        request = self.context.get("request")
        self.fields["registered_by"].queryset = own_countries(request.user if request else None)


class NetworkChangeSerializer(NetworkWriteSerializer):
    """A change of a network's description: the registering country is ignored if sent."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, changing=True, **kwargs)


class GiveSerializer(StrictSerializerMixin, serializers.Serializer):
    country = CountryCodes(help_text="Code of the country that will see the network.")


NETWORK_EXAMPLE = {
    "id": 3, "name": "Andaman fishing crews", "aliases": ["Blue boats"], "registered_by": "THA",
    "countries_active": ["MYS", "THA"], "crime_types": ["trafficking"], "sectors": ["fishing"],
    "status": "active", "modus_operandi": "Recruits crews with false contracts.",
    "shared_with": ["MYS"], "created_by": "focal.tha", "created_at": "2015-10-02T04:00:00Z",
}
NETWORK_REQUEST = {key: NETWORK_EXAMPLE[key] for key in (
    "name", "aliases", "countries_active", "crime_types", "sectors", "status", "modus_operandi")}


def _network_example(name="Network", **changes):
    return OpenApiExample(name, value={**NETWORK_EXAMPLE, **changes}, response_only=True)


class NetworkFilter(django_filters.FilterSet):
    registered_by = filters.CodeFilter(field_name="registered_by__code",
                                       help_text="Code of the registering country.")

    class Meta:
        model = Network
        fields = ["status", "registered_by"]


@extend_schema_view(
    list=extend_schema(summary="Networks your country knows", tags=["cooperation"],
                       examples=[_network_example()], description=(
        "Networks your country registered or was given, and those under a joint "
        "investigation your country is a member of.")),
    retrieve=extend_schema(summary="One network", tags=["cooperation"],
                           examples=[_network_example()]),
    create=extend_schema(
        summary="Register a network", tags=["cooperation"], request=NetworkWriteSerializer,
        responses={201: NetworkSerializer},
        examples=[OpenApiExample("New network", request_only=True,
                                 value={**NETWORK_REQUEST, "registered_by": "THA"}),
                  _network_example(shared_with=[])]),
    update=extend_schema(summary="Replace a network's description", tags=["cooperation"],
                         request=NetworkChangeSerializer, responses={200: NetworkSerializer},
                         examples=[OpenApiExample("Description", request_only=True,
                                                  value=NETWORK_REQUEST), _network_example()]),
    partial_update=extend_schema(
        summary="Change a network's description", tags=["cooperation"],
        request=NetworkChangeSerializer, responses={200: NetworkSerializer},
        examples=[OpenApiExample("Disrupted", request_only=True, value={"status": "disrupted"}),
                  _network_example(status="disrupted")],
        description="The people of the registering country change it (403 for the others "
                    "who see it); the registering country itself never changes."),
)
class NetworkViewSet(IdempotentMixin, ApiViewMixin, mixins.ListModelMixin,
                     mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                     mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Networks (syndicates) identified by the countries: reach and modus operandi, no names."""
    permission_classes = [permissions.IsAuthenticated, allows(
        cooperation_policies.can_register_network, actions=["create"],
        message=gettext_lazy(
            "Networks are registered by the officers and focal points of a country."))]

    filterset_class = NetworkFilter
    ordering_fields = ["name", "created_at"]
    ordering = ["name"]

    def get_queryset(self):
        return cooperation_policies.networks_visible(self.request.user, Network.objects.select_related(
            "registered_by", "created_by").prefetch_related("countries_active", "shared_with"))

    def get_serializer_class(self):
        action_name = self.action
        if action_name == "metadata":
            action_name = {"POST": "create", "PUT": "update"}.get(self.request.method)
        return {"create": NetworkWriteSerializer, "update": NetworkChangeSerializer,
                "partial_update": NetworkChangeSerializer, "give": GiveSerializer,
                }.get(action_name, NetworkSerializer)

    def get_object(self):
        try:
            return super().get_object()
        except (ValueError, TypeError) as error:
            raise exceptions.NotFound() from error

    def _show(self, network: Network, code=status.HTTP_200_OK, **kwargs) -> Response:
        network = self.get_queryset().get(pk=network.pk)
        return Response(NetworkSerializer(network).data, status=code, **kwargs)

    def create(self, request, *args, **kwargs):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        registered_by = data.pop("registered_by", None) or only_one(
            own_countries(request.user), "registered_by", _("that registers it"))
        countries_active = data.pop("countries_active", [])
        network = cooperation.network_create(actor=request.user, registered_by=registered_by,
                                             data=data, countries_active=countries_active)
        return self._show(network, status.HTTP_201_CREATED, headers={
            "Location": reverse("api:network-detail", args=[network.pk])})

    def update(self, request, *args, partial=False, **kwargs):
        network = self.get_object()
        body = self.get_serializer(data=request.data, partial=partial)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        countries_active = data.pop("countries_active", None)
        if not partial and countries_active is None:
            countries_active = []  # a replacement: what is left out is emptied
        network = cooperation.network_update(actor=request.user, network=network, data=data,
                                             countries_active=countries_active)
        return self._show(network)

    @extend_schema(summary="Give a network to another country", tags=["cooperation"],
                   request=GiveSerializer, responses={200: NetworkSerializer},
                   examples=[OpenApiExample("To Malaysia", request_only=True,
                                            value={"country": "MYS"}), _network_example()],
                   description="The registering country's focal point gives it; the country "
                               "sees it from now on.")
    @action(detail=True, methods=["post"])
    def give(self, request, *args, **kwargs):
        network = self.get_object()
        body = GiveSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        cooperation.network_give(actor=request.user, network=network,
                                 country=body.validated_data["country"])
        return self._show(network)


# ---------------------------------------------------------------------------------------------
# Joint investigations
# ---------------------------------------------------------------------------------------------


class MemberSerializer(serializers.ModelSerializer):
    """A country's place in an investigation: invited, accepted (a member), declined, left."""

    country = CountryCode()
    country_name = serializers.CharField(source="country.name", read_only=True)

    class Meta:
        model = InvestigationMember
        fields = ["investigation", "country", "country_name", "state", "changed_at"]
        read_only_fields = fields


class InvestigationSerializer(serializers.ModelSerializer):
    network_name = serializers.CharField(source="network.name", read_only=True)
    lead_country = CountryCode()
    joint_operation = serializers.SlugRelatedField(slug_field="slug", read_only=True,
                                                   allow_null=True)
    proposed_by = serializers.SlugRelatedField(slug_field="username", read_only=True,
                                               allow_null=True)
    members = MemberSerializer(many=True, read_only=True)
    is_member = serializers.SerializerMethodField(help_text=(
        "Your country is a member now: you read the notes and the records attributed to it. "
        "False for a country that is only invited (it sees the investigation, to answer)."))

    class Meta:
        model = JointInvestigation
        fields = ["id", "title", "network", "network_name", "lead_country", "joint_operation",
                  "starts_on", "ends_on", "status", "purpose", "proposed_by", "created_at",
                  "members", "is_member"]
        read_only_fields = fields

    def get_is_member(self, investigation) -> bool:
        request = self.context.get("request")
        return request is not None and bool(
            cooperation_policies.member_country_ids(request.user, investigation))


class ProposeSerializer(StrictSerializerMixin, serializers.Serializer):
    ignored_fields = frozenset({"id", "network_name", "joint_operation", "status", "proposed_by",
                                "created_at", "members", "is_member"})

    title = serializers.CharField(max_length=200)
    network = serializers.PrimaryKeyRelatedField(
        queryset=Network.objects.none(), help_text="Id of a network your country knows.")
    lead_country = CountryCodes(
        required=False, help_text="Your country that leads (its focal point proposes); yours "
                                  "when you are the focal point of one country.")
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    invited = CountryCodes(many=True, help_text=(
        "Codes of the countries invited; each one's focal point accepts or declines."))
    purpose = serializers.CharField(required=False, allow_blank=True, max_length=20000,
                                    default="")

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        user = request.user if request else None
        self.fields["network"].queryset = cooperation_policies.networks_visible(user, Network.objects.all())
        self.fields["lead_country"].queryset = own_countries(user, focal=True)


class InviteSerializer(StrictSerializerMixin, serializers.Serializer):
    country = CountryCodes(help_text="Code of the country to invite (again, if it declined or "
                                     "left).")


INVESTIGATION_EXAMPLE = {
    "id": 5, "title": "Operation Andaman", "network": 3, "network_name": "Andaman fishing crews",
    "lead_country": "THA", "joint_operation": None, "starts_on": "2015-10-01",
    "ends_on": "2016-03-31", "status": "active", "purpose": "Follow the crews' recruiters.",
    "proposed_by": "focal.tha", "created_at": "2015-10-02T05:00:00Z",
    "members": [
        {"investigation": 5, "country": "MYS", "country_name": "Malaysia", "state": "accepted",
         "changed_at": "2015-10-03T02:00:00Z"},
        {"investigation": 5, "country": "THA", "country_name": "Thailand", "state": "accepted",
         "changed_at": "2015-10-02T05:00:00Z"},
    ],
    "is_member": True,
}


def _investigation_example(name="Joint investigation", **changes):
    return OpenApiExample(name, value={**INVESTIGATION_EXAMPLE, **changes}, response_only=True)


def _investigations(user):
    return cooperation_policies.investigations_visible(user, JointInvestigation.objects.select_related(
        "network", "lead_country", "joint_operation", "proposed_by").prefetch_related(
        "members__country"))


def _investigation_or_404(user, pk) -> JointInvestigation:
    try:
        return _investigations(user).get(pk=pk)
    except (JointInvestigation.DoesNotExist, ValueError, TypeError) as missing:
        raise Http404("No such investigation.") from missing


class InvestigationFilter(django_filters.FilterSet):
    class Meta:
        model = JointInvestigation
        fields = ["status"]


@extend_schema_view(
    list=extend_schema(summary="Joint investigations of your country", tags=["cooperation"],
                       examples=[_investigation_example()], description=(
        "Those your country is a member of, and those it is invited to (to answer: "
        "`is_member` is false and the notes stay closed). A country that declined or left "
        "sees nothing of them.")),
    retrieve=extend_schema(summary="One joint investigation", tags=["cooperation"],
                           examples=[_investigation_example()]),
    create=extend_schema(
        summary="Propose a joint investigation (a focal point)", tags=["cooperation"],
        request=ProposeSerializer, responses={201: InvestigationSerializer},
        examples=[OpenApiExample("Proposal", request_only=True, value={
            "title": "Operation Andaman", "network": 3, "lead_country": "THA",
            "starts_on": "2015-10-01", "ends_on": "2016-03-31", "invited": ["MYS", "IDN"],
            "purpose": "Follow the crews' recruiters."}),
            _investigation_example("Proposed", status="proposed", members=[
                {"investigation": 5, "country": "IDN", "country_name": "Indonesia",
                 "state": "invited",
                 "changed_at": "2015-10-02T05:00:00Z"},
                INVESTIGATION_EXAMPLE["members"][1]])],
        description="The lead country is a member from the start; each invited country's "
                    "focal point accepts or declines."),
)
class InvestigationViewSet(IdempotentMixin, ApiViewMixin, mixins.ListModelMixin,
                           mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                           viewsets.GenericViewSet):
    """Two or more countries investigating one network over a period (paragraph 13)."""
    permission_classes = [permissions.IsAuthenticated, allows(
        cooperation_policies.can_propose_investigation, actions=["create"],
        message=gettext_lazy("Only a focal point proposes a joint investigation."))]

    filterset_class = InvestigationFilter
    ordering_fields = ["starts_on", "title"]
    ordering = ["-starts_on"]

    def get_queryset(self):
        return _investigations(self.request.user)

    def get_serializer_class(self):
        action_name = self.action
        if action_name == "metadata" and self.request.method == "POST":
            action_name = "create"
        return {"create": ProposeSerializer, "invite": InviteSerializer}.get(
            action_name, InvestigationSerializer)

    def get_object(self):
        return _investigation_or_404(self.request.user, self.kwargs["pk"])

    def _show(self, investigation, code=status.HTTP_200_OK, **kwargs) -> Response:
        fresh = _investigation_or_404(self.request.user, investigation.pk)
        return Response(InvestigationSerializer(fresh, context=self.get_serializer_context()).data,
                        status=code, **kwargs)

    def create(self, request, *args, **kwargs):
        body = self.get_serializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        data["lead_country"] = data.get("lead_country") or only_one(
            own_countries(request.user, focal=True), "lead_country", _("that leads"))
        investigation = cooperation.investigation_propose(actor=request.user, **data)
        return self._show(investigation, status.HTTP_201_CREATED, headers={
            "Location": reverse("api:investigation-detail", args=[investigation.pk])})

    @extend_schema(summary="Invite a country (the lead country's focal point)",
                   tags=["cooperation"], request=InviteSerializer,
                   responses={200: InvestigationSerializer},
                   examples=[OpenApiExample("Indonesia", request_only=True,
                                            value={"country": "IDN"}), _investigation_example()],
                   description="Invites a new country, or again one that declined or left "
                               "(rejoining: access returns once it accepts).")
    @action(detail=True, methods=["post"])
    def invite(self, request, *args, **kwargs):
        investigation = self.get_object()
        body = InviteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        cooperation.member_invite(actor=request.user, investigation=investigation,
                                  country=body.validated_data["country"])
        return self._show(investigation)

    @extend_schema(summary="Close the investigation (the lead country's focal point)",
                   tags=["cooperation"], request=None, responses={200: InvestigationSerializer},
                   examples=[_investigation_example("Closed", status="closed")],
                   description="Members keep reading what was shared but add nothing; open "
                               "invitations lapse (declined).")
    @action(detail=True, methods=["post"])
    def close(self, request, *args, **kwargs):
        investigation = self.get_object()
        cooperation.investigation_close(actor=request.user, investigation=investigation)
        return self._show(investigation)


def _member_example(name: str, state: str) -> OpenApiExample:
    return OpenApiExample(name, response_only=True, value={
        "investigation": 5, "country": "MYS", "country_name": "Malaysia", "state": state,
        "changed_at": "2015-10-03T02:00:00Z"})


class MemberViewSet(IdempotentMixin, ApiViewMixin, viewsets.GenericViewSet):
    """A country's place in an investigation: its focal point accepts, declines or leaves."""

    serializer_class = InvestigationSerializer
    filter_backends = []

    def get_queryset(self):  # for the schema only
        return _investigations(self.request.user)

    def _member(self) -> InvestigationMember:
        investigation = _investigation_or_404(self.request.user, self.kwargs["pk"])
        code = self.kwargs["country"].strip().upper()
        member = next((m for m in investigation.members.all() if m.country.code == code), None)
        if member is None:
            raise Http404("No such member.")
        return member

    def _act(self, call) -> Response:
        member = _run(lambda: call(self._member()))
        member = InvestigationMember.objects.select_related("country").get(pk=member.pk)
        return Response(MemberSerializer(member).data)

    @extend_schema(operation_id="investigations_members_accept", tags=["cooperation"],
                   summary="Accept the invitation (the invited country's focal point)",
                   request=None, responses={200: MemberSerializer},
                   examples=[_member_example("Accepted", "accepted")],
                   description="The country is a member from now on: its people read the "
                               "notes and the records attributed to the investigation. "
                               "An invitation answered already is 409 `wrong_state`.")
    def accept(self, request, *args, **kwargs):
        return self._act(lambda member: cooperation.member_respond(
            actor=request.user, member=member, accept=True))

    @extend_schema(operation_id="investigations_members_decline", tags=["cooperation"],
                   summary="Decline the invitation (the invited country's focal point)",
                   request=None, responses={200: MemberSerializer},
                   examples=[_member_example("Declined", "declined")],
                   description="The country no longer sees the investigation, until it is "
                               "invited again.")
    def decline(self, request, *args, **kwargs):
        return self._act(lambda member: cooperation.member_respond(
            actor=request.user, member=member, accept=False))

    @extend_schema(operation_id="investigations_members_leave", tags=["cooperation"],
                   summary="Take your country out (its focal point)", request=None,
                   responses={200: MemberSerializer},
                   examples=[_member_example("Left", "left")],
                   description="Access ends at once, for every user of the country, until it "
                               "is invited again and accepts. Only a member leaves, and not "
                               "the lead country, which closes the investigation instead "
                               "(409 `wrong_state`).")
    def leave(self, request, *args, **kwargs):
        return self._act(lambda member: cooperation.member_leave(actor=request.user,
                                                                 member=member))


# ---------------------------------------------------------------------------------------------
# Notes of an investigation (members only)
# ---------------------------------------------------------------------------------------------


class NoteSerializer(serializers.ModelSerializer):
    country = CountryCode()
    author = serializers.SlugRelatedField(slug_field="username", read_only=True, allow_null=True)

    class Meta:
        model = InvestigationNote
        fields = ["id", "country", "author", "text", "created_at"]
        read_only_fields = fields


class NoteWriteSerializer(StrictSerializerMixin, serializers.Serializer):
    ignored_fields = frozenset({"id", "country", "author", "created_at", "investigation"})
    text = serializers.CharField(max_length=20000, help_text="Every member country reads it.")


NOTE_EXAMPLE = {"id": 9, "country": "MYS", "author": "officer.mys",
                "text": "Vessel seen at Port Klang on 12 October.",
                "created_at": "2015-10-13T01:00:00Z"}


@extend_schema_view(
    list=extend_schema(summary="Notes of a joint investigation (members)", tags=["cooperation"],
                       examples=[OpenApiExample("Note", value=NOTE_EXAMPLE, response_only=True)],
                       description="Newest first. Only member countries read them: 404 for the "
                                   "others, invited countries included."),
    create=extend_schema(
        summary="Add a note (members)", tags=["cooperation"], request=NoteWriteSerializer,
        responses={201: NoteSerializer},
        examples=[OpenApiExample("Note", request_only=True,
                                 value={"text": NOTE_EXAMPLE["text"]}),
                  OpenApiExample("Added", value=NOTE_EXAMPLE, response_only=True)],
        description="Not once the investigation is closed (400 on `text`)."),
)
class NoteViewSet(IdempotentMixin, ApiViewMixin, mixins.ListModelMixin,
                  mixins.CreateModelMixin, viewsets.GenericViewSet):
    filter_backends = []  # newest first

    def _investigation(self) -> JointInvestigation:
        investigation = _investigation_or_404(self.request.user, self.kwargs["investigation_pk"])
        if not cooperation_policies.is_investigation_member(self.request.user, investigation):
            raise Http404("Only member countries read the notes.")
        return investigation

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return InvestigationNote.objects.none()
        return InvestigationNote.objects.filter(investigation=self._investigation()).select_related(
            "country", "author").order_by("-created_at", "-pk")

    def get_serializer_class(self):
        if self.action == "create" or (self.action == "metadata" and self.request.method == "POST"):
            return NoteWriteSerializer
        return NoteSerializer

    def create(self, request, *args, **kwargs):
        investigation = self._investigation()
        body = NoteWriteSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        note = cooperation.note_add(actor=request.user, investigation=investigation,
                                    text=body.validated_data["text"])
        note = InvestigationNote.objects.select_related("country", "author").get(pk=note.pk)
        return Response(NoteSerializer(note).data, status=status.HTTP_201_CREATED)


# ---------------------------------------------------------------------------------------------
# Enquiries addressed to the caller's country
# ---------------------------------------------------------------------------------------------


class AnswerSerializer(StrictSerializerMixin, serializers.Serializer):
    ignored_fields = frozenset(SERIALIZERS[ENQUIRIES.slug].read.Meta.fields) - {"answered_on",
                                                                              "version"}
    answered_on = serializers.DateField(
        allow_null=True, help_text="When your country answered; null clears a date set by "
                                   "mistake. Not before it was sent, not in the future.")
    version = VersionField()


class IncomingEnquiryFilter(django_filters.FilterSet):
    answered = django_filters.BooleanFilter(field_name="answered_on", lookup_expr="isnull",
                                            exclude=True, help_text="Answered (true) or not.")
    country = filters.CodeFilter(field_name="country__code",
                                 help_text="Code of the country that sent it.")

    class Meta:
        model = EnquiryRecord
        fields = ["answered", "country", "channel"]


ENQUIRY_EXAMPLE = {**example_record(ENQUIRIES), "country": "MYS", "counterpart": "THA",
                   "answered_on": None, "from_another_country": True}


@extend_schema_view(
    list=extend_schema(summary="Enquiries other countries sent to yours", tags=["cooperation"],
                       examples=[OpenApiExample("Unanswered", value=ENQUIRY_EXAMPLE,
                                                response_only=True)],
                       description="Unanswered first, then newest first."),
    retrieve=extend_schema(summary="One enquiry sent to your country", tags=["cooperation"],
                           examples=[OpenApiExample("Unanswered", value=ENQUIRY_EXAMPLE,
                                                    response_only=True)]),
)
class IncomingEnquiryViewSet(IdempotentMixin, ApiViewMixin, mixins.ListModelMixin,
                             mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Enquiries addressed to the caller's countries, which they answer."""

    serializer_class = SERIALIZERS[ENQUIRIES.slug].read
    filter_backends = [filters.StrictFilterBackend]
    filterset_class = IncomingEnquiryFilter

    def get_queryset(self):
        countries = access.scope_for(self.request.user).record_country_ids
        return access.records_visible(self.request.user, EnquiryRecord.objects.filter(
            counterpart_id__in=countries)).select_related(
            "country", "counterpart", "agency", "operation__joint_operation", "created_by",
        ).order_by(F("answered_on").asc(nulls_first=True), "-occurred_on", "-pk")

    def get_serializer_class(self):
        return AnswerSerializer if self.action == "answer" else SERIALIZERS[ENQUIRIES.slug].read

    def get_object(self):
        try:
            return super().get_object()
        except (ValueError, TypeError) as error:
            raise exceptions.NotFound() from error

    def _show(self, record) -> dict:
        return SERIALIZERS[ENQUIRIES.slug].read(
            self.get_queryset().get(pk=record.pk), context=self.get_serializer_context()).data

    @extend_schema(
        summary="Record when your country answered", tags=["cooperation"],
        request=AnswerSerializer, responses={200: SERIALIZERS[ENQUIRIES.slug].read},
        examples=[OpenApiExample("Answered", request_only=True,
                                 value={"answered_on": "2015-10-12", "version": 1}),
                  OpenApiExample("Answered", response_only=True, value={
                      **ENQUIRY_EXAMPLE, "answered_on": "2015-10-12", "version": 2})],
        description="Send the version you read: if the enquiry changed since, nothing is "
                    "saved (409 `version_conflict`, with the enquiry as saved in `current`).")
    @action(detail=True, methods=["post"])
    def answer(self, request, *args, **kwargs):
        record = self.get_object()
        body = AnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            record = cooperation.enquiry_answer(
                actor=request.user, record=record, answered_on=body.validated_data["answered_on"],
                version=body.validated_data["version"])
        except RecordConflict as conflict:
            raise VersionConflict(extra={"current": self._show(conflict.current)}) from None
        return Response(self._show(record))
