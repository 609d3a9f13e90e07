import pytest
from rest_framework.test import APIClient

from tests.accounts.smtp import smtp_mailbox  # noqa: F401 (a fixture for this folder)


@pytest.fixture(autouse=True)
def _places(places) -> None:
    """Registration and profiles check postcodes against the place data (tests/conftest.py)."""


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()
