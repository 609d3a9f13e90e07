"""Carers' web pages, included at "" by config/urls.py."""

from django.urls import path

from carers import loop_pages, views

app_name = "carers"

urlpatterns = [
    path("carers/assessment/", views.assessment_start, name="assessment"),
    path(
        "carers/assessment/questions/",
        views.assessment_questions,
        name="assessment-questions",
    ),
    path("carers/assessment/result/", views.assessment_result, name="assessment-result"),
    path("carers/assessment/restart/", views.assessment_restart, name="assessment-restart"),
    path("carers/diary/", views.diary, name="diary"),
    path("coordinator/", views.coordinator_queue, name="coordinator"),
    path(
        "coordinator/referrals/<int:referral_id>/",
        views.coordinator_referral,
        name="coordinator-referral",
    ),
    path(
        "coordinator/referrals/<int:referral_id>/signal-mark/",
        views.coordinator_referral_mark,
        name="coordinator-referral-mark",
    ),
    path(
        "coordinator/referrals/<int:referral_id>/ask-consent/",
        loop_pages.coordinator_ask_consent,
        name="coordinator-ask-consent",
    ),
    path(
        "coordinator/referrals/<int:referral_id>/consent/",
        loop_pages.coordinator_record_consent,
        name="coordinator-record-consent",
    ),
    path(
        "coordinator/referrals/<int:referral_id>/send/",
        loop_pages.coordinator_send,
        name="coordinator-send",
    ),
    # Partner services' workers.
    path("partner/referrals/", loop_pages.partner_queue, name="partner-referrals"),
    path(
        "partner/referrals/<int:referral_id>/",
        loop_pages.partner_referral,
        name="partner-referral",
    ),
    *[
        path(
            f"partner/referrals/<int:referral_id>/{move}/",
            loop_pages.partner_referral_move,
            {"move": move},
            name=f"partner-referral-{move}",
        )
        for move in loop_pages.MOVE_FORMS
    ],
    # The person.
    path("account/referrals/", loop_pages.my_referrals, name="my-referrals"),
    path(
        "account/referrals/<int:referral_id>/consent/",
        loop_pages.my_referral_consent,
        name="my-referral-consent",
    ),
    path(
        "account/referrals/<int:referral_id>/withdraw/",
        loop_pages.my_referral_withdraw,
        name="my-referral-withdraw",
    ),
    path(
        "account/contact-preference/",
        loop_pages.my_contact_preference,
        name="my-contact-preference",
    ),
]
