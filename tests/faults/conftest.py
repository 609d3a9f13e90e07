"""Two personas (tests/personas.py) in a conversation, with an API token each, committed for real
server processes."""

import pytest
from rest_framework.authtoken.models import Token

from tests.messaging.factories import ConversationFactory
from tests.personas import People


@pytest.fixture
def personas(transactional_db) -> People:
    """Committed: the servers under test read them from other connections."""
    return People()


@pytest.fixture
def conversation(requester, helper):
    return ConversationFactory(participants=[requester, helper])


def token_for(user) -> str:
    return Token.objects.get_or_create(user=user)[0].key
