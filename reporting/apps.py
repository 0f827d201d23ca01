from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportingConfig(AppConfig):
    name = "reporting"
    verbose_name = _("Reporting")

    def ready(self):
        from operations.review import register_submit_check
        from operations.signals import records_changed

        from . import (
            demo,  # noqa: F401  (connects its part of the demo)
            outliers,
            validation,
        )
        from .tasks import rollup_requested

        records_changed.connect(rollup_requested, dispatch_uid="reporting-rollup")
        register_submit_check(validation.evaluate)
        register_submit_check(outliers.review)
