from django.apps import AppConfig


class RequestsAppConfig(AppConfig):
    name = "requests_app"
    label = "requests_app"
    verbose_name = "Help requests"

    def ready(self) -> None:
        from requests_app import receivers  # noqa: F401  (connects the event receivers)
