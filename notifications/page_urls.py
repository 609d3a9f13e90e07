"""Notification pages: the inbox, and the one-click unsubscribe address of the e-mails."""

from django.urls import path

from notifications import page_views

app_name = "notifications"

urlpatterns = [
    path("notifications/", page_views.inbox, name="inbox"),
    path("notifications/settings/", page_views.notification_settings, name="settings"),
    path("notifications/read-all/", page_views.read_all, name="read-all"),
    path("unsubscribe/<str:token>/", page_views.unsubscribe, name="unsubscribe"),
]
