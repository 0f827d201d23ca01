from django.urls import path

from . import export_views, import_views, views

app_name = "operations"
urlpatterns = [
    path("records/<slug:kind>/", views.record_list, name="record_list"),
    path("records/<slug:kind>/new/", views.record_create, name="record_create"),
    path("records/<slug:kind>/export.csv", export_views.record_export_csv,
         name="record_export_csv"),
    path("records/<slug:kind>/<int:pk>/", views.record_detail, name="record_detail"),
    path("records/<slug:kind>/<int:pk>/edit/", views.record_update, name="record_update"),
    path("records/<slug:kind>/<int:pk>/delete/", views.record_delete, name="record_delete"),
    path("records/<slug:kind>/<int:pk>/share/", views.record_share, name="record_share"),
    path("shares/", views.share_list, name="share_list"),
    path("shares/<int:pk>/revoke/", views.share_revoke, name="share_revoke"),
    path("records/<slug:kind>/import/", import_views.record_import, name="record_import"),
    path("records/<slug:kind>/import/template.csv", import_views.import_template_csv,
         name="import_template_csv"),
    path("records/<slug:kind>/import/template.xlsx", import_views.import_template_xlsx,
         name="import_template_xlsx"),
    path("imports/<int:pk>/", import_views.import_detail, name="import_detail"),
    path("imports/<int:pk>/confirm/", import_views.import_confirm, name="import_confirm"),
]
