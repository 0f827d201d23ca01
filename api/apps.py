from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The REST API: its tokens and idempotency keys, authentication, throttling, one module per
    area. It sits on top: it imports the other apps, none imports it."""

    name = "api"
    verbose_name = _("API")
