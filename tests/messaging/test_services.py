"""messaging.services: opening conversations, sending, reading, notifying."""

import uuid

import pytest
from django.db import transaction

from core import realtime
from core.api_errors import DomainError
from messaging import services
from messaging.models import Message
from tests.accounts.factories import UserFactory
from tests.carers.factories import ReferralFactory
from tests.messaging.factories import MessageFactory
from tests.requests_app.factories import HelpRequestFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def sent_events(monkeypatch):
    """Every (group, event) handed to the channel layer, instead of Redis."""
    sent: list[tuple[str, dict]] = []

    def record(sends):
        sent.extend(sends)
        return True

    monkeypatch.setattr(realtime, "group_send_many_sync", record)
    return sent


def test_conversation_open_is_idempotent_for_the_same_request_and_people(requester, helper):
    help_request = HelpRequestFactory(requester=requester)
    first = services.conversation_open(participants=[requester, helper], help_request=help_request)
    again = services.conversation_open(participants=[helper, requester], help_request=help_request)
    assert again.pk == first.pk
    assert sorted(first.participants.values_list("id", flat=True)) == sorted(
        [requester.pk, helper.pk]
    )
    assert first.request_id == help_request.pk


def test_conversation_open_makes_a_new_one_for_other_people_or_another_request(requester, helper):
    help_request = HelpRequestFactory(requester=requester)
    first = services.conversation_open(participants=[requester, helper], help_request=help_request)
    other_helper = services.conversation_open(
        participants=[requester, UserFactory()], help_request=help_request
    )
    other_request = services.conversation_open(
        participants=[requester, helper], help_request=HelpRequestFactory(requester=requester)
    )
    referral = ReferralFactory(person=requester)
    about_referral = services.conversation_open(
        participants=[requester, helper], referral_id=referral.pk
    )
    ids = {first.pk, other_helper.pk, other_request.pk, about_referral.pk}
    assert len(ids) == 4
    assert about_referral.referral_id == referral.pk and about_referral.request_id is None


def test_conversation_open_needs_two_people(requester):
    with pytest.raises(ValueError):
        services.conversation_open(participants=[requester, requester])


