"""Personas for the matching API: a requester with an open request near Namur, a verified
helper who fits it, an unverified helper, an outsider and a coordinator."""

from types import SimpleNamespace

import pytest
from rest_framework.test import APIClient

from tests.accounts.factories import CoordinatorFactory, UserFactory
from tests.matching.factories import HelperProfileFactory, VerifiedHelperFactory
from tests.requests_app.factories import HelpRequestFactory


@pytest.fixture(autouse=True)
def _places(places) -> None:
    """Profiles check postcodes and points against the place data (tests/conftest.py)."""


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()




@pytest.fixture
def personas(db) -> SimpleNamespace:
    requester = UserFactory(postcode="5000")
    help_request = HelpRequestFactory(requester=requester)
    return SimpleNamespace(
        requester=requester,
        help_request=help_request,
        helper=VerifiedHelperFactory().user,
        unverified_helper=HelperProfileFactory().user,
        outsider=UserFactory(),
        coordinator=CoordinatorFactory(),
        anonymous=None,
    )
