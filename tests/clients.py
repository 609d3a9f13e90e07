"""API clients for tests, signed in as a given person."""

from rest_framework.test import APIClient


def client_for(user) -> APIClient:
    """An API client signed in as `user` (anonymous for None)."""
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client
