"""Conversations between people, their messages, and how far each participant has read.

Writes go through messaging.services (one service sends a message, for the REST API, the web
page and the WebSocket consumer alike); reads through messaging.selectors.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

MESSAGE_BODY_MAX_LENGTH = 2000


class Conversation(models.Model):
    """A private exchange between a few people, usually the requester and the matched helper."""

    participants = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="Participant",
        related_name="conversations",
        verbose_name=_("participants"),
    )
    request = models.ForeignKey(
        "requests_app.HelpRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conversations",
        verbose_name=_("help request"),
    )
    # The carers' referral a coordinator talks about with the person. SET_NULL, not CASCADE:
    # referrals are only deleted by the retention purge (accounts.services.expired_data_purge;
    # erasing an account closes and keeps them), and the conversation belongs to its
    # participants, who can still read it, as with `request` above and with the messages of an
    # erased account. The conversation then simply stops pointing at the purged case.
    referral = models.ForeignKey(
        "carers.Referral",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="conversations",
        verbose_name=_("referral"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # The `seq` of the conversation's newest message (0 = none yet). messaging.services.
    # message_send reads it under the conversation's row lock and writes it back in the same
    # statement as the insert, so sequence numbers are handed out in commit order, without gaps.
    last_message_seq = models.BigIntegerField(_("last message number"), default=0)

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")

    def __str__(self) -> str:
        return f"Conversation {self.pk}"


class Participant(models.Model):
    """A person in a conversation, with the last message they have read there."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="conversation_memberships"
    )
    # A message id rather than a foreign key: reading position only ever moves forward and must
    # survive the deletion of the message it points at. 0 = nothing read yet.
    last_read_message_id = models.BigIntegerField(_("last message read"), default=0)
    joined_at = models.DateTimeField(_("joined at"), auto_now_add=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "user"], name="participant_once_per_conversation"
            ),
        ]
        indexes = [models.Index(fields=["user", "conversation"], name="participant_user")]

    def __str__(self) -> str:
        return f"{self.user_id} in {self.conversation_id}"


class Message(models.Model):
    """One message. Ids increase in the order messages are stored within a conversation (the
    sending service holds the conversation's row lock), so "everything after id N" is exact.

    `seq` numbers the conversation's messages 1, 2, 3… in commit order, with no gap: a client
    that receives n + 2 right after n knows it missed one, and catches up from n (the resume
    rule in docs/MESSAGING.md)."""

    id = models.BigAutoField(primary_key=True)
    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages"
    )
    seq = models.BigIntegerField(_("number in the conversation"))
    # Nullable so that erasing an account detaches its messages instead of deleting the other
    # person's conversation history.
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="messages_sent",
        verbose_name=_("sender"),
    )
    body = models.TextField(_("message"), max_length=MESSAGE_BODY_MAX_LENGTH)
    # Chosen by the sending device: sending again with the same id (after a dropped connection,
    # a double click) returns the stored message instead of storing a second one.
    client_id = models.UUIDField(_("client id"))
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["id"]
        constraints = [
            models.UniqueConstraint(
                fields=["conversation", "sender", "client_id"],
                name="message_client_id_once_per_sender",
            ),
            models.UniqueConstraint(
                fields=["conversation", "seq"], name="message_seq_once_per_conversation"
            ),
        ]
        indexes = [models.Index(fields=["conversation", "id"], name="message_conversation_id")]

    def __str__(self) -> str:
        return f"Message {self.pk} in {self.conversation_id}"
