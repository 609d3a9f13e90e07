from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "audit"
    label = "audit"
    verbose_name = "Access log"

    def ready(self) -> None:
        from audit import receivers  # noqa: F401  (connects the event receivers)
