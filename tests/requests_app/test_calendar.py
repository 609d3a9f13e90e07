"""Calendar files (RFC 5545): a request's date or series and its visits for its parties, as a
single download and as a private subscription feed per person whose secret address can be
revoked by a new one. Parsed back with the icalendar library, as a calendar application would."""

import datetime
import urllib.parse
from zoneinfo import ZoneInfo

import icalendar
import pytest
from django.test import Client
from django.utils import timezone

from requests_app.models import RequestStatus
from tests.accounts.factories import UserFactory
from tests.clients import client_for
from tests.requests_app.factories import HelpRequestFactory, VisitFactory

pytestmark = pytest.mark.django_db

BRUSSELS = ZoneInfo("Europe/Brussels")


def next_tuesday_at_ten() -> datetime.datetime:
    today = timezone.localdate()
    day = today + datetime.timedelta(days=(1 - today.weekday()) % 7 or 7)
    return datetime.datetime.combine(day, datetime.time(10, 0), tzinfo=BRUSSELS)


def events_of(body: bytes) -> list:
    calendar = icalendar.Calendar.from_ical(body)
    return list(calendar.walk("VEVENT"))


def download(user, help_request):
    return client_for(user).get(f"/api/requests/{help_request.pk}/calendar.ics")


def feed_path(user) -> str:
    url = client_for(user).get("/api/me/calendar/").json()["url"]
    return urllib.parse.urlsplit(url).path


@pytest.fixture
def weekly_matched():
    helper = UserFactory(language="nl")
    help_request = HelpRequestFactory(
        starts_at=next_tuesday_at_ten(),
        recurrence="weekly",
        duration_minutes=90,
        status=RequestStatus.MATCHED,
        matched_helper=helper,
        requester__language="fr",
    )
    return help_request


def test_a_weekly_request_is_a_weekly_series_for_the_requester_in_their_language(weekly_matched):
    response = download(weekly_matched.requester, weekly_matched)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "private, no-store"
    [event] = events_of(response.content)
    assert event["UID"] == f"request-{weekly_matched.pk}@127.0.0.1"
    assert event.decoded("DTSTART") == next_tuesday_at_ten()
    assert event["DTSTART"].params["TZID"] == "Europe/Brussels"  # the series follows DST
    assert event.decoded("DURATION") == datetime.timedelta(minutes=90)
    assert event["RRULE"]["FREQ"] == ["WEEKLY"]
    assert str(event["SUMMARY"]) == "Tandem : Courses"
    assert str(event["STATUS"]) == "CONFIRMED"
    assert str(event["LOCATION"]) == "5000"
    # The exact place for the person at home; never the words they wrote.
    assert event["GEO"].latitude == pytest.approx(weekly_matched.location.y)
    assert "supermarché" not in response.content.decode()
    assert icalendar.Calendar.from_ical(response.content).walk("VTIMEZONE")


def test_the_matched_helper_gets_it_in_their_language_with_the_exact_place(weekly_matched):
    [event] = events_of(download(weekly_matched.matched_helper, weekly_matched).content)

    assert str(event["SUMMARY"]) == "Tandem: Boodschappen"
    assert event["GEO"].longitude == pytest.approx(weekly_matched.location.x)


def test_every_two_weeks_and_monthly_series():
    two_weeks = HelpRequestFactory(starts_at=next_tuesday_at_ten(), recurrence="every_two_weeks")
    monthly = HelpRequestFactory(starts_at=next_tuesday_at_ten(), recurrence="monthly")

    [fortnightly] = events_of(download(two_weeks.requester, two_weeks).content)
    [every_month] = events_of(download(monthly.requester, monthly).content)

    assert (fortnightly["RRULE"]["FREQ"], fortnightly["RRULE"]["INTERVAL"]) == (["WEEKLY"], [2])
    assert every_month["RRULE"]["FREQ"] == ["MONTHLY"]


