import pytest

from tests.personas import People

# Namur: a current Belgian postcode, in the place data that accounts.services checks against.
KNOWN_POSTCODE = "5000"


@pytest.fixture
def known_postcode(places) -> str:
    """A postcode the real accounts service accepts."""
    return KNOWN_POSTCODE


@pytest.fixture
def person(db):
    """The requester persona, with the address and name the sign-in tests type and look for."""
    return People(
        requester={"email": "marie@example.org", "display_name": "Marie Dubois"}
    ).requester
