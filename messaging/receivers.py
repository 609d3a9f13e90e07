"""Signal receivers of the messaging app (connected in MessagingConfig.ready)."""

from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver

from messaging import services


@receiver(user_logged_out, dispatch_uid="messaging-close-sockets-on-logout")
def close_sockets_on_logout(sender, request, user, **kwargs) -> None:
    """A person who logs out has their WebSockets closed on every server process (code 4401).

    All of them, not only the ones opened with this session: a socket whose credentials are
    still valid (another device, an API token) simply reconnects, while those of the ended
    session are refused at the handshake from now on.
    """
    if user is not None:
        services.user_sockets_close(user_id=user.pk)
