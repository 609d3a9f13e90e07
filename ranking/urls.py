"""Included at /api/ by config/urls.py, before requests_app's routes: the candidates and nearby
endpoints live under /api/requests/ but belong to the ranking."""

from django.urls import path

from ranking.api import NearbyRequestsApi, RequestCandidatesApi

urlpatterns = [
    path("requests/nearby/", NearbyRequestsApi.as_view(), name="api-requests-nearby"),
    path(
        "requests/<int:request_id>/candidates/",
        RequestCandidatesApi.as_view(),
        name="api-request-candidates",
    ),
]
