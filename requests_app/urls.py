"""Included at /api/ by config/urls.py, after matching's routes (which own
/api/requests/nearby/ and /api/requests/<id>/candidates/)."""

from django.urls import path

from requests_app.api import (
    HelpRequestCancelApi,
    HelpRequestCompleteApi,
    HelpRequestDetailApi,
    HelpRequestFeedbackApi,
    HelpRequestListCreateApi,
    HelpRequestOffersApi,
    HelpRequestVisitsApi,
    OfferAcceptApi,
    VisitConfirmApi,
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
    path("offers/<int:offer_id>/accept/", OfferAcceptApi.as_view(), name="api-offer-accept"),
    path("visits/<int:visit_id>/confirm/", VisitConfirmApi.as_view(), name="api-visit-confirm"),
]
