"""The conversation page `/conversations/<id>/`.

Works without JavaScript: the list of messages is plain HTML, and the form posts (with CSRF)
and redirects back (post/redirect/get), so reloading never sends twice; the form's hidden
client_id also makes a double submit harmless. messaging/static/messaging/conversation.js then
turns the same page live (WebSocket, reconnection, catch-up, read state).
"""

import uuid

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.api_errors import DomainError, RateLimited
from messaging import ratelimit, selectors, services
from messaging.models import MESSAGE_BODY_MAX_LENGTH

PAGE_MESSAGES = 100


def _client_strings() -> dict[str, str]:
    """Texts the script shows, translated here so the script has none of its own."""
    return {
        "connecting": _("Connecting…"),
        "live": _("Connected: new messages appear here as they are sent."),
        "reconnecting": _("Connection lost. Trying again in %(seconds)s s…"),
        "offline": _("You are offline. Messages you write are sent when the connection returns."),
        "degraded": _(
            "Live updates are delayed. Your messages are saved and will reach the others."
        ),
        "polling": _("Live connection unavailable: checking for new messages regularly."),
        "signed_out": _("You are signed out. Log in again to continue this conversation."),
        "forbidden": _("You no longer have access to this conversation."),
        "sending": _("Sending…"),
        "not_sent": _("Not sent yet: it will be sent when the connection returns."),
        "seen": _("Seen"),
        "you": _("You"),
        "former_member": _("Former member"),
        "error": _("The message could not be sent:"),
        "rate_limited": _("You are sending messages too fast; wait a few seconds."),
        "no_messages": _("No messages yet. Write the first one below."),
    }


@login_required
@require_http_methods(["GET", "POST"])
def conversation_page(request: HttpRequest, conversation_id: int) -> HttpResponse:
    conversation = selectors.conversation_get_for_user(
        conversation_id=conversation_id, user=request.user
    )
    if conversation is None:
        raise Http404
    error, body, status = "", "", 200
    if request.method == "POST":
        body = request.POST.get("body", "")
        try:
            if ratelimit.user_may_send(request.user.pk) is not None:
                raise RateLimited(
                    "rate_limited", _("You are sending messages too fast; wait a few seconds.")
                )
            services.message_send(
                conversation=conversation,
                sender=request.user,
                body=body,
                client_id=request.POST.get("client_id", ""),
            )
        except DomainError as refusal:
            error, status = refusal.detail, refusal.status_code
        else:
            return redirect(reverse("messaging:conversation", args=[conversation.pk]) + "#latest")

    messages = selectors.messages_latest(conversation_id=conversation.pk, limit=PAGE_MESSAGES)
    memberships = list(conversation.memberships.all())
    if request.method == "GET" and messages:
        services.messages_read_mark(
            conversation=conversation, user=request.user, up_to=messages[-1].pk
        )
    others = [m for m in memberships if m.user_id != request.user.pk]
    # "Seen" under one's own messages once every other participant has read that far.
    read_by_others = min((m.last_read_message_id for m in others), default=0)
    names = {m.user_id: m.user.display_name for m in memberships}
    context = {
        "conversation": conversation,
        "messages": messages,
        "other_names": ", ".join(m.user.display_name for m in others),
        "read_by_others": read_by_others,
        "last_seen_mine": max(
            (
                message.pk
                for message in messages
                if message.sender_id == request.user.pk and message.pk <= read_by_others
            ),
            default=0,
        ),
        "error": error,
        "body": body,
        "client_id": uuid.uuid4(),
        "body_max_length": MESSAGE_BODY_MAX_LENGTH,
        "client_config": {
            "conversation": conversation.pk,
            "user": request.user.pk,
            "socket_path": f"/ws/conversations/{conversation.pk}/",
            "api_path": reverse("api-conversation-messages", args=[conversation.pk]),
            "last_id": messages[-1].pk if messages else 0,
            # The page shows the latest messages, so it holds every number up to this one.
            "last_seq": messages[-1].seq if messages else 0,
            "read_by_others": read_by_others,
            "others": [m.user_id for m in others],
            "names": {str(user_id): name for user_id, name in names.items()},
            "strings": _client_strings(),
        },
    }
    return render(request, "messaging/conversation.html", context, status=status)
