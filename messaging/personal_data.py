"""A person's conversations: their part of the export, and erasure.

Part of the person's export and erasure (accounts.services, GDPR art. 15, 17 and 20;
docs/DATA_REGISTER.md), connected in messaging.receivers.
"""

from typing import Any

from core.export_values import export_time
from messaging.models import Conversation, Message, Participant


def _conversations(user) -> list[dict[str, Any]]:
    conversations = Conversation.objects.filter(participants=user).order_by("created_at", "pk")
    result = []
    for conversation in conversations:
        result.append(
            {
                "id": conversation.pk,
                "request": conversation.request_id,
                "participants": sorted(conversation.memberships.values_list("user_id", flat=True)),
                "created_at": export_time(conversation.created_at),
                # Only what the person wrote: the others' messages are their personal data.
                "messages_sent": [
                    {
                        "id": message.pk,
                        "body": message.body,
                        "sent_at": export_time(message.created_at),
                    }
                    for message in Message.objects.filter(
                        conversation=conversation, sender=user
                    ).order_by("id")
                ],
            }
        )
    return result


def conversations_export(*, user) -> dict[str, Any]:
    return {"conversations": _conversations(user)}


def conversations_erase(*, user) -> None:
    """Messages stay for the other participants with sender None; the person's participations go."""
    Message.objects.filter(sender=user).update(sender=None)
    Participant.objects.filter(user=user).delete()
