import pytest

from tests.accounts.factories import UserFactory

# Namur: a current Belgian postcode, in the place data that accounts.services checks against.
KNOWN_POSTCODE = "5000"


@pytest.fixture
def known_postcode(places) -> str:
    """A postcode the real accounts service accepts."""
    return KNOWN_POSTCODE


@pytest.fixture
def person(db):
    return UserFactory(email="marie@example.org", display_name="Marie Dubois", language="fr")
