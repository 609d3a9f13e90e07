"""Included at /api/ by config/urls.py: referrals and helpers' concerns
(CONTRACT.md, "Carers and referrals"; docs/REFERRALS.md)."""

from django.urls import path

from carers import api_referrals as views

urlpatterns = [
    path("referrals/", views.ReferralListApi.as_view(), name="api-referrals"),
    path(
        "referrals/<int:referral_id>/",
        views.ReferralDetailApi.as_view(),
        name="api-referral-detail",
    ),
    path(
        "referrals/<int:referral_id>/audit/",
        views.ReferralAuditApi.as_view(),
        name="api-referral-audit",
    ),
    path(
        "requests/<int:request_id>/concerns/",
        views.ConcernCreateApi.as_view(),
        name="api-request-concerns",
    ),
]
