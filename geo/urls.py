"""Included at /api/geo/ by config/urls.py."""

from django.urls import path

from geo.api import PostcodeDetailApi

urlpatterns = [
    path("postcodes/<str:code>/", PostcodeDetailApi.as_view(), name="api-geo-postcode"),
]
