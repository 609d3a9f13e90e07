"""Carers' web pages, included at "" by config/urls.py."""

from django.urls import path

from carers import views

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
]
