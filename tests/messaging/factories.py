"""Conversations and messages for tests."""

import uuid

import factory
from django.db.models import F
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

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        # The next number of the conversation, as messaging.services.message_send gives it.
        if kwargs.get("seq") is None:
            conversation = kwargs["conversation"]
            Conversation.objects.filter(pk=conversation.pk).update(
                last_message_seq=F("last_message_seq") + 1
            )
            kwargs["seq"] = (
                Conversation.objects.filter(pk=conversation.pk)
                .values_list("last_message_seq", flat=True)
                .get()
            )
        return super()._create(model_class, *args, **kwargs)
