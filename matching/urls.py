"""Included at /api/ by config/urls.py, before requests_app's routes.

The candidates and nearby endpoints live under /api/requests/ but belong to the matching engine.
"""

from django.urls import path

from matching.api import HelperMeApi, HelperVerifyApi, NearbyRequestsApi, RequestCandidatesApi

urlpatterns = [
    path("helpers/me/", HelperMeApi.as_view(), name="api-helper-me"),
    path("helpers/<int:user_id>/verify/", HelperVerifyApi.as_view(), name="api-helper-verify"),
    path("requests/nearby/", NearbyRequestsApi.as_view(), name="api-requests-nearby"),
    path(
        "requests/<int:request_id>/candidates/",
        RequestCandidatesApi.as_view(),
        name="api-request-candidates",
    ),
]
