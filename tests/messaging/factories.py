"""Conversations and messages for tests."""

import uuid

import factory
from factory.django import DjangoModelFactory

from messaging.models import Conversation, Message, Participant
from tests.accounts.factories import UserFactory


class ConversationFactory(DjangoModelFactory):
    """A conversation between `participants` (two new people unless given)."""

    class Meta:
        model = Conversation
        skip_postgeneration_save = True

    @factory.post_generation
    def participants(conversation, create, extracted, **kwargs):
        if not create:
            return
        people = extracted if extracted is not None else [UserFactory(), UserFactory()]
        Participant.objects.bulk_create(
            Participant(conversation=conversation, user=person) for person in people
        )


class MessageFactory(DjangoModelFactory):
    class Meta:
        model = Message

    conversation = factory.SubFactory(ConversationFactory)
    sender = factory.LazyAttribute(lambda message: message.conversation.participants.first())
    body = factory.Sequence(lambda number: f"Message {number}")
    client_id = factory.LazyFunction(uuid.uuid4)
