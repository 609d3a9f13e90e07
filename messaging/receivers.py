"""Signal receivers of the messaging app (connected in MessagingConfig.ready)."""

from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver

from accounts.models import User
from accounts.selectors import person_reached_ids
from core import events, realtime
from messaging import personal_data, services


@receiver(user_logged_out, dispatch_uid="messaging-close-sockets-on-logout")
def close_sockets_on_logout(sender, request, user, **kwargs) -> None:
    """A person who logs out has their WebSockets closed on every server process (code 4401).

    All of them, not only the ones opened with this session: a socket whose credentials are
    still valid (another device, an API token) simply reconnects, while those of the ended
    session are refused at the handshake from now on.
    """
    if user is not None:
        realtime.user_sockets_close(user_id=user.pk)


def _open_match_conversation(*, help_request, offer) -> dict:
    """A confirmed match opens the conversation between the requester and the helper, in the
    match's own transaction, and answers with it (the accept response names it). For a person
    without e-mail, the coordinators of their team speak for them in it (and they too, once
    given a login): accounts.selectors.person_reached_ids."""
    requester_side = list(
        User.objects.filter(pk__in=person_reached_ids(person_id=help_request.requester_id))
    ) or [help_request.requester]
    conversation = services.conversation_open(
        participants=[*requester_side, offer.helper], help_request=help_request
    )
    return {"conversation": conversation}


events.match_confirmed.connect(
    _open_match_conversation, dispatch_uid="messaging-open-match-conversation"
)
events.user_data_exporting.connect(
    personal_data.conversations_export, dispatch_uid="messaging-export-conversations"
)
events.user_erasing.connect(
    personal_data.conversations_erase, dispatch_uid="messaging-erase-conversations"
)
