"""requests_expire and `manage.py expire_requests`: open requests nobody took expire."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from requests_app.models import HelpRequest, OfferStatus, RequestStatus
from requests_app.services import requests_expire
from tests.requests_app.factories import HelpRequestFactory, OfferFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def aged(help_request, days: int):
    HelpRequest.objects.filter(pk=help_request.pk).update(created_at=timezone.now() - days * DAY)
    return help_request


def status_of(help_request) -> str:
    help_request.refresh_from_db()
    return help_request.status


def test_an_open_request_whose_start_has_passed_expires():
    help_request = HelpRequestFactory(starts_at=timezone.now() - datetime.timedelta(hours=1))

    assert requests_expire() == [help_request.pk]
    assert status_of(help_request) == RequestStatus.EXPIRED


def test_an_open_request_older_than_30_days_expires():
    old = aged(HelpRequestFactory(), days=31)
    recent = aged(HelpRequestFactory(), days=29)

    requests_expire()

    assert (status_of(old), status_of(recent)) == (RequestStatus.EXPIRED, RequestStatus.OPEN)


def test_a_request_starting_later_stays_open():
    help_request = HelpRequestFactory(starts_at=timezone.now() + DAY)

    assert requests_expire() == []
    assert status_of(help_request) == RequestStatus.OPEN


@pytest.mark.parametrize(
    "status", [RequestStatus.MATCHED, RequestStatus.COMPLETED, RequestStatus.CANCELLED]
)
def test_requests_that_are_not_open_never_expire(status):
    help_request = aged(HelpRequestFactory(status=status, starts_at=timezone.now() - DAY), days=60)

    requests_expire()

    assert status_of(help_request) == status


def test_pending_offers_of_expired_requests_are_declined():
    offer = OfferFactory(request=aged(HelpRequestFactory(), days=40))

    requests_expire()

    offer.refresh_from_db()
    assert offer.status == OfferStatus.DECLINED


def test_now_can_be_given():
    help_request = HelpRequestFactory(starts_at=timezone.now() + 2 * DAY)

    assert requests_expire(now=timezone.now() + 3 * DAY) == [help_request.pk]


def test_the_command_expires_and_says_how_many(capsys):
    aged(HelpRequestFactory(), days=31)

    call_command("expire_requests")

    assert "1 request(s) expired." in capsys.readouterr().out
    assert HelpRequest.objects.get().status == RequestStatus.EXPIRED
