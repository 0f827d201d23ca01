"""The API's URLs, under /api/v1/ (namespace ``api``): the router, returns, totals, exports,
cross-border cooperation, schema, docs."""
from django.contrib.auth.decorators import login_required
from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework import routers

from . import cooperation, directory, exports, planning, returns, tokens, totals
from .records import RECORD_VIEWSETS

app_name = "api"


class Router(routers.DefaultRouter):
    include_format_suffixes = False  # one URL per resource: JSON, or the browsable API


router = Router()
router.register("countries", directory.CountryViewSet, basename="country")
router.register("agencies", directory.AgencyViewSet, basename="agency")
router.register("focal-points", directory.FocalPointViewSet, basename="focal-point")
router.register("joint-operations", directory.JointOperationViewSet, basename="joint-operation")
router.register("operations", directory.OperationViewSet, basename="operation")
for slug, viewset in RECORD_VIEWSETS.items():
    router.register(f"records/{slug}", viewset, basename=slug)

router.register("exports", exports.ExportJobViewSet, basename="export-job")
router.register("networks", cooperation.NetworkViewSet, basename="network")
router.register("investigations", cooperation.InvestigationViewSet, basename="investigation")
router.register("enquiries/incoming", cooperation.IncomingEnquiryViewSet,
                basename="incoming-enquiry")
router.register("planning-meetings", planning.PlanningMeetingViewSet, basename="planning-meeting")
router.register("nominations", planning.NominationViewSet, basename="nomination")

return_list = returns.CountryReturnViewSet.as_view({"get": "list"})
return_detail = returns.CountryReturnViewSet.as_view({"get": "retrieve"})
return_submit = returns.CountryReturnViewSet.as_view({"post": "submit"})
return_accept = returns.CountryReturnViewSet.as_view({"post": "accept"})
return_reopen = returns.CountryReturnViewSet.as_view({"post": "reopen"})
RETURN = "returns/<str:joint_operation>/<str:country>/"

note_list = cooperation.NoteViewSet.as_view({"get": "list", "post": "create"})
member_accept = cooperation.MemberViewSet.as_view({"post": "accept"})
member_decline = cooperation.MemberViewSet.as_view({"post": "decline"})
member_leave = cooperation.MemberViewSet.as_view({"post": "leave"})
MEMBER = "investigations/<int:pk>/members/<str:country>/"

urlpatterns = [
    *router.urls,
    path("returns/", return_list, name="return-list"),
    path(RETURN, return_detail, name="return-detail"),
    path(f"{RETURN}submit/", return_submit, name="return-submit"),
    path(f"{RETURN}accept/", return_accept, name="return-accept"),
    path(f"{RETURN}reopen/", return_reopen, name="return-reopen"),
    path("investigations/<int:investigation_pk>/notes/", note_list,
         name="investigation-note-list"),
    path(f"{MEMBER}accept/", member_accept, name="investigation-member-accept"),
    path(f"{MEMBER}decline/", member_decline, name="investigation-member-decline"),
    path(f"{MEMBER}leave/", member_leave, name="investigation-member-leave"),
    path("totals/", totals.TotalsView.as_view(), name="totals"),
    path("tokens/", tokens.TokenObtainView.as_view(), name="token-obtain"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # A page, not an endpoint: anonymous visitors are sent to log in, as everywhere else.
    path("docs/", login_required(SpectacularSwaggerSplitView.as_view(url_name="api:schema")),
         name="docs"),
]
