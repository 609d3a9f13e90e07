"""Personas for the request flow (tests/personas.py), around Namur (5000):

- requester: a helppie with an open request (shopping, 1 h once);
- helper and other_helper: verified helpers whose 5 km radius covers it, 4 h a week each;
- outsider: someone signed in with nothing to do with it; coordinator; anonymous (None).
"""

import pytest
from rest_framework.test import APIClient

from requests_app.models import RequestStatus
from tests.personas import People

PERSONAS = ["requester", "helper", "other_helper", "outsider", "coordinator", "anonymous"]


@pytest.fixture(autouse=True)
def _places(places) -> None:
    """Requests check postcodes and points against the place data (tests/conftest.py)."""


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def personas(db) -> People:
    """Created up front: lists of helpers and offers must find exactly these people."""
    return People().create(
        "requester", "help_request", "helper", "other_helper", "outsider", "coordinator"
    )


def mark_matched(personas):
    """The personas' request, marked matched with `helper` (no offer, no conversation: for
    tests about what a match allows, not about how it is made)."""
    help_request = personas.help_request
    help_request.status = RequestStatus.MATCHED
    help_request.matched_helper = personas.helper
    help_request.save()
    return help_request


@pytest.fixture
def matched(personas):
    """See mark_matched."""
    return mark_matched(personas)
