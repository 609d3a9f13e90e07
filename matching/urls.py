"""Included at /api/ by config/urls.py: helper profiles and their verification."""

from django.urls import path

from matching.api import HelperMeApi, HelperVerifyApi, HelperVettingApi

urlpatterns = [
    path("helpers/me/", HelperMeApi.as_view(), name="api-helper-me"),
    path("helpers/<int:user_id>/verify/", HelperVerifyApi.as_view(), name="api-helper-verify"),
    path("helpers/<int:user_id>/vetting/", HelperVettingApi.as_view(), name="api-helper-vetting"),
]
