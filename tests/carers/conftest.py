"""Fixtures of the carers tests: the service directory and the people of the persona tests."""

import pytest

from accounts.models import Role
from tests.accounts.factories import UserFactory
from tests.carers.fixtures import service_directory, service_directory_session  # noqa: F401


@pytest.fixture
def coordinator(db):
    return UserFactory(roles=[Role.COORDINATOR], display_name="Claire Coordinator")


@pytest.fixture
def helppie(db):
    return UserFactory(roles=[Role.HELPPIE], display_name="Henri Helppie", postcode="5000")


@pytest.fixture
def helper(db):
    return UserFactory(roles=[Role.HELPPER], display_name="Hélène Helper", postcode="5000")
