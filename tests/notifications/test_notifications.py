"""Notifications as data: an inbox per person, written in the reader's language when read; read
marks; channel settings; e-mails sent by a job to a real SMTP server, once, with a one-click
unsubscribe that works without login and turns off that kind by e-mail only."""

import re
import urllib.parse

import pytest
from django.core import mail
from django.db import transaction
from django.test import Client

from notifications.jobs import email_deliver
from notifications.models import Delivery, Notification
from notifications.services import notification_create
from tests.accounts.factories import UserFactory
from tests.clients import client_for
from tests.jobs import jobs_run, jobs_waiting
from tests.notifications.smtp_sink import SmtpSink, html_of, text_of

pytestmark = pytest.mark.django_db


def offer_received(person, **params):
    return notification_create(
        recipient=person,
        kind="offer.received",
        params={"request": 7, "offer": 3, "category": "shopping", **params},
        url="/requests/7/",
    )


def test_the_inbox_is_written_in_the_readers_language_at_read_time():
    person = UserFactory(language="nl")
    offer_received(person)

    listed = client_for(person).get("/api/notifications/").json()
    assert [(row["kind"], row["title"]) for row in listed] == [
        ("offer.received", "Een buur biedt hulp aan: Boodschappen")
    ]
    # The stored row holds no text, only what it is written from.
    stored = Notification.objects.get()
    assert stored.params == {"request": 7, "offer": 3, "category": "shopping"}

    person.language = "de"
    person.save()
    again = client_for(person).get("/api/notifications/").json()
    assert again[0]["title"].startswith("Jemand aus der Nachbarschaft bietet Hilfe an")


def test_read_marks_and_the_unread_count():
    person, other = UserFactory(), UserFactory()
    first, second = offer_received(person), offer_received(person)
    offer_received(other)
    api = client_for(person)

    assert api.get("/api/notifications/unread-count/").json() == {"count": 2}
    assert api.post(f"/api/notifications/{first.pk}/read/").status_code == 200
    assert api.get("/api/notifications/unread-count/").json() == {"count": 1}
    assert [row["id"] for row in api.get("/api/notifications/?unread=1").json()] == [second.pk]
    # Someone else's notification is unknown to this person.
    foreign = Notification.objects.get(recipient=other)
    assert api.post(f"/api/notifications/{foreign.pk}/read/").status_code == 404

    assert api.post("/api/notifications/read-all/").status_code == 200
    assert api.get("/api/notifications/unread-count/").json() == {"count": 0}
    assert client_for(other).get("/api/notifications/unread-count/").json() == {"count": 1}


def test_a_bad_unread_filter_is_a_400():
    assert client_for(UserFactory()).get("/api/notifications/?unread=yes").status_code == 400


def test_anonymous_people_get_401():
    assert client_for(None).get("/api/notifications/").status_code == 401


def test_settings_have_defaults_and_refuse_bad_input():
    person = UserFactory()
    api = client_for(person)

    defaults = api.get("/api/me/notification-settings/").json()
    assert defaults["email"]["offer.received"] is True
    assert defaults["digest"] == "off" and defaults["quiet_hours"] is None

    changed = api.put(
        "/api/me/notification-settings/",
        {
            "email": {"offer.received": False},
            "digest": "daily",
            "quiet_hours": {"start": "22:00", "end": "07:00"},
        },
        format="json",
    )
    assert changed.status_code == 200
    body = changed.json()
    assert body["email"]["offer.received"] is False
    assert body["email"]["offer.accepted"] is True  # untouched kinds keep their default
    assert body["quiet_hours"] == {"start": "22:00", "end": "07:00"}

    for bad in (
        {"email": {"no.such.kind": True}},
        {"email": {"offer.received": "yes"}},
        {"digest": "hourly"},
        {"quiet_hours": {"start": "25:00", "end": "07:00"}},
        {"colour": "blue"},
        {},
    ):
        assert api.put("/api/me/notification-settings/", bad, format="json").status_code == 400


def test_a_turned_off_kind_fills_the_inbox_but_sends_no_email():
    person = UserFactory()
    client_for(person).put(
        "/api/me/notification-settings/", {"email": {"offer.received": False}}, format="json"
    )

    offer_received(person)
    jobs_run()

    assert Notification.objects.filter(recipient=person).count() == 1
    assert mail.outbox == []


def test_an_email_job_run_twice_sends_once():
    person = UserFactory()
    notification = offer_received(person)
    delivery = notification.deliveries.get()

    jobs_run()
    email_deliver.call(delivery_id=delivery.pk)  # the same job again (a retry, a second worker)

    assert len(mail.outbox) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("sent", 1)


def test_a_failed_send_is_recorded_retried_later_and_never_turns_the_person_off(
    monkeypatch, settings
):
    settings.JOBS_MAX_ATTEMPTS = 2
    person = UserFactory()
    offer_received(person)

    def refused(self, *args, **kwargs):
        raise ConnectionRefusedError("no SMTP")

    monkeypatch.setattr(mail.EmailMessage, "send", refused)
    jobs_run()
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("pending", 1)
    assert jobs_waiting() == ["notifications.jobs.email_deliver"]  # delayed by the back-off

    with pytest.raises(ConnectionRefusedError):  # the last attempt: a FAILED job (jobs_failed)
        email_deliver.call(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert delivery.status == "failed" and "no SMTP" in delivery.last_error
    assert (
        client_for(person).get("/api/me/notification-settings/").json()["email"]["offer.received"]
    )


@pytest.mark.django_db(transaction=True)
def test_an_email_at_a_real_smtp_server_in_the_readers_language_with_one_click_unsubscribe(
    settings,
):
    person = UserFactory(language="fr", email="lea@example.be", display_name="Léa")
    with SmtpSink() as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
        with transaction.atomic():
            offer_received(person)
        jobs_run()

    [message] = sink.messages
    assert message["To"] == "lea@example.be"
    assert message["Subject"] == "Un voisin propose son aide : Courses"
    assert message["Content-Language"] == "fr"
    assert "Bonjour Léa," in text_of(message)
    assert "Bonjour Léa," in html_of(message)
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = re.fullmatch(r"<(.+)>", message["List-Unsubscribe"].strip()).group(1)
    assert unsubscribe in text_of(message)

    # A plain HTTP client, no session, no CSRF token: as a mail client does it (RFC 8058).
    anonymous = Client(enforce_csrf_checks=True)
    path = urllib.parse.urlsplit(unsubscribe).path
    assert anonymous.get(path).status_code == 200  # shows a button, changes nothing
    assert (
        client_for(person).get("/api/me/notification-settings/").json()["email"]["offer.received"]
    )
    response = anonymous.post(path, "List-Unsubscribe=One-Click", content_type="text/plain")
    assert response.status_code == 200

    choices = client_for(person).get("/api/me/notification-settings/").json()["email"]
    assert choices["offer.received"] is False
    assert choices["offer.accepted"] is True  # only that kind
    assert anonymous.post(path[:-5] + "xxxx/").status_code == 400  # a damaged token
