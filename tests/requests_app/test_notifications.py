"""Notifications of the request flow: eligible helpers hear of new requests, requesters of
offers, helpers of accepts — from a background job after commit, in each person's language, and
never at the cost of the request (the e-mails never go out inside the request)."""

import pytest
from django.core import mail

from notifications import jobs as notification_jobs
from notifications.models import Notification
from requests_app.services import help_request_create, match_confirm, offer_create
from tests.accounts.factories import UserFactory
from tests.geo.factories import NAMUR, point_at
from tests.jobs import jobs_run
from tests.matching.factories import VerifiedHelperFactory
from tests.requests_app.factories import OfferFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(monkeypatch):
    """Every live event handed to core.realtime, as (user id, event), at once (no commit)."""
    from core import realtime

    sent = []

    def record(*, user_ids, event):
        sent.extend((user_id, event) for user_id in user_ids)

    monkeypatch.setattr(realtime, "notify_users", record)
    monkeypatch.setattr(
        realtime, "notify_user", lambda *, user_id, event: record(user_ids=[user_id], event=event)
    )
    for module in ("notifications.services", "notifications.jobs", "notifications.receivers"):
        target = __import__(module, fromlist=["x"])
        if hasattr(target, "notify_user"):
            monkeypatch.setattr(target, "notify_user", realtime.notify_user)
        if hasattr(target, "notify_users"):
            monkeypatch.setattr(target, "notify_users", record)
    return sent


def create_request(requester, **fields):
    return help_request_create(
        requester=requester,
        created_by=requester,
        category=fields.pop("category", "shopping"),
        description="Courses au marché.",
        location={"lat": NAMUR.y, "lon": NAMUR.x},
        duration_minutes=60,
        recurrence="once",
        **fields,
    )


def test_eligible_helpers_get_an_event_and_an_email_in_their_language(
    django_capture_on_commit_callbacks, events
):
    dutch = VerifiedHelperFactory(user__language="nl", user__email="an@example.be").user
    german = VerifiedHelperFactory(user__language="de", user__email="jo@example.be").user
    VerifiedHelperFactory(categories=["gardening"])  # not eligible: another category
    requester = UserFactory(postcode="5000")

    with django_capture_on_commit_callbacks(execute=True):
        help_request = create_request(requester)
    assert mail.outbox == []  # nothing is sent inside the request: a job does it
    with django_capture_on_commit_callbacks(execute=True):
        jobs_run()

    legacy = [(user_id, event) for user_id, event in events if event["type"] == "request.created"]
    assert sorted(user_id for user_id, _ in legacy) == sorted([dutch.pk, german.pk])
    assert all(
        event == {"type": "request.created", "request": help_request.pk, "category": "shopping"}
        for _, event in legacy
    )
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert set(subjects) == {"an@example.be", "jo@example.be"}
    assert subjects["an@example.be"].startswith("Iemand in uw buurt vraagt hulp")
    assert subjects["jo@example.be"].startswith("Jemand in Ihrer Nähe bittet um Hilfe")
    # The email never carries the description or the place.
    for message in mail.outbox:
        assert "Courses au marché" not in message.body
        assert all("Courses au marché" not in html for html, _ in message.alternatives)
    assert set(
        Notification.objects.filter(kind="request.nearby").values_list("recipient", flat=True)
    ) == {dutch.pk, german.pk}


def test_nothing_is_sent_before_the_commit(django_capture_on_commit_callbacks, events):
    VerifiedHelperFactory()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        create_request(UserFactory())

    assert events == [] and mail.outbox == []
    assert callbacks == [] or all(callable(callback) for callback in callbacks)


def test_only_the_nearest_helpers_are_told(django_capture_on_commit_callbacks, events, monkeypatch):
    monkeypatch.setattr(notification_jobs, "MAX_HELPERS_NOTIFIED", 2)
    near = VerifiedHelperFactory(location=point_at(NAMUR, km=0.5)).user
    middle = VerifiedHelperFactory(location=point_at(NAMUR, km=1.5)).user
    VerifiedHelperFactory(location=point_at(NAMUR, km=3))

    create_request(UserFactory())
    jobs_run()

    told = Notification.objects.filter(kind="request.nearby").values_list("recipient", flat=True)
    assert sorted(told) == sorted([near.pk, middle.pk])
    assert len(mail.outbox) == 2


def test_never_more_than_fifty_helpers_for_one_request():
    assert notification_jobs.MAX_HELPERS_NOTIFIED == 50


def test_a_mail_server_failure_never_breaks_the_request_and_is_retried(monkeypatch, settings):
    helper = VerifiedHelperFactory().user

    def broken_send(self, *args, **kwargs):
        raise ConnectionRefusedError("SMTP is down")

    monkeypatch.setattr(mail.EmailMessage, "send", broken_send)

    help_request = create_request(UserFactory())
    jobs_run()

    assert help_request.pk is not None
    notification = Notification.objects.get(recipient=helper, kind="request.nearby")
    delivery = notification.deliveries.get()
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert "SMTP is down" in delivery.last_error


def test_a_channel_layer_failure_never_breaks_the_request(
    django_capture_on_commit_callbacks, monkeypatch
):
    from notifications import services as notification_services

    VerifiedHelperFactory()

    def broken_notify(**arguments):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(notification_services, "notify_user", broken_notify)
    monkeypatch.setattr(notification_jobs, "notify_users", broken_notify)

    with django_capture_on_commit_callbacks(execute=True):
        help_request = create_request(UserFactory())
    with django_capture_on_commit_callbacks(execute=True):
        jobs_run()

    assert help_request.pk is not None
    assert len(mail.outbox) == 1


def test_the_requester_hears_of_an_offer(django_capture_on_commit_callbacks, events):
    helper = VerifiedHelperFactory().user
    requester = UserFactory(language="en")
    help_request = create_request(requester)
    events.clear()

    with django_capture_on_commit_callbacks(execute=True):
        offer = offer_create(help_request=help_request, helper_user=helper)

    assert (
        requester.pk,
        {
            "type": "offer.created",
            "offer": offer.pk,
            "request": help_request.pk,
            "helper": helper.pk,
        },
    ) in events
    created = [event for user_id, event in events if event["type"] == "notification.created"]
    assert [event["notification"]["kind"] for event in created] == ["offer.received"]
    assert created[0]["notification"]["title"] == "A neighbour offers to help: Shopping"


def test_the_helper_hears_of_the_accept_by_event_and_email(
    django_capture_on_commit_callbacks, events
):
    offer = OfferFactory(
        helper=VerifiedHelperFactory(user__language="en", user__email="sam@example.be").user
    )

    with django_capture_on_commit_callbacks(execute=True):
        conversation = match_confirm(offer=offer)
    jobs_run()

    assert (
        offer.helper_id,
        {
            "type": "offer.accepted",
            "offer": offer.pk,
            "request": offer.request_id,
            "conversation": conversation.pk,
        },
    ) in events
    to_helper = [message for message in mail.outbox if message.to == ["sam@example.be"]]
    assert [message.subject for message in to_helper] == ["Your offer of help was accepted"]
