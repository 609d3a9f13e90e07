"""The person's account pages, included at "" by config/urls.py."""

from django.urls import path

from accounts import page_views, people_pages

app_name = "account_pages"

urlpatterns = [
    path("account/", page_views.account_page, name="account"),
    path("account/export/", page_views.account_export, name="export"),
    path("account/delete/", page_views.account_delete, name="delete"),
    path("account/password/", page_views.account_password, name="password"),
    path("account/email/", page_views.account_email, name="email"),
    path(
        "account/verify-email/resend/",
        page_views.account_verification_resend,
        name="verification-resend",
    ),
    path(
        "account/logout-everywhere/",
        page_views.account_logout_everywhere,
        name="logout-everywhere",
    ),
    path("account/two-step/", page_views.two_step, name="two-step"),
    path(
        "account/two-step/recovery-codes/",
        page_views.two_step_recovery_codes,
        name="recovery-codes",
    ),
    path("login/code/", page_views.login_code, name="login-code"),
    path("password-reset/", page_views.password_reset, name="password-reset"),
    path("password-reset/sent/", page_views.password_reset_sent, name="password-reset-sent"),
    path(
        "password-reset/confirm/",
        page_views.password_reset_confirm,
        name="password-reset-confirm",
    ),
    path("verify-email/", page_views.verify_email, name="verify-email"),
    path("privacy/", page_views.privacy_notice, name="privacy"),
    path("privacy/accept/", page_views.privacy_accept, name="privacy-accept"),
    # People without e-mail, for coordinators (accounts/people_pages.py).
    path("coordinator/people/", people_pages.people_page, name="people"),
    path(
        "coordinator/people/<int:person_id>/export/",
        people_pages.person_export,
        name="person-export",
    ),
    path(
        "coordinator/people/<int:person_id>/login/",
        people_pages.person_login,
        name="person-login",
    ),
]
