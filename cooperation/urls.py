"""Cooperation's pages: joint investigations, networks, incoming enquiries, planning, the
focal-point directory. Their paths are those of before the move (issue 19)."""
from django.urls import path

from . import planning_views, views

app_name = "cooperation"
urlpatterns = [
    path("investigations/", views.investigation_list, name="investigation_list"),
    path("investigations/new/", views.investigation_create,
         name="investigation_create"),
    path("investigations/<int:pk>/", views.investigation_detail,
         name="investigation_detail"),
    path("investigations/<int:pk>/invite/", views.member_invite, name="member_invite"),
    path("investigations/<int:pk>/close/", views.investigation_close,
         name="investigation_close"),
    path("investigations/members/<int:pk>/answer/", views.member_respond,
         name="member_respond"),
    path("investigations/members/<int:pk>/leave/", views.member_leave,
         name="member_leave"),
    path("enquiries/incoming/", views.enquiries_incoming, name="enquiries_incoming"),
    path("records/enquiries/<int:pk>/answer/", views.enquiry_answer,
         name="enquiry_answer"),
    path("networks/new/", views.network_create, name="network_create"),
    path("networks/<int:pk>/", views.network_detail, name="network_detail"),
    path("records/<slug:kind>/<int:pk>/investigation/", views.record_attribute,
         name="record_attribute"),
    path("planning/", planning_views.planning_list, name="planning_list"),
    path("planning/<int:pk>/", planning_views.planning_meeting, name="planning_meeting"),
    path("planning/nominations/<int:pk>/", planning_views.planning_nomination,
         name="planning_nomination"),
    path("planning/nominations/<int:pk>/convert/", planning_views.nomination_convert,
         name="nomination_convert"),
    path("planning/partners/<int:pk>/answer/", planning_views.nomination_answer,
         name="nomination_answer"),
    path("directory/", planning_views.directory, name="directory"),
    path("records/<slug:kind>/<int:pk>/network/", planning_views.record_network_link,
         name="record_network_link"),
]
