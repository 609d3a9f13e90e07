"""Two people in a conversation, with an API token each, committed for real server processes."""

import pytest
from rest_framework.authtoken.models import Token

from tests.accounts.factories import UserFactory
from tests.messaging.factories import ConversationFactory


@pytest.fixture
def requester(transactional_db):
    return UserFactory(display_name="Anne Requester")


@pytest.fixture
def helper(transactional_db):
    return UserFactory(display_name="Bart Helper", helper=True)


@pytest.fixture
def conversation(requester, helper):
    return ConversationFactory(participants=[requester, helper])


def token_for(user) -> str:
    return Token.objects.get_or_create(user=user)[0].key
