"""URL configuration: the portal's pages, authentication and the admin."""
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from countries import views as countries_views
from jpoa.views import healthz
from reporting import views as reporting_views

admin.site.site_header = "JPoA portal administration"
admin.site.site_title = "JPoA portal"

urlpatterns = [
    path("", reporting_views.home, name="home"),
    path("", include("operations.urls")),
    path("", include("reporting.urls")),
    path("audit/", countries_views.audit_log, name="audit_log"),
    path("healthz", healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
