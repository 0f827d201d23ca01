from django.urls import path

from . import debrief, export_views, views

app_name = "reporting"
urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("debrief/<slug:slug>/", debrief.workshop_detail, name="workshop_detail"),
    path("debrief/<slug:slug>/lessons/<str:code>/", debrief.lessons_edit, name="lessons_edit"),
    path("debrief/<slug:slug>/recommendations/", debrief.recommendation_add,
         name="recommendation_add"),
    path("debrief/recommendations/<int:pk>/", debrief.recommendation_track,
         name="recommendation_track"),
    path("debrief/<slug:slug>/statement.txt", debrief.statement_download,
         name="statement_download"),
    path("exports/", export_views.export_list, name="export_list"),
    path("exports/<int:pk>/", export_views.export_detail, name="export_detail"),
    path("exports/<int:pk>/download/", export_views.export_download, name="export_download"),
    path("exports/<int:pk>/retry/", export_views.export_retry, name="export_retry"),
    path("returns/", views.return_list, name="return_list"),
    path("returns/<slug:joint_operation>/<str:country>/", views.return_detail, name="return_detail"),
    path("returns/<slug:joint_operation>/<str:country>/submit/", views.return_submit,
         name="return_submit"),
    path("returns/<slug:joint_operation>/<str:country>/accept/", views.return_accept,
         name="return_accept"),
    path("returns/<slug:joint_operation>/<str:country>/reopen/", views.return_reopen,
         name="return_reopen"),
    path("returns/<slug:joint_operation>/<str:country>/flags/<int:pk>/check/",
         views.outlier_check, name="outlier_check"),
]
