"""Included at /api/ by config/urls.py: referrals and helpers' concerns
(CONTRACT.md, "Carers and referrals"; docs/REFERRALS.md)."""

from django.urls import path

from carers import api_loop as loop
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
        "referrals/<int:referral_id>/ask-consent/",
        loop.ReferralAskConsentApi.as_view(),
        name="api-referral-ask-consent",
    ),
    path(
        "referrals/<int:referral_id>/consents/",
        loop.ReferralConsentsApi.as_view(),
        name="api-referral-consents",
    ),
    path(
        "referrals/<int:referral_id>/send/",
        loop.ReferralSendApi.as_view(),
        name="api-referral-send",
    ),
    path(
        "referrals/<int:referral_id>/withdraw-consent/",
        loop.ReferralWithdrawApi.as_view(),
        name="api-referral-withdraw-consent",
    ),
    path("me/referrals/", loop.MeReferralListApi.as_view(), name="api-me-referrals"),
    path(
        "me/referrals/<int:referral_id>/",
        loop.MeReferralDetailApi.as_view(),
        name="api-me-referral",
    ),
    path(
        "me/referrals/<int:referral_id>/withdraw-consent/",
        loop.MeReferralWithdrawApi.as_view(),
        name="api-me-referral-withdraw-consent",
    ),
    path(
        "me/contact-preference/",
        loop.MeContactPreferenceApi.as_view(),
        name="api-me-contact-preference",
    ),
    path("partner/referrals/", loop.PartnerReferralListApi.as_view(), name="api-partner-referrals"),
    path(
        "partner/referrals/<int:referral_id>/",
        loop.PartnerReferralDetailApi.as_view(),
        name="api-partner-referral",
    ),
    *[
        path(
            f"partner/referrals/<int:referral_id>/{move}/",
            loop.PartnerReferralMoveApi.as_view(move=move),
            name=f"api-partner-referral-{move}",
        )
        for move in ("accept", "decline", "progress", "close")
    ],
    path(
        "requests/<int:request_id>/concerns/",
        views.ConcernCreateApi.as_view(),
        name="api-request-concerns",
    ),
]
