"""URL configuration: the portal's pages, authentication and the admin."""
from django.contrib import admin
from django.urls import include, path

from jpoa.views import healthz
from reporting import views as reporting_views

admin.site.site_header = "JPoA portal administration"
admin.site.site_title = "JPoA portal"

urlpatterns = [
    path("", reporting_views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
