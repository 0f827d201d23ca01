from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    """Cross-border cooperation and planning: networks, joint investigations, enquiries' answers,
    planning meetings and nominations. It builds on operations (joint operations, records) and
    hooks into its record page and demo through operations' extension points."""

    name = "cooperation"
    verbose_name = _("Cross-border cooperation")

    def ready(self) -> None:
        from operations.panels import register_record_panel

        from . import demo, planning_views, selectors  # noqa: F401  (demo: connects its receiver)

        register_record_panel("cooperation/_record_investigation.html", selectors.investigation_panel)
        register_record_panel("cooperation/_record_network.html",
                              planning_views.record_network_context)
        register_record_panel("cooperation/_record_answer.html", selectors.answer_panel)
