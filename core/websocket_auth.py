"""WebSocket authentication by API token: `wss://…/ws/…?token=<key>`.

Browsers cannot set an Authorization header on a WebSocket, so apps that use the API token
pass it in the query string instead. Placed inside channels' AuthMiddlewareStack, which has
already resolved the session user: a `token` parameter, when present, decides alone (a wrong
or inactive token gives an anonymous user, never a silent fall-back to the session).
"""

from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from django.contrib.auth.models import AnonymousUser


def _user_for_token(key: str):
    """The active user owning the DRF token `key`, or AnonymousUser."""
    from rest_framework.authtoken.models import Token

    token = Token.objects.select_related("user").filter(key=key).first()
    if token is None or not token.user.is_active:
        return AnonymousUser()
    return token.user


# In the pool of worker threads (not channels' single database thread): a burst of connections
# does not queue behind every other database call of the process.
user_for_token = database_sync_to_async(_user_for_token, thread_sensitive=False)


class TokenAuthMiddleware(BaseMiddleware):
    """Sets scope["user"] from a `?token=` query parameter, if the connection gives one."""

    async def __call__(self, scope, receive, send):
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        keys = query.get("token")
        if keys:
            scope = dict(scope, user=await user_for_token(keys[0][:64]))
        return await super().__call__(scope, receive, send)
