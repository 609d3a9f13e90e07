"""The daily digest (messages and nearby requests gathered in one e-mail for people who chose
it) and quiet hours (an e-mail due then waits until they end), with a real SMTP server."""

import datetime
import re
import urllib.parse
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from notifications.jobs import email_deliver, email_digest_deliver, email_digests_plan
from notifications.models import Delivery
from notifications.services import notification_create
from tests.accounts.factories import UserFactory
from tests.clients import client_for
from tests.jobs import jobs_run, jobs_waiting
from tests.notifications.smtp_sink import SmtpSink, html_of, text_of

pytestmark = pytest.mark.django_db

TODAY = "2026-12-07"


@pytest.fixture
def smtp(settings):
    with SmtpSink() as sink:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", sink.port
        yield sink


def choose(person, **changes):
    response = client_for(person).put("/api/me/notification-settings/", changes, format="json")
    assert response.status_code == 200, response.content


def nearby(person, request_id):
    return notification_create(
        recipient=person,
        kind="request.nearby",
        params={
            "request": request_id,
            "category": "shopping",
            "postcode": "5000",
            "duration_minutes": 90,
        },
        url="/helper/",
        key=f"request:{request_id}",
    )


def unread_message(person, conversation_id):
    return notification_create(
        recipient=person,
        kind="message.unread",
        params={"conversation": conversation_id, "name": "Jo"},
        url=f"/conversations/{conversation_id}/",
        key=f"message:{conversation_id}",
    )


def quiet_around_now() -> dict:
    """Quiet hours from an hour ago to an hour from now (local time)."""
    local = timezone.now().astimezone(ZoneInfo("Europe/Brussels"))
    hour = datetime.timedelta(hours=1)
    return {"start": (local - hour).strftime("%H:%M"), "end": (local + hour).strftime("%H:%M")}


def delayed_jobs(task_path):
    return list(
        DBTaskResult.objects.filter(
            status="READY", task_path=task_path, run_after__gt=timezone.now()
        )
    )


def test_digest_kinds_wait_for_the_day_and_go_out_as_one_email_in_the_readers_language(smtp):
    helper = UserFactory(language="nl", email="jo@example.be", display_name="Jo")
    choose(helper, digest="daily")

    nearby(helper, 11)
    nearby(helper, 12)
    unread_message(helper, 5)
    notification_create(  # not a digest kind: its own e-mail at once
        recipient=helper, kind="proposal.created", params={"category": "shopping"}, url="/helper/"
    )
    jobs_run()
    assert [message["Subject"] for message in smtp.messages] == [
        "Er wordt u een vraag voorgesteld: Boodschappen"
    ]
    assert Delivery.objects.filter(status="digest").count() == 3

    assert email_digests_plan.call(slot=TODAY) == 1
    jobs_run()

    [_proposal, digest] = smtp.messages
    assert digest["To"] == "jo@example.be"
    assert digest["Subject"] == "Uw dag op Tandem: 3 nieuwe meldingen"
    assert digest["Content-Language"] == "nl"
    text = text_of(digest)
    assert "Hallo Jo," in text and "Hallo Jo," in html_of(digest)
    assert text.count("Iemand in uw buurt vraagt hulp: Boodschappen") == 2
    assert "Ongelezen bericht van Jo" in text
    assert "/conversations/5/" in text
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}

    # The plan again (a retry, a second worker), or the next day with nothing new: no e-mail.
    email_digests_plan.call(slot=TODAY)
    email_digest_deliver.call(recipient_id=helper.pk, day=TODAY)
    jobs_run()
    assert len(smtp.messages) == 2


def test_the_digests_one_click_unsubscribe_stops_the_kinds_it_gathers(smtp):
    helper = UserFactory(language="fr", email="lea@example.be")
    choose(helper, digest="daily")
    nearby(helper, 11)
    email_digests_plan.call(slot=TODAY)
    jobs_run()
    [digest] = smtp.messages
    assert digest["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    unsubscribe = re.fullmatch(r"<(.+)>", digest["List-Unsubscribe"].strip()).group(1)

    path = urllib.parse.urlsplit(unsubscribe).path
    response = Client(enforce_csrf_checks=True).post(
        path, "List-Unsubscribe=One-Click", content_type="text/plain"
    )
    assert response.status_code == 200
    email = client_for(helper).get("/api/me/notification-settings/").json()["email"]
    assert (email["request.nearby"], email["message.unread"]) == (False, False)
    assert email["offer.accepted"] is True


def test_a_kind_turned_off_before_the_digest_is_left_out(smtp):
    helper = UserFactory(language="en", email="sam@example.be")
    choose(helper, digest="daily")
    nearby(helper, 11)
    unread_message(helper, 5)
    choose(helper, email={"request.nearby": False})

    email_digests_plan.call(slot=TODAY)
    jobs_run()

    [digest] = smtp.messages
    assert "Unread message from" in text_of(digest)
    assert "asks for help" not in text_of(digest)
    assert sorted(Delivery.objects.values_list("status", flat=True)) == ["sent", "skipped"]


def test_a_digest_whose_send_fails_waits_and_is_sent_once_later(settings):
    helper = UserFactory()
    choose(helper, digest="daily")
    nearby(helper, 11)
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 1

    email_digests_plan.call(slot=TODAY)
    jobs_run()  # port 9: refused
    delivery = Delivery.objects.get()
    assert (delivery.status, delivery.attempts) == ("digest", 1)
    assert delivery.last_error  # what the mail server said is kept
    assert len(delayed_jobs("notifications.jobs.email_digest_deliver")) == 1

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    email_digest_deliver.call(recipient_id=helper.pk, day=TODAY)  # the retry, come early
    email_digest_deliver.call(recipient_id=helper.pk, day=TODAY)
    assert len(mail.outbox) == 1


def test_an_email_due_in_quiet_hours_waits_until_they_end():
    person = UserFactory()
    choose(person, quiet_hours=quiet_around_now())

    notification_create(
        recipient=person, kind="helper.verified", params={}, url="/helper/", key="verified"
    )
    jobs_run()

    assert mail.outbox == []
    [waiting] = delayed_jobs("notifications.jobs.email_deliver")
    local_end = waiting.run_after.astimezone(ZoneInfo("Europe/Brussels"))
    assert local_end.strftime("%H:%M") == quiet_around_now()["end"]


def test_a_planned_email_that_falls_in_quiet_hours_chosen_since_waits_too():
    person = UserFactory()
    notification = notification_create(
        recipient=person, kind="helper.verified", params={}, url="/helper/", key="verified"
    )
    choose(person, quiet_hours=quiet_around_now())

    assert email_deliver.call(delivery_id=notification.deliveries.get().pk) == "quiet hours"
    assert mail.outbox == []
    assert notification.deliveries.get().status == "pending"


def test_a_digest_due_in_quiet_hours_waits_until_they_end():
    helper = UserFactory()
    choose(helper, digest="daily", quiet_hours=quiet_around_now())
    nearby(helper, 11)

    email_digests_plan.call(slot=TODAY)
    jobs_run()

    assert mail.outbox == []
    assert "notifications.jobs.email_digest_deliver" in jobs_waiting()
    assert Delivery.objects.get().status == "digest"
