"""Included at /api/ by config/urls.py."""

from django.urls import path

from accounts.api import MeApi, MeExportApi, RegisterApi, TokenApi

urlpatterns = [
    path("auth/register/", RegisterApi.as_view(), name="api-register"),
    path("auth/token/", TokenApi.as_view(), name="api-token"),
    path("me/", MeApi.as_view(), name="api-me"),
    path("me/export/", MeExportApi.as_view(), name="api-me-export"),
]
