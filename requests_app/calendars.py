"""Calendar files (RFC 5545, through the `icalendar` library): a request's planned time — one
event, or a series for a recurring request — and the visits logged for it, for the request's
parties only (requests_app.permissions.PARTIES). People plan help in their own calendar.

What an event says: the category, the duration, a link to the request on Tandem, the postcode;
never the description a person wrote or the other party's name (a calendar is synchronised to
other services and shown on lock screens). The exact place (GEO) only to the people who go
there or live there: the requester side while the request is open or matched, the helper once
matched. A cancelled or expired request stays in a subscribed calendar as STATUS:CANCELLED, so
calendar applications remove it rather than keep a stale date.
"""

from __future__ import annotations

import datetime
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

import icalendar
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from matching.vocabulary import Category, Recurrence
from requests_app.models import HelpRequest, RequestStatus, Visit

# RRULE parts per recurrence (a one-off request has none).
RECURRENCE_RULES = {
    Recurrence.WEEKLY: {"freq": "weekly"},
    Recurrence.EVERY_TWO_WEEKS: {"freq": "weekly", "interval": 2},
    Recurrence.MONTHLY: {"freq": "monthly"},
}
CLOSED_STATUSES = (RequestStatus.CANCELLED, RequestStatus.EXPIRED)
PRODUCT_ID = "-//Tandem//Tandem calendar//EN"


def _domain() -> str:
    return urlsplit(settings.PUBLIC_BASE_URL).hostname or "tandem.invalid"


def _request_link(help_request: HelpRequest) -> str:
    return f"{settings.PUBLIC_BASE_URL}{reverse('request_pages:detail', args=[help_request.pk])}"


def _category(code: str) -> str:
    return str(Category(code).label) if code in Category.values else code


def sees_exact_place_in_calendar(*, help_request: HelpRequest, user) -> bool:
    """The requester side while the request is alive; the helper while matched (or done)."""
    if user.pk in (help_request.requester_id, help_request.created_by_id):
        return help_request.status not in CLOSED_STATUSES
    return user.pk == help_request.matched_helper_id and help_request.status in (
        RequestStatus.MATCHED,
        RequestStatus.COMPLETED,
    )


def _request_event(help_request: HelpRequest, *, viewer) -> icalendar.Event:
    event = icalendar.Event()
    event.add("uid", f"request-{help_request.pk}@{_domain()}")
    event.add("dtstamp", timezone.now())
    event.add("last-modified", help_request.updated_at)
    event.add("dtstart", help_request.starts_at.astimezone(ZoneInfo(settings.TIME_ZONE)))
    event.add("duration", datetime.timedelta(minutes=help_request.duration_minutes))
    rule = RECURRENCE_RULES.get(help_request.recurrence)
    if rule:
        if help_request.status == RequestStatus.COMPLETED:
            # Done: the series stops where it ended, the past occurrences stay.
            rule = {**rule, "until": help_request.updated_at.astimezone(datetime.UTC)}
        event.add("rrule", rule)
    event.add("summary", _("Tandem: %(category)s") % {"category": _category(help_request.category)})
    link = _request_link(help_request)
    event.add(
        "description",
        _("Details, messages and visits are on Tandem: %(link)s") % {"link": link},
    )
    event.add("url", link)
    if help_request.status in CLOSED_STATUSES:
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED" if help_request.matched_helper_id else "TENTATIVE")
    if help_request.postcode:
        event.add("location", help_request.postcode)
    if sees_exact_place_in_calendar(help_request=help_request, user=viewer):
        event.add("geo", (help_request.location.y, help_request.location.x))
    return event


def _visit_event(visit: Visit) -> icalendar.Event:
    help_request = visit.request
    event = icalendar.Event()
    event.add("uid", f"visit-{visit.pk}@{_domain()}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", visit.date)  # a whole day: a visit is logged by its date and hours
    event.add("dtend", visit.date + datetime.timedelta(days=1))
    event.add(
        "summary",
        _("Tandem visit: %(category)s, %(hours)s h")
        % {"category": _category(help_request.category), "hours": visit.hours.normalize()},
    )
    event.add("url", _request_link(help_request))
    event.add("transp", "TRANSPARENT")  # a record, it blocks no time
    return event


def calendar_text(*, help_requests: list[HelpRequest], visits: list[Visit], viewer) -> bytes:
    """The VCALENDAR of `help_requests` (those with a start) and `visits`, written in the
    viewer's language, as bytes (RFC 5545 lines, CRLF)."""
    calendar = icalendar.Calendar()
    calendar.add("prodid", PRODUCT_ID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    with translation.override(viewer.language or settings.LANGUAGE_CODE):
        calendar.add("x-wr-calname", "Tandem")
        for help_request in help_requests:
            if help_request.starts_at is not None:
                calendar.add_component(_request_event(help_request, viewer=viewer))
        for visit in visits:
            calendar.add_component(_visit_event(visit))
    calendar.add_missing_timezones()
    return calendar.to_ical()
