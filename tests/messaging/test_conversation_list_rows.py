"""GET /api/conversations/ reads plain rows in one query, written by ConversationOutputSerializer
(core.fast_rows): the answer is what the serializer writes of the conversations, item by item.
tests/test_fast_paths.py compares the bytes for every persona and language."""

import pytest

from core.fast_rows import rows_data
from messaging import selectors, services
from messaging.models import Conversation, Message
from messaging.serializers import ConversationOutputSerializer
from tests.accounts.factories import UserFactory
from tests.carers.factories import ReferralFactory
from tests.clients import client_for
from tests.messaging.factories import ConversationFactory, MessageFactory
from tests.requests_app.factories import HelpRequestFactory

pytestmark = pytest.mark.django_db

URL = "/api/conversations/"


def serializer_view(conversation_id: int, *, user) -> dict:
    """The reference: the conversation as ConversationOutputSerializer shows it to `user`,
    with its last message and unread count worked out the plain ORM way."""
    conversation = Conversation.objects.get(pk=conversation_id)
    own = conversation.memberships.get(user=user)
    conversation.last_message = conversation.messages.order_by("-id").first()
    conversation.unread_count = (
        conversation.messages.filter(id__gt=own.last_read_message_id)
        .exclude(sender_id=user.pk)
        .count()
    )
    return ConversationOutputSerializer(conversation).data


@pytest.fixture
def busy_person(requester, helper):
    """`requester` in four conversations: about a request with messages both ways and a read
    position, with a third person and an erased sender, about a referral, and a silent one."""
    about_request = services.conversation_open(
        participants=[requester, helper], help_request=HelpRequestFactory(requester=requester)
    )
    first = MessageFactory(conversation=about_request, sender=helper, body="Bonjour")
    MessageFactory(conversation=about_request, sender=requester, body="Merci")
    MessageFactory(conversation=about_request, sender=helper, body="À mardi ✓")
    services.messages_read_mark(conversation=about_request, user=requester, up_to=first.pk)

    erased = UserFactory()
    three = ConversationFactory(participants=[requester, UserFactory(), erased])
    MessageFactory(conversation=three, sender=erased, body="Hallo")
    Message.objects.filter(conversation=three).update(sender=None)

    referral = services.conversation_open(
        participants=[requester, helper], referral_id=ReferralFactory(person=requester).pk
    )
    MessageFactory(conversation=referral, sender=requester)

    ConversationFactory(participants=[requester, UserFactory()])  # no message yet
    return requester


def test_each_item_is_what_the_serializer_shows(busy_person):
    items = client_for(busy_person).get(URL).json()

    assert len(items) == 4
    for item in items:
        assert item == serializer_view(item["id"], user=busy_person)


def test_the_order_is_last_message_first_and_silent_conversations_last(busy_person):
    quiet_newer = ConversationFactory(participants=[busy_person, UserFactory()])

    items = client_for(busy_person).get(URL).json()

    last_ids = [item["last_message"]["id"] for item in items if item["last_message"]]
    assert last_ids == sorted(last_ids, reverse=True) and len(last_ids) == 3
    silent = [item["id"] for item in items if item["last_message"] is None]
    assert [item["id"] for item in items[3:]] == silent
    assert silent[0] == quiet_newer.pk  # newest first among the silent ones


def test_messages_of_an_erased_sender_count_as_unread(busy_person):
    items = rows_data(
        ConversationOutputSerializer, selectors.conversation_list_for_user(user=busy_person)
    )

    [with_erased] = [item for item in items if (item["last_message"] or {}).get("body") == "Hallo"]
    assert with_erased["last_message"]["sender"] is None
    assert with_erased["unread_count"] == 1


def test_the_list_is_one_query(busy_person, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = selectors.conversation_list_for_user(user=busy_person)

    assert rows_data(ConversationOutputSerializer, rows)


def test_someone_without_conversations_gets_an_empty_list(db):
    stranger = UserFactory()

    assert not selectors.conversation_list_for_user(user=stranger)
    assert client_for(stranger).get(URL).json() == []
