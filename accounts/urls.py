"""Included at /api/ by config/urls.py."""

from django.urls import path

from accounts import api

urlpatterns = [
    path("auth/register/", api.RegisterApi.as_view(), name="api-register"),
    path("auth/token/", api.TokenApi.as_view(), name="api-token"),
    path("auth/password-reset/", api.PasswordResetApi.as_view(), name="api-password-reset"),
    path(
        "auth/password-reset/confirm/",
        api.PasswordResetConfirmApi.as_view(),
        name="api-password-reset-confirm",
    ),
    path("auth/verify-email/", api.EmailVerifyApi.as_view(), name="api-verify-email"),
    path("privacy-notice/", api.PrivacyNoticeApi.as_view(), name="api-privacy-notice"),
    path("me/", api.MeApi.as_view(), name="api-me"),
    path("me/export/", api.MeExportApi.as_view(), name="api-me-export"),
    path(
        "me/verify-email/resend/",
        api.EmailVerificationResendApi.as_view(),
        name="api-verify-email-resend",
    ),
    path("me/email/", api.MeEmailApi.as_view(), name="api-me-email"),
    path("me/password/", api.MePasswordApi.as_view(), name="api-me-password"),
    path(
        "me/logout-everywhere/",
        api.MeLogoutEverywhereApi.as_view(),
        name="api-me-logout-everywhere",
    ),
    path("me/privacy-notice/", api.MePrivacyNoticeApi.as_view(), name="api-me-privacy-notice"),
]

# People without e-mail, managed by coordinators (issue 15, item 3).
urlpatterns += [
    path("people/", api.ManagedPeopleApi.as_view(), name="api-people"),
    path("people/<int:person_id>/", api.ManagedPersonApi.as_view(), name="api-person"),
    path(
        "people/<int:person_id>/export/",
        api.ManagedPersonExportApi.as_view(),
        name="api-person-export",
    ),
    path(
        "people/<int:person_id>/login/",
        api.ManagedPersonLoginApi.as_view(),
        name="api-person-login",
    ),
]
