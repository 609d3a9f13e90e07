"""Periodic jobs enqueued by the worker (core/periodic.py), once per slot; the hourly
"request closes soon" notice, once per request and expiry, to the requester side."""

import datetime

import pytest
from django.core import mail
from django.utils import timezone

from core.periodic import periodic_jobs_enqueue
from notifications.models import Notification
from notifications.selectors import notification_text
from requests_app.models import HelpRequest, RequestStatus
from requests_app.services import requests_expiring_announce
from tests.accounts.factories import UserFactory
from tests.jobs import jobs_run, jobs_waiting
from tests.requests_app.factories import HelpRequestFactory, OfferFactory

pytestmark = pytest.mark.django_db

HOUR = datetime.timedelta(hours=1)
DAY = datetime.timedelta(days=1)
BRUSSELS = datetime.timezone(datetime.timedelta(hours=1))  # December: UTC+1


def at_brussels(hour: int, minute: int = 0) -> datetime.datetime:
    return datetime.datetime(2026, 12, 7, hour, minute, tzinfo=BRUSSELS)


def created_ago(help_request, age: datetime.timedelta):
    HelpRequest.objects.filter(pk=help_request.pk).update(created_at=timezone.now() - age)
    help_request.refresh_from_db()
    return help_request


def expiring_notices(person=None):
    rows = Notification.objects.filter(kind="request.expiring")
    return list(rows.filter(recipient=person) if person else rows)


# --- The schedule ------------------------------------------------------------------------------


def test_each_periodic_job_is_enqueued_once_per_slot(settings):
    settings.NOTIFICATION_DIGEST_TIME = "08:00"
    settings.JOBS_PERIODIC = {
        "hourly": {"task": "requests_app.jobs.requests_expiring_announce", "every": "hour"},
        "daily": {"task": "notifications.jobs.email_digests_plan", "every": "day", "at": "08:00"},
    }

    assert periodic_jobs_enqueue(now=at_brussels(7, 10)) == ["hourly"]  # the digest: not yet
    assert periodic_jobs_enqueue(now=at_brussels(7, 50)) == []  # same hour: nothing new
    assert periodic_jobs_enqueue(now=at_brussels(8, 5)) == ["hourly", "daily"]
    assert periodic_jobs_enqueue(now=at_brussels(8, 6)) == []  # a second worker, a restart
    assert periodic_jobs_enqueue(now=at_brussels(23, 0)) == ["hourly"]  # the day's digest is done
    assert sorted(jobs_waiting()) == [
        "notifications.jobs.email_digests_plan",
        *["requests_app.jobs.requests_expiring_announce"] * 3,
    ]


def test_the_periodic_job_runs_even_when_it_found_nothing_and_is_not_enqueued_again():
    periodic_jobs_enqueue()
    jobs_run()
    assert jobs_waiting() == []
    assert periodic_jobs_enqueue() == []  # finished counts: the slot is done


# --- request.expiring ------------------------------------------------------------------------


def test_a_request_starting_within_a_day_is_announced_once_to_the_requester_side():
    coordinator = UserFactory(language="nl")
    help_request = created_ago(
        HelpRequestFactory(
            created_by=coordinator, starts_at=timezone.now() + 20 * HOUR, requester__language="fr"
        ),
        3 * DAY,
    )

    assert requests_expiring_announce() == [help_request.pk]
    assert requests_expiring_announce() == [help_request.pk]  # the next hour: announced again,

    notices = expiring_notices()  # but told once, to each of the two
    assert sorted(notice.recipient_id for notice in notices) == sorted(
        [help_request.requester_id, coordinator.pk]
    )
    [for_the_requester] = expiring_notices(help_request.requester)
    title, body = notification_text(notification=for_the_requester, language="fr")
    assert title == "Votre demande sera bientôt clôturée : Courses"
    assert body.startswith("Personne ne s’est encore proposé")
    assert for_the_requester.url == f"/requests/{help_request.pk}/"


def test_a_later_start_is_a_new_expiry_and_a_new_notice():
    help_request = created_ago(HelpRequestFactory(starts_at=timezone.now() + 20 * HOUR), 3 * DAY)
    requests_expiring_announce()
    HelpRequest.objects.filter(pk=help_request.pk).update(starts_at=timezone.now() + 30 * HOUR)
    requests_expiring_announce(now=timezone.now() + 10 * HOUR)

    assert len(expiring_notices()) == 2


def test_a_request_reaching_its_thirty_days_is_announced():
    old = created_ago(HelpRequestFactory(), 29 * DAY + 6 * HOUR)
    young = created_ago(HelpRequestFactory(), 20 * DAY)

    assert requests_expiring_announce() == [old.pk]
    assert young.pk not in requests_expiring_announce()


def test_no_notice_for_a_request_created_close_to_its_start_nor_for_a_matched_or_far_one():
    created_ago(HelpRequestFactory(starts_at=timezone.now() + 10 * HOUR), 2 * HOUR)  # just asked
    matched = created_ago(
        HelpRequestFactory(starts_at=timezone.now() + 10 * HOUR, status=RequestStatus.MATCHED),
        3 * DAY,
    )
    created_ago(HelpRequestFactory(starts_at=timezone.now() + 3 * DAY), 3 * DAY)  # not yet
    created_ago(HelpRequestFactory(starts_at=timezone.now() - HOUR), 3 * DAY)  # already past

    assert requests_expiring_announce() == []
    assert matched.status == RequestStatus.MATCHED
    assert expiring_notices() == []


def test_pending_offers_are_what_the_notice_asks_to_answer():
    help_request = created_ago(HelpRequestFactory(starts_at=timezone.now() + 5 * HOUR), 2 * DAY)
    OfferFactory(request=help_request)
    OfferFactory(request=help_request)

    requests_expiring_announce()

    [notice] = expiring_notices()
    assert notice.params["offers"] == 2
    _title, body = notification_text(notification=notice, language="de")
    assert body.startswith("2 Angebote warten auf Ihre Antwort")


def test_the_hourly_job_through_the_worker_sends_the_email_once():
    help_request = created_ago(HelpRequestFactory(starts_at=timezone.now() + 5 * HOUR), 2 * DAY)

    assert "requests.expiring" in periodic_jobs_enqueue()
    jobs_run()
    # The next hour's run: the same request, no second notice or e-mail.
    periodic_jobs_enqueue(now=timezone.now() + HOUR)
    jobs_run()

    [notice] = expiring_notices()
    assert notice.recipient_id == help_request.requester_id
    assert [message.to for message in mail.outbox] == [[help_request.requester.email]]
