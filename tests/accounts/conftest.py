import pytest
from rest_framework.test import APIClient


@pytest.fixture(autouse=True)
def _places(places) -> None:
    """Registration and profiles check postcodes against the place data (tests/conftest.py)."""


@pytest.fixture
def api_client() -> APIClient:
    return APIClient()
