"""URL configuration: the portal's pages, authentication and the admin."""
from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from api import views as token_views
from core.views import healthz
from countries import two_factor_views
from countries import views as countries_views
from reporting import views as reporting_views

admin.site.site_header = "JPoA portal administration"
admin.site.site_title = "JPoA portal"

urlpatterns = [
    path("", reporting_views.home, name="home"),
    path("", include("operations.urls")),
    path("", include("cooperation.urls")),
    path("", include("reporting.urls")),
    path("audit/", countries_views.audit_log, name="audit_log"),
    path("healthz", healthz, name="healthz"),
    path("accounts/login/", two_factor_views.LoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/password/", auth_views.PasswordChangeView.as_view(), name="password_change"),
    path("accounts/password/done/", auth_views.PasswordChangeDoneView.as_view(),
         name="password_change_done"),
    path("accounts/two-factor/", two_factor_views.two_factor_manage, name="two_factor_manage"),
    path("accounts/two-factor/setup/", two_factor_views.two_factor_setup, name="two_factor_setup"),
    path("accounts/two-factor/verify/", two_factor_views.two_factor_verify,
         name="two_factor_verify"),
    path("accounts/two-factor/recovery-codes/", two_factor_views.recovery_codes_regenerate,
         name="two_factor_recovery_codes"),
    path("accounts/two-factor/reset/", two_factor_views.two_factor_reset, name="two_factor_reset"),
    path("accounts/api-tokens/", token_views.api_tokens, name="api_tokens"),
    path("accounts/api-tokens/<int:pk>/revoke/", token_views.api_token_revoke,
         name="api_token_revoke"),
    path("api/v1/", include("api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]

# Under /api/ a missing page or a crash answers in the API's JSON error shape; elsewhere,
# Django's own pages (templates/404.html) as before.
handler404 = "api.errors.page_not_found"
handler500 = "api.errors.server_error"
