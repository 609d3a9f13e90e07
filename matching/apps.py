from django.apps import AppConfig


class MatchingConfig(AppConfig):
    """Helper profiles, their verification and eligibility, and the shared vocabulary."""

    name = "matching"

    def ready(self) -> None:
        from matching import receivers  # noqa: F401  (connects the event receivers)
