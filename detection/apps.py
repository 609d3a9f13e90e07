from django.apps import AppConfig


class DetectionConfig(AppConfig):
    """The text detectors. An app only so that its management commands are found
    (`detection_evaluate`); it has no models."""

    name = "detection"
    default_auto_field = "django.db.models.BigAutoField"
