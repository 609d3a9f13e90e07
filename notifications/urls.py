"""Notifications API, included at /api/ by config/urls.py."""

from django.urls import path

from notifications import api

urlpatterns = [
    path("notifications/", api.NotificationListApi.as_view(), name="api-notifications"),
    path(
        "notifications/<int:notification_id>/read/",
        api.NotificationReadApi.as_view(),
        name="api-notification-read",
    ),
    path(
        "notifications/read-all/",
        api.NotificationReadAllApi.as_view(),
        name="api-notifications-read-all",
    ),
    path(
        "notifications/unread-count/",
        api.UnreadCountApi.as_view(),
        name="api-notifications-unread-count",
    ),
    path(
        "me/notification-settings/",
        api.NotificationSettingsApi.as_view(),
        name="api-notification-settings",
    ),
    path("push/public-key/", api.PushPublicKeyApi.as_view(), name="api-push-public-key"),
    path(
        "push/subscriptions/",
        api.PushSubscriptionListApi.as_view(),
        name="api-push-subscriptions",
    ),
    path(
        "push/subscriptions/<int:subscription_id>/",
        api.PushSubscriptionApi.as_view(),
        name="api-push-subscription",
    ),
]
