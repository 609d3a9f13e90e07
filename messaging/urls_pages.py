"""Messaging web pages, included at "" by config/urls.py (before the frontend's pages)."""

from django.urls import path

from messaging import views

app_name = "messaging"

urlpatterns = [
    path("conversations/<int:conversation_id>/", views.conversation_page, name="conversation"),
]
