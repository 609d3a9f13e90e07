"""Included at /api/ by config/urls.py."""

from django.urls import path

from audit import api

urlpatterns = [
    path("me/access-log/", api.MyAccessLogApi.as_view(), name="api-me-access-log"),
    path("audit/", api.OrganisationAuditApi.as_view(), name="api-audit"),
]
