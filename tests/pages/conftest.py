"""Personas of the request and helper pages (tests/personas.py), around Namur (5000):

- requester: a helppie with an open request (shopping, 1 h once);
- helper: a verified helper whose 5 km radius covers it; other_helper likewise;
- outsider: signed in, nothing to do with it; coordinator; anonymous.
"""

import pytest
from django.test import Client

from tests.personas import People


@pytest.fixture(autouse=True)
def _places(places) -> None:
    """Requests and profiles check postcodes against the place data (tests/conftest.py)."""


@pytest.fixture
def personas(db) -> People:
    """Created up front: lists of helpers and offers must find exactly these people."""
    return People().create(
        "requester", "help_request", "helper", "other_helper", "outsider", "coordinator"
    )


def client_for(user, language: str = "en") -> Client:
    """A browser signed in as `user` (anonymous for None), reading the site in `language`."""
    client = Client()
    if user is not None:
        client.force_login(user)
    client.cookies["tandem_language"] = language
    return client
