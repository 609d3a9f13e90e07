"""Messaging fixtures: personas in a conversation, and a channel layer of their own.

The channel layers are the real Redis at REDIS_URL, configured as in settings.py but with a
prefix unique to the test, so that tests (and other people's test runs on the same Redis) never
see each other's groups.
"""

import uuid

import pytest
from rest_framework.authtoken.models import Token

from messaging import ratelimit
from tests.accounts.factories import UserFactory
from tests.messaging.factories import ConversationFactory
from tests.personas import People


def channel_layers_on(redis_url: str, prefix: str) -> dict:
    """CHANNEL_LAYERS as settings.py has them (default + messaging), on `redis_url`."""
    return {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [redis_url], "prefix": prefix, "capacity": 1000, "expiry": 60},
        },
        "messaging": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [redis_url], "prefix": prefix},
        },
    }


@pytest.fixture(autouse=True)
def private_channel_layer(settings):
    """The real Redis channel layers, under a prefix of this test's own."""
    settings.CHANNEL_LAYERS = channel_layers_on(
        settings.REDIS_URL, f"test-{uuid.uuid4().hex[:12]}."
    )
    return settings.CHANNEL_LAYERS


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    ratelimit.reset()
    yield
    ratelimit.reset()


# requester and helper: the personas of tests/personas.py (fixtures in tests/conftest.py).


@pytest.fixture
def personas(db) -> People:
    """The base personas; the helper's name is the one the conversation page tests look for."""
    return People(helper={"user__display_name": "Bart Helper"})


@pytest.fixture
def outsider(personas):
    """The base outsider, in a conversation of their own but not in `conversation`."""
    ConversationFactory(participants=[personas.outsider, UserFactory()])
    return personas.outsider


@pytest.fixture
def conversation(requester, helper):
    return ConversationFactory(participants=[requester, helper])


def token_for(user) -> str:
    return Token.objects.get_or_create(user=user)[0].key
