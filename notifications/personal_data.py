"""A person's notifications in their data export (GDPR art. 15, 20). Erasure needs nothing
here: notifications, deliveries, settings and push subscriptions go with the account (on
delete cascade)."""

from notifications.models import Notification, PushSubscription
from notifications.selectors import channel_settings_of


def notifications_export(*, user) -> dict:
    """The person's notifications (kind, parameters, dates, link) and channel settings."""
    return {
        "notifications": [
            {
                "kind": notification.kind,
                "params": notification.params,
                "url": notification.url,
                "created_at": notification.created_at.isoformat(),
                "read_at": notification.read_at.isoformat() if notification.read_at else None,
            }
            for notification in Notification.objects.filter(recipient=user).order_by("created_at")
        ],
        "notification_settings": channel_settings_of(user_id=user.pk),
        # The browsers subscribed to Web Push: which push service, since when (the keys are
        # the browser's, of no use to the person).
        "push_subscriptions": [
            {
                "endpoint": subscription.endpoint,
                "created_at": subscription.created_at.isoformat(),
                "last_success_at": (
                    subscription.last_success_at.isoformat()
                    if subscription.last_success_at
                    else None
                ),
            }
            for subscription in PushSubscription.objects.filter(user=user).order_by("id")
        ],
    }
