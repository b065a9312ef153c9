from django.apps import AppConfig


class OutcomesConfig(AppConfig):
    name = "alongside.outcomes"
    label = "outcomes"
    verbose_name = "Outcomes"

    def ready(self) -> None:
        from alongside.care.fhir import register_bundle_contributor
        from alongside.care.models import InformationCategory
        from alongside.core.panels import register_participant_panel
        from alongside.outcomes.fhir import measure_resources
        from alongside.outcomes.views import measures_panel

        register_bundle_contributor(
            "outcomes", category=InformationCategory.RECOVERY_MEASURES, resources=measure_resources
        )
        register_participant_panel("outcomes/_panel.html", measures_panel)
