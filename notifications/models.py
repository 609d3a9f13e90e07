"""Notifications as data: one row per person and event, rendered in the reader's language when
read (never stored translated), and one delivery row per notification and channel.

A `Delivery` row is what makes sending idempotent: a job claims it with one conditional UPDATE
(pending → sending), so a job that runs twice, or two workers running the same job, send once.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    # One of notifications.kinds.KINDS, e.g. "offer.received".
    kind = models.CharField(_("kind"), max_length=40)
    # What the title and body are written from (ids, a category code, a postcode): no free text
    # a person wrote, so that nothing private ends up in an e-mail.
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    url = models.CharField(_("link"), max_length=300, blank=True)
    # Makes a second notification of the same kind about the same thing a no-op (a job run
    # twice, an event sent again); "" when every event counts.
    key = models.CharField(max_length=100, blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_inbox_idx"),
            models.Index(
                fields=["recipient"],
                condition=Q(read_at__isnull=True),
                name="notification_unread_idx",
            ),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["recipient", "kind", "key"],
                condition=~Q(key=""),
                name="notification_once_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} → {self.recipient_id}"


class Delivery(models.Model):
    class Channel(models.TextChoices):
        EMAIL = "email", _("e-mail")
        PUSH = "push", _("push")

    class Status(models.TextChoices):
        PENDING = "pending", _("waiting")
        SENDING = "sending", _("being sent")
        SENT = "sent", _("sent")
        FAILED = "failed", _("failed")
        SKIPPED = "skipped", _("not sent (turned off meanwhile)")
        DIGEST = "digest", _("waiting for the daily digest")

    notification = models.ForeignKey(
        Notification, on_delete=models.CASCADE, related_name="deliveries"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # The last failure as the mail server put it: failures are recorded, never hidden, and
    # never turn a person's e-mails off.
    last_error = models.TextField(blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["notification", "channel"], name="delivery_once_per_channel"
            )
        ]

    def __str__(self) -> str:
        return f"{self.channel} of {self.notification_id}: {self.status}"


class NotificationSettings(models.Model):
    """A person's choices; kinds they never chose keep the defaults of notifications.kinds."""

    class Digest(models.TextChoices):
        OFF = "off", _("off")
        DAILY = "daily", _("daily")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="notification_settings",
    )
    email = models.JSONField(default=dict, blank=True)  # {kind: bool}, only the choices made
    push = models.JSONField(default=dict, blank=True)
    digest = models.CharField(max_length=5, choices=Digest.choices, default=Digest.OFF)
    quiet_start = models.TimeField(null=True, blank=True)
    quiet_end = models.TimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return f"notification settings of {self.user_id}"


class PushSubscription(models.Model):
    """One browser on one device that agreed to receive Web Push for its person.

    `endpoint` is the push service's URL for that browser (unique: a browser that subscribes
    again, or for another person after a sign-out, takes the row over); `p256dh` and `auth` are
    the browser's keys the payload is encrypted to (RFC 8291). Removed when the push service
    answers 404 or 410 (the browser unsubscribed or the subscription expired).
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    created_at = models.DateTimeField(default=timezone.now)
    last_success_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"push subscription {self.pk} of {self.user_id}"


class PendingUnreadCheck(models.Model):
    """A check for unread messages that is already scheduled for one reader of one conversation.

    A conversation in full flow writes many messages a minute; one delayed check per reader and
    conversation covers them all (the check looks at the newest unread message when it runs), so
    a message enqueues a job only when no check is pending (notifications.services
    unread_checks_schedule). The row goes when its check runs; the next message schedules anew.
    """

    conversation = models.ForeignKey("messaging.Conversation", on_delete=models.CASCADE)
    reader = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "reader"], name="unread_check_once_per_reader"
            )
        ]

    def __str__(self) -> str:
        return f"unread check of conversation {self.conversation_id} for {self.reader_id}"
