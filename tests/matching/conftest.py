"""Personas for the matching API (tests/personas.py): a requester with an open request near
Namur, a verified helper who fits it, an unverified helper, an outsider and a coordinator."""

import pytest
from rest_framework.test import APIClient

from tests.personas import People


@pytest.fixture(autouse=True)
def _places(places) -> None:
    """Profiles check postcodes and points against the place data (tests/conftest.py)."""


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()


@pytest.fixture
def personas(db) -> People:
    """Created up front: the candidate and nearby lists must find exactly these people."""
    return People().create(
        "requester", "help_request", "helper", "unverified_helper", "outsider", "coordinator"
    )
