from django.apps import AppConfig


class CarersConfig(AppConfig):
    name = "carers"

    def ready(self) -> None:
        from carers import receivers  # noqa: F401  (connects the event receivers)
