"""Included at /api/carers/ by config/urls.py."""

from django.urls import path

from carers.api import AssessmentCreateApi
from carers.api_referrals import DiaryDetailApi, DiaryListApi, DiaryTotalsApi

urlpatterns = [
    path("assessments/", AssessmentCreateApi.as_view(), name="api-carers-assessment-create"),
    path("diary/", DiaryListApi.as_view(), name="api-carers-diary"),
    path("diary/totals/", DiaryTotalsApi.as_view(), name="api-carers-diary-totals"),
    path("diary/<int:entry_id>/", DiaryDetailApi.as_view(), name="api-carers-diary-entry"),
]