def test_conversation_open_inside_a_transaction_tells_nobody_before_commit(
    requester, helper, sent_events, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        with transaction.atomic():  # e.g. the transaction accepting an offer
            services.conversation_open(participants=[requester, helper])
    assert sent_events == []
    for callback in callbacks:
        callback()
    assert len(sent_events) == 2


def test_conversation_open_notifies_both_participants_on_commit(
    requester, helper, sent_events, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        conversation = services.conversation_open(participants=[requester, helper])
    groups = sorted(group for group, _event in sent_events)
    assert groups == sorted(
        [
            realtime.user_notifications_group(requester.pk),
            realtime.user_notifications_group(helper.pk),
        ]
    )
    assert all(
        event["event"]
        == {"type": "conversation.opened", "conversation": conversation.pk, "request": None}
        for _group, event in sent_events
    )


def test_message_send_stores_then_broadcasts_after_commit(
    conversation, requester, helper, sent_events, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        message, created = services.message_send(
            conversation=conversation, sender=requester, body="Bonjour !", client_id=uuid.uuid4()
        )
    assert created and Message.objects.filter(pk=message.pk, body="Bonjour !").exists()
    assert sent_events == [] and message.delivery == realtime.DELIVERY_PENDING
    for callback in callbacks:
        callback()
    assert message.delivery == realtime.DELIVERY_LIVE
    assert sent_events[0] == (
        realtime.conversation_group(conversation.pk),
        {"type": "message.created", "message": services.message_payload(message)},
    )
    # The other participant's notification sockets hear of it; the sender's do not.
    assert [group for group, _event in sent_events[1:]] == [
        realtime.user_notifications_group(helper.pk)
    ]


def test_message_send_with_the_same_client_id_returns_the_stored_message_and_sends_it_again(
    conversation, requester, sent_events, django_capture_on_commit_callbacks
):
    client_id = uuid.uuid4()
    with django_capture_on_commit_callbacks(execute=True):
        first, created_first = services.message_send(
            conversation=conversation, sender=requester, body="Once", client_id=client_id
        )
    sent_events.clear()
    with django_capture_on_commit_callbacks(execute=True):
        again, created_again = services.message_send(
            conversation=conversation, sender=requester, body="Once", client_id=str(client_id)
        )
    assert (created_first, created_again) == (True, False)
    assert again.pk == first.pk and again.delivery == realtime.DELIVERY_LIVE
    assert Message.objects.filter(conversation=conversation).count() == 1
    # Only to the conversation's sockets (the sender retried because the first broadcast may
    # have died with its process); the other participant gets no second notification.
    assert sent_events == [
        (
            realtime.conversation_group(conversation.pk),
            {"type": "message.created", "message": services.message_payload(first)},
        )
    ]


def test_the_same_client_id_from_another_sender_is_another_message(conversation, requester, helper):
    client_id = uuid.uuid4()
    services.message_send(
        conversation=conversation, sender=requester, body="a", client_id=client_id
    )
    services.message_send(conversation=conversation, sender=helper, body="b", client_id=client_id)
    assert Message.objects.filter(conversation=conversation).count() == 2


def test_message_send_reports_degraded_delivery_when_the_channel_layer_is_down(
    conversation, requester, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(realtime, "group_send_many_sync", lambda sends: False)
    with django_capture_on_commit_callbacks(execute=True):
        message, created = services.message_send(
            conversation=conversation, sender=requester, body="Still stored", client_id=uuid.uuid4()
        )
    assert created and message.delivery == realtime.DELIVERY_DEGRADED
    assert Message.objects.filter(pk=message.pk).exists()


@pytest.mark.parametrize(
    ("body", "code"),
    [
        ("", "invalid_body"),
        ("   \n ", "invalid_body"),
        ("x" * 2001, "invalid_body"),
        (None, "invalid_body"),
        (42, "invalid_body"),
    ],
)
def test_message_send_refuses_bad_bodies(conversation, requester, body, code):
    with pytest.raises(DomainError) as refusal:
        services.message_send(
            conversation=conversation, sender=requester, body=body, client_id=uuid.uuid4()
        )
    assert refusal.value.code == code
    assert not Message.objects.exists()


def test_message_send_accepts_exactly_2000_characters(conversation, requester):
    message, created = services.message_send(
        conversation=conversation, sender=requester, body="é" * 2000, client_id=uuid.uuid4()
    )
    assert created and len(message.body) == 2000


def test_message_send_refuses_a_bad_client_id(conversation, requester):
    with pytest.raises(DomainError) as refusal:
        services.message_send(
            conversation=conversation, sender=requester, body="hi", client_id="not-a-uuid"
        )
    assert refusal.value.code == "invalid_client_id"


def test_message_send_refuses_someone_outside_the_conversation(conversation, outsider):
    with pytest.raises(DomainError) as refusal:
        services.message_send(
            conversation=conversation, sender=outsider, body="hi", client_id=uuid.uuid4()
        )
    assert (refusal.value.code, refusal.value.status_code) == ("not_participant", 403)
    assert not Message.objects.filter(conversation=conversation).exists()


def test_messages_read_mark_only_moves_forward_and_not_past_the_last_message(
    conversation, requester, helper
):
    first = MessageFactory(conversation=conversation, sender=helper)
    second = MessageFactory(conversation=conversation, sender=helper)
    assert (
        services.messages_read_mark(
            conversation=conversation, user=requester, up_to=second.pk + 1000
        )
        == second.pk
    )
    assert (
        services.messages_read_mark(conversation=conversation, user=requester, up_to=first.pk)
        == second.pk
    )
    membership = conversation.memberships.get(user=requester)
    assert membership.last_read_message_id == second.pk


def test_messages_read_mark_refuses_outsiders(conversation, outsider):
    with pytest.raises(DomainError):
        services.messages_read_mark(conversation=conversation, user=outsider, up_to=1)


def test_notify_user_sends_after_commit_and_never_raises_when_redis_is_down(
    requester, monkeypatch, django_capture_on_commit_callbacks
):
    def redis_down(sends):
        return False

    monkeypatch.setattr(realtime, "group_send_many_sync", redis_down)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        realtime.notify_user(user_id=requester.pk, event={"type": "offer.created", "offer": 3})
    assert len(callbacks) == 1


def test_notify_user_needs_an_event_type(requester):
    with pytest.raises(ValueError):
        realtime.notify_user(user_id=requester.pk, event={"offer": 3})
