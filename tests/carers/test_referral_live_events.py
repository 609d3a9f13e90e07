"""Partner services are told live (issue 14; docs/REFERRALS.md "What people are told"): a
referral sent to a service and a reminder about it reach that service's workers on their
notification socket (`/ws/notifications/`, the bell), as `notification.created` — and never the
workers of another service. Real Channels: the ASGI application, the Redis channel layer under a
prefix of the test's own, committed rows (the consumers read them from other threads).

Service A's worker is `service_worker`, service B's `other_service_worker` (tests/personas.py).
"""

import datetime
import json

import pytest
from channels.db import database_sync_to_async
from django.test import override_settings
from django.utils import timezone

from carers.models import Referral
from carers.services.loop import (
    referral_consent_withdraw,
    referral_partner_move,
    referral_reminders_send,
)
from notifications.models import Notification
from tests.carers.factories import referral_sent
from tests.messaging.conftest import channel_layers_on
from tests.messaging.sockets import frame_of_type, open_socket

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("places")]

QUIET_SECONDS = 0.5  # how long a socket that must hear nothing is listened to


@pytest.fixture(autouse=True)
def private_channel_layer(settings):
    import uuid

    settings.CHANNEL_LAYERS = channel_layers_on(
        settings.REDIS_URL, f"test-{uuid.uuid4().hex[:12]}."
    )


@pytest.fixture
def cast(personas):
    """Everyone committed before the sockets open: the two services' workers, the two people
    the referrals are about, and the coordinator who sends them."""
    personas.create(
        "requester", "other_requester", "coordinator", "service_worker", "other_service_worker"
    )
    return personas


async def bell_of(user):
    """`user`'s notification socket, past its opening unread counts."""
    communicator, connected, code = await open_socket("/ws/notifications/", user=user)
    assert connected, f"refused with {code}"
    await frame_of_type(communicator, "unread")
    return communicator


def sent(personas, *, person, service) -> Referral:
    """A referral about `person`, sent to `service` with their consent (given online)."""
    return referral_sent(person=person, service=service, coordinator=personas.coordinator)


async def notification_frame(communicator, kind: str) -> tuple[dict, Notification]:
    """The next `notification.created` frame of `kind` (others skipped) and its stored row."""
    while True:
        frame = await frame_of_type(communicator, "notification.created")
        if frame["notification"]["kind"] == kind:
            row = await database_sync_to_async(Notification.objects.get)(
                pk=frame["notification"]["id"]
            )
            return frame, row


async def nothing_more(communicator) -> list[dict]:
    """Every frame the socket gets in the next QUIET_SECONDS (none expected)."""
    frames = []
    while not await communicator.receive_nothing(timeout=QUIET_SECONDS):
        frames.append(await communicator.receive_json_from())
    return frames


async def test_a_referral_sent_to_service_a_reaches_as_worker_live_and_nobody_at_b(cast):
    worker_a = await bell_of(cast.service_worker)
    worker_b = await bell_of(cast.other_service_worker)
    person = await bell_of(cast.requester)

    referral = await database_sync_to_async(sent)(
        cast, person=cast.requester, service=cast.partner_service
    )

    frame, row = await notification_frame(worker_a, "referral.received")
    assert (row.recipient_id, row.params["referral"]) == (cast.service_worker.pk, referral.pk)
    assert frame["notification"]["title"]  # rendered for the bell, in the worker's language
    # The person hears of it too (their referral was sent), on their own socket.
    told = (await notification_frame(person, "referral.updated"))[1]
    while told.params["status"] != "sent":  # first: their consent was recorded
        told = (await notification_frame(person, "referral.updated"))[1]
    assert told.recipient_id == cast.requester.pk
    # Service B's worker hears nothing at all.
    assert await nothing_more(worker_b) == []
    for socket in (worker_a, worker_b, person):
        await socket.disconnect()


