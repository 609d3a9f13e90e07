"""Unread-message checks: one delayed check per reader and conversation covers a burst of
messages, and tells the reader of the newest message they have not read."""

import uuid

import pytest
from django.db import transaction
from django_tasks_db.models import DBTaskResult

from messaging import services as messaging_services
from notifications.jobs import conversation_unread_check, message_unread_check
from notifications.models import Notification, PendingUnreadCheck
from tests.accounts.factories import UserFactory
from tests.messaging.factories import ConversationFactory

pytestmark = pytest.mark.django_db

CHECK = "notifications.jobs.conversation_unread_check"


@pytest.fixture
def people():
    return UserFactory(display_name="Anne"), UserFactory(display_name="Bram")


@pytest.fixture
def conversation(people):
    return ConversationFactory(participants=list(people))


def send(conversation, sender, body="Hello"):
    message, _created = messaging_services.message_send(
        conversation=conversation, sender=sender, body=body, client_id=uuid.uuid4()
    )
    return message


def checks_queued():
    return list(
        DBTaskResult.objects.filter(status="READY", task_path=CHECK).values_list(
            "args_kwargs", flat=True
        )
    )


def test_a_burst_of_messages_queues_one_check_for_the_reader_only(conversation, people):
    anne, bram = people
    for body in ("One", "Two", "Three"):
        send(conversation, anne, body)

    [queued] = checks_queued()
    assert queued["kwargs"] == {"conversation_id": conversation.pk, "reader_id": bram.pk}
    assert list(PendingUnreadCheck.objects.values_list("reader_id", flat=True)) == [bram.pk]


def test_the_check_tells_of_the_newest_unread_message_once(conversation, people):
    anne, bram = people
    send(conversation, anne, "One")
    newest = send(conversation, anne, "Two")

    assert conversation_unread_check.call(conversation_id=conversation.pk, reader_id=bram.pk)
    [notification] = Notification.objects.filter(recipient=bram)
    assert notification.kind == "message.unread"
    assert notification.key == f"message:{newest.pk}"
    assert notification.params == {"conversation": conversation.pk, "name": "Anne"}
    assert not PendingUnreadCheck.objects.exists()

    # The next message schedules a new check; while the notification is unread, no second one.
    send(conversation, anne, "Three")
    assert len(checks_queued()) == 2
    assert not conversation_unread_check.call(conversation_id=conversation.pk, reader_id=bram.pk)
    assert Notification.objects.filter(recipient=bram).count() == 1


def test_a_reader_who_has_read_everything_is_not_told(conversation, people):
    anne, bram = people
    newest = send(conversation, anne, "One")
    messaging_services.messages_read_mark(conversation=conversation, user=bram, up_to=newest.pk)

    assert not conversation_unread_check.call(conversation_id=conversation.pk, reader_id=bram.pk)
    assert not Notification.objects.exists()
    assert not PendingUnreadCheck.objects.exists()


def test_ones_own_messages_are_never_unread_for_oneself(conversation, people):
    anne, _bram = people
    send(conversation, anne, "One")
    assert not conversation_unread_check.call(conversation_id=conversation.pk, reader_id=anne.pk)


def test_a_message_rolled_back_schedules_nothing(conversation, people):
    anne, _bram = people
    with pytest.raises(RuntimeError), transaction.atomic():
        send(conversation, anne, "One")
        raise RuntimeError("the request failed after the message")
    assert not PendingUnreadCheck.objects.exists()
    assert checks_queued() == []


def test_a_check_queued_per_message_before_the_change_still_runs(conversation, people):
    anne, bram = people
    message = send(conversation, anne, "One")
    assert message_unread_check.call(message_id=message.pk, reader_id=bram.pk)
    assert Notification.objects.get(recipient=bram).key == f"message:{message.pk}"
