from django.apps import AppConfig


class DetectionConfig(AppConfig):
    """The text detectors, their evaluation commands (`detection_evaluate`, `detection_report`)
    and the coordinators' marks on their signals (detection.models)."""

    name = "detection"
    default_auto_field = "django.db.models.BigAutoField"
