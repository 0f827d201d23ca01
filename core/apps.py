from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The ground floor every app may import: audit, row-level security, backups, the embedded
    database, spreadsheet cells, the health check. It imports no app of the portal's."""

    name = "core"
    verbose_name = _("Platform")

    def ready(self) -> None:
        from . import audit, rls  # noqa: F401  (connect their signal receivers)
