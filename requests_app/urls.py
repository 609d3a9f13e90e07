"""Included at /api/ by config/urls.py, after matching's routes (which own
/api/requests/nearby/ and /api/requests/<id>/candidates/)."""

from django.urls import path

from requests_app.api import (
    HelpRequestCalendarApi,
    HelpRequestCancelApi,
    HelpRequestCompleteApi,
    HelpRequestDetailApi,
    HelpRequestFeedbackApi,
    HelpRequestListCreateApi,
    HelpRequestOffersApi,
    HelpRequestVisitsApi,
    MyCalendarApi,
    MyCalendarRotateApi,
    OfferAcceptApi,
    VisitConfirmApi,
    calendar_feed,
)

urlpatterns = [
    path("requests/", HelpRequestListCreateApi.as_view(), name="api-requests"),
    path("requests/<int:request_id>/", HelpRequestDetailApi.as_view(), name="api-request"),
    path(
        "requests/<int:request_id>/offers/",
        HelpRequestOffersApi.as_view(),
        name="api-request-offers",
    ),
    path(
        "requests/<int:request_id>/cancel/",
        HelpRequestCancelApi.as_view(),
        name="api-request-cancel",
    ),
    path(
        "requests/<int:request_id>/complete/",
        HelpRequestCompleteApi.as_view(),
        name="api-request-complete",
    ),
    path(
        "requests/<int:request_id>/visits/",
        HelpRequestVisitsApi.as_view(),
        name="api-request-visits",
    ),
    path(
        "requests/<int:request_id>/feedback/",
        HelpRequestFeedbackApi.as_view(),
        name="api-request-feedback",
    ),
    path(
        "requests/<int:request_id>/calendar.ics",
        HelpRequestCalendarApi.as_view(),
        name="api-request-calendar",
    ),
    path("me/calendar/", MyCalendarApi.as_view(), name="api-my-calendar"),
    path("me/calendar/rotate/", MyCalendarRotateApi.as_view(), name="api-my-calendar-rotate"),
    # Read by calendar applications without login: the secret token is the key.
    path("calendar/<slug:token>.ics", calendar_feed, name="api-calendar-feed"),
    path("offers/<int:offer_id>/accept/", OfferAcceptApi.as_view(), name="api-offer-accept"),
    path("visits/<int:visit_id>/confirm/", VisitConfirmApi.as_view(), name="api-visit-confirm"),
]