async def test_each_service_hears_only_of_its_own_referrals_and_reminders(cast):
    worker_a = await bell_of(cast.service_worker)
    worker_b = await bell_of(cast.other_service_worker)

    to_a = await database_sync_to_async(sent)(
        cast, person=cast.requester, service=cast.partner_service
    )
    to_b = await database_sync_to_async(sent)(
        cast, person=cast.other_requester, service=cast.other_partner_service
    )
    _frame, received_a = await notification_frame(worker_a, "referral.received")
    _frame, received_b = await notification_frame(worker_b, "referral.received")
    assert received_a.params["referral"] == to_a.pk
    assert received_b.params["referral"] == to_b.pk

    # A week without an answer: each service is reminded of its own referral only.
    def remind():
        Referral.objects.filter(pk__in=[to_a.pk, to_b.pk]).update(
            sent_at=timezone.now() - datetime.timedelta(days=14)
        )
        with override_settings(
            REFERRAL_REMINDER_WORKING_DAYS=2, REFERRAL_ESCALATION_WORKING_DAYS=50
        ):
            return referral_reminders_send()

    assert await database_sync_to_async(remind)() == {"reminded": 2, "escalated": 0}
    _frame, reminder_a = await notification_frame(worker_a, "referral.reminder")
    _frame, reminder_b = await notification_frame(worker_b, "referral.reminder")
    assert (reminder_a.recipient_id, reminder_a.params["referral"]) == (
        cast.service_worker.pk,
        to_a.pk,
    )
    assert (reminder_b.recipient_id, reminder_b.params["referral"]) == (
        cast.other_service_worker.pk,
        to_b.pk,
    )
    # Nothing else reached either socket: no second frame about the other service's referral.
    leftovers_a, leftovers_b = await nothing_more(worker_a), await nothing_more(worker_b)
    assert leftovers_a == [] and leftovers_b == []
    for socket in (worker_a, worker_b):
        await socket.disconnect()


async def test_what_a_worker_is_told_never_names_the_other_services_person(cast):
    """Every frame service A's worker got, in full, while service B worked on its referral
    from start to end and A's person withdrew their consent from a second referral before a
    reminder was due: A's own sendings only — nothing about service B's referral or the person
    it is about, and no reminder of the withdrawn one."""
    worker_a = await bell_of(cast.service_worker)

    def both_services_at_work():
        to_a = sent(cast, person=cast.requester, service=cast.partner_service)
        withdrawn = sent(cast, person=cast.requester, service=cast.partner_service)
        referral_consent_withdraw(referral=withdrawn, actor=cast.requester)
        to_b = sent(cast, person=cast.other_requester, service=cast.other_partner_service)
        for move, reason in (("accept", ""), ("progress", ""), ("close", "no_need")):
            referral_partner_move(
                referral=to_b,
                worker=cast.other_service_worker,
                service=cast.other_partner_service,
                move=move,
                reason=reason,
            )
        another_b = sent(cast, person=cast.other_requester, service=cast.other_partner_service)
        Referral.objects.filter(pk__in=[withdrawn.pk, another_b.pk]).update(
            sent_at=timezone.now() - datetime.timedelta(days=14)
        )
        with override_settings(
            REFERRAL_REMINDER_WORKING_DAYS=2, REFERRAL_ESCALATION_WORKING_DAYS=50
        ):
            reminders = referral_reminders_send()
        return to_a, withdrawn, reminders

    to_a, withdrawn, reminders = await database_sync_to_async(both_services_at_work)()

    assert reminders == {"reminded": 1, "escalated": 0}  # service B's second referral
    frames = [await frame_of_type(worker_a, "notification.created")]
    frames += await nothing_more(worker_a)
    ids = [frame["notification"]["id"] for frame in frames]
    rows = await database_sync_to_async(
        lambda: list(Notification.objects.filter(pk__in=ids).order_by("pk"))
    )()
    assert [(row.kind, row.params["referral"]) for row in rows] == [
        ("referral.received", to_a.pk),
        ("referral.received", withdrawn.pk),
    ]
    text = json.dumps(frames, ensure_ascii=False)
    assert cast.other_requester.display_name not in text
    assert "CASD B" not in text  # service B's name
    await worker_a.disconnect()
