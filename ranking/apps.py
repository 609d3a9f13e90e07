from django.apps import AppConfig


class RankingConfig(AppConfig):
    """Who fits a request best: candidates, nearby requests, the batch and its proposals."""

    name = "ranking"
