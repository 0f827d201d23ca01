from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CountriesConfig(AppConfig):
    name = "countries"
    verbose_name = _("Countries and agencies")

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the receivers)
