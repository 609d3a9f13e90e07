"""Included at /api/carers/ by config/urls.py."""

from django.urls import path

from carers.api import AssessmentCreateApi

urlpatterns = [
    path("assessments/", AssessmentCreateApi.as_view(), name="api-carers-assessment-create"),
]
