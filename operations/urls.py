from django.urls import path

from . import views

app_name = "operations"
urlpatterns = [
    path("records/<slug:kind>/", views.record_list, name="record_list"),
    path("records/<slug:kind>/new/", views.record_create, name="record_create"),
    path("records/<slug:kind>/<int:pk>/", views.record_detail, name="record_detail"),
    path("records/<slug:kind>/<int:pk>/edit/", views.record_update, name="record_update"),
    path("records/<slug:kind>/<int:pk>/delete/", views.record_delete, name="record_delete"),
    path("records/<slug:kind>/<int:pk>/share/", views.record_share, name="record_share"),
    path("shares/", views.share_list, name="share_list"),
    path("shares/<int:pk>/revoke/", views.share_revoke, name="share_revoke"),
]
