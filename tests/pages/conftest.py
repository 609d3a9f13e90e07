"""Personas of the request and helper pages, around Namur (5000):

- requester: a helppie with an open request (shopping, 1 h once);
- helper: a verified helper whose 5 km radius covers it; other_helper likewise;
- outsider: signed in, nothing to do with it; coordinator; anonymous.
"""

from types import SimpleNamespace

import pytest
from django.test import Client

from tests.accounts.factories import CoordinatorFactory, UserFactory
from tests.matching.factories import VerifiedHelperFactory
from tests.requests_app.factories import HelpRequestFactory


@pytest.fixture(autouse=True)
def _places(places) -> None:
    """Requests and profiles check postcodes against the place data (tests/conftest.py)."""


@pytest.fixture
def personas(db) -> SimpleNamespace:
    requester = UserFactory(postcode="5000", display_name="Anne Lambert", language="fr")
    return SimpleNamespace(
        requester=requester,
        help_request=HelpRequestFactory(requester=requester),
        helper=VerifiedHelperFactory(user__display_name="Bruno").user,
        other_helper=VerifiedHelperFactory(user__display_name="Chloé").user,
        outsider=UserFactory(display_name="Outsider"),
        coordinator=CoordinatorFactory(display_name="Coordinator"),
        anonymous=None,
    )


def client_for(user, language: str = "en") -> Client:
    """A browser signed in as `user` (anonymous for None), reading the site in `language`."""
    client = Client()
    if user is not None:
        client.force_login(user)
    client.cookies["tandem_language"] = language
    return client