def test_an_open_one_off_request_is_tentative_and_visits_are_whole_days():
    help_request = HelpRequestFactory(starts_at=next_tuesday_at_ten())
    [event] = events_of(download(help_request.requester, help_request).content)
    assert str(event["STATUS"]) == "TENTATIVE" and "RRULE" not in event

    helper = UserFactory(language="en")
    matched = HelpRequestFactory(status=RequestStatus.MATCHED, matched_helper=helper)
    visit = VisitFactory(request=matched, hours="1.50", date=datetime.date(2026, 11, 30))
    [visit_event] = events_of(download(helper, matched).content)  # no date: the visit only
    assert visit_event["UID"] == f"visit-{visit.pk}@127.0.0.1"
    assert visit_event.decoded("DTSTART") == datetime.date(2026, 11, 30)
    assert str(visit_event["SUMMARY"]) == "Tandem visit: Shopping, 1.5 h"


def test_only_the_parties_get_it_and_a_request_without_a_date_is_a_404(weekly_matched):
    coordinator = UserFactory(roles=["coordinator"])
    stranger = UserFactory()

    assert download(stranger, weekly_matched).status_code == 404  # as if it did not exist
    assert download(coordinator, weekly_matched).status_code == 403  # sees it, not a party
    assert download(None, weekly_matched).status_code == 401
    undated = HelpRequestFactory()
    response = download(undated.requester, undated)
    assert (response.status_code, response.json()["code"]) == (404, "no_date")


def test_a_calendar_client_asking_for_text_calendar_gets_it(weekly_matched):
    response = client_for(weekly_matched.requester).get(
        f"/api/requests/{weekly_matched.pk}/calendar.ics", HTTP_ACCEPT="text/calendar"
    )
    assert response.status_code == 200 and response.content.startswith(b"BEGIN:VCALENDAR")


def test_no_exact_place_once_cancelled_and_the_event_says_cancelled(weekly_matched):
    weekly_matched.status = RequestStatus.CANCELLED
    weekly_matched.save()

    for person in (weekly_matched.requester, weekly_matched.matched_helper):
        [event] = events_of(download(person, weekly_matched).content)
        assert str(event["STATUS"]) == "CANCELLED"
        assert "GEO" not in event


# --- The private feed --------------------------------------------------------------------------


def test_the_feed_lists_every_request_of_the_person_without_login(weekly_matched):
    helper = weekly_matched.matched_helper
    own = HelpRequestFactory(requester=helper, starts_at=next_tuesday_at_ten())
    HelpRequestFactory(starts_at=next_tuesday_at_ten())  # someone else's
    VisitFactory(request=weekly_matched)

    path = feed_path(helper)
    assert feed_path(helper) == path  # the same address each time
    response = Client().get(path)  # a calendar application: no session, no token header

    assert response.status_code == 200
    uids = sorted(str(event["UID"]).split("@")[0] for event in events_of(response.content))
    assert uids == sorted(
        [
            f"request-{weekly_matched.pk}",
            f"request-{own.pk}",
            f"visit-{weekly_matched.visits.get().pk}",
        ]
    )


def test_rotating_the_feed_kills_the_old_address(weekly_matched):
    person = weekly_matched.requester
    old = feed_path(person)

    response = client_for(person).post("/api/me/calendar/rotate/")
    assert response.status_code == 200
    new = urllib.parse.urlsplit(response.json()["url"]).path

    assert new != old
    assert Client().get(old).status_code == 404
    assert Client().get(new).status_code == 200
    assert feed_path(person) == new


def test_an_unknown_or_erased_feed_is_a_404(weekly_matched):
    person = weekly_matched.requester
    path = feed_path(person)
    assert Client().get("/api/calendar/" + "x" * 43 + ".ics").status_code == 404

    person.is_active = False
    person.save()
    assert Client().get(path).status_code == 404
    assert Client().post(path).status_code == 405
