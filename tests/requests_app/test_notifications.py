"""Notifications: eligible helpers hear of new requests, requesters of offers, helpers of
accepts — after commit, in each person's language, and never at the cost of the request."""

import pytest
from django.core import mail

from requests_app import notifications
from requests_app.services import help_request_create, match_confirm, offer_create
from tests.accounts.factories import UserFactory
from tests.geo.factories import NAMUR, point_at
from tests.matching.factories import VerifiedHelperFactory
from tests.requests_app.factories import OfferFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def events(monkeypatch):
    """Every event handed to messaging's notify_user / notify_users, as (user id, event)."""
    sent = []
    monkeypatch.setattr(
        notifications, "notify_user", lambda *, user_id, event: sent.append((user_id, event))
    )
    monkeypatch.setattr(
        notifications,
        "notify_users",
        lambda *, user_ids, event: sent.extend((user_id, event) for user_id in user_ids),
    )
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

    assert sorted(user_id for user_id, _ in events) == sorted([dutch.pk, german.pk])
    assert all(
        event == {"type": "request.created", "request": help_request.pk, "category": "shopping"}
        for _, event in events
    )
    subjects = {message.to[0]: message.subject for message in mail.outbox}
    assert set(subjects) == {"an@example.be", "jo@example.be"}
    assert subjects["an@example.be"].startswith("Iemand in uw buurt vraagt hulp")
    assert subjects["jo@example.be"].startswith("Jemand in Ihrer Nähe bittet um Hilfe")
    # The email never carries the description or the place.
    assert all("Courses au marché" not in message.body for message in mail.outbox)


def test_nothing_is_sent_before_the_commit(django_capture_on_commit_callbacks, events):
    VerifiedHelperFactory()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        create_request(UserFactory())

    assert callbacks
    assert events == [] and mail.outbox == []


def test_only_the_nearest_helpers_are_told(django_capture_on_commit_callbacks, events, monkeypatch):
    monkeypatch.setattr(notifications, "MAX_HELPERS_NOTIFIED", 2)
    near = VerifiedHelperFactory(location=point_at(NAMUR, km=0.5)).user
    middle = VerifiedHelperFactory(location=point_at(NAMUR, km=1.5)).user
    VerifiedHelperFactory(location=point_at(NAMUR, km=3))

    with django_capture_on_commit_callbacks(execute=True):
        create_request(UserFactory())

    assert sorted(user_id for user_id, _ in events) == sorted([near.pk, middle.pk])
    assert len(mail.outbox) == 2


def test_a_mail_server_failure_never_breaks_the_request(
    django_capture_on_commit_callbacks, events, monkeypatch
):
    helper = VerifiedHelperFactory().user

    def broken_send(self, *args, **kwargs):
        raise ConnectionRefusedError("SMTP is down")

    monkeypatch.setattr(mail.EmailMessage, "send", broken_send)

    with django_capture_on_commit_callbacks(execute=True):
        help_request = create_request(UserFactory())

    assert help_request.pk is not None
    assert [user_id for user_id, _ in events] == [helper.pk]


def test_a_channel_layer_failure_never_breaks_the_request(
    django_capture_on_commit_callbacks, monkeypatch
):
    VerifiedHelperFactory()

    def broken_notify(**arguments):
        raise ConnectionError("Redis is down")

    monkeypatch.setattr(notifications, "notify_user", broken_notify)
    monkeypatch.setattr(notifications, "notify_users", broken_notify)

    with django_capture_on_commit_callbacks(execute=True):
        help_request = create_request(UserFactory())

    assert help_request.pk is not None
    assert len(mail.outbox) == 1


def test_the_requester_hears_of_an_offer(django_capture_on_commit_callbacks, events):
    helper = VerifiedHelperFactory().user
    requester = UserFactory()
    help_request = create_request(requester)
    events.clear()

    with django_capture_on_commit_callbacks(execute=True):
        offer = offer_create(help_request=help_request, helper_user=helper)

    assert events == [
        (
            requester.pk,
            {
                "type": "offer.created",
                "offer": offer.pk,
                "request": help_request.pk,
                "helper": helper.pk,
            },
        )
    ]


def test_the_helper_hears_of_the_accept_by_event_and_email(
    django_capture_on_commit_callbacks, events
):
    offer = OfferFactory(
        helper=VerifiedHelperFactory(user__language="en", user__email="sam@example.be").user
    )

    with django_capture_on_commit_callbacks(execute=True):
        conversation = match_confirm(offer=offer)

    assert (
        offer.helper_id,
        {
            "type": "offer.accepted",
            "offer": offer.pk,
            "request": offer.request_id,
            "conversation": conversation.pk,
        },
    ) in events
    assert [message.to for message in mail.outbox] == [["sam@example.be"]]
    assert mail.outbox[0].subject == "Your offer of help was accepted"
