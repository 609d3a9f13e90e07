"""Rate limits on the actions a script could repeat to flood Tandem: registering, getting a
token, asking for help and offering help (CONTRACT.md: 429 rate-limited).

A fixed-window counter in Redis: one key per (action, person or address, window), INCR-ed at
each attempt and expiring with its window, so every server process shares the same count.
Signed-in people are counted by user id, everyone else by client address (as django-axes
reads it, so PROXY_COUNT applies here too). Limits are in settings.RATE_LIMITS:
{action: (attempts, window seconds)}.

Redis down or slow: the request is allowed (fail open) and a warning logged. Refusing every
sign-up and every request for help while a cache is away would hurt the people Tandem serves
more than a short window without limits; django-axes still guards logins in the database.

Messages have their own limit (messaging/ratelimit.py).
"""

import logging
import math
import time
from dataclasses import dataclass
from functools import lru_cache

import redis
from axes.helpers import get_client_ip_address
from django.conf import settings
from django.http import HttpRequest
from django.utils import translation
from django.utils.translation import gettext as _
from rest_framework import status
from rest_framework.exceptions import APIException
from rest_framework.throttling import BaseThrottle

logger = logging.getLogger(__name__)

# A dead Redis refuses at once; a hung one must not hold a request for long.
REDIS_TIMEOUT_SECONDS = 0.5


@dataclass(frozen=True)
class RateLimitExceeded:
    """A refused attempt: the message to show and how many seconds until the window resets."""

    detail: str
    retry_after: int


class RateLimited(APIException):
    """The API's 429: body {"code": "rate_limited", "detail"}, header Retry-After (DRF sets
    it from `wait`)."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS

    def __init__(self, refusal: RateLimitExceeded):
        super().__init__({"code": "rate_limited", "detail": refusal.detail})
        self.wait = refusal.retry_after


@lru_cache(maxsize=4)
def _redis_client(url: str) -> redis.Redis:
    return redis.Redis.from_url(
        url, socket_connect_timeout=REDIS_TIMEOUT_SECONDS, socket_timeout=REDIS_TIMEOUT_SECONDS
    )


def _identity(request: HttpRequest) -> str:
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    # DRF's Request wraps Django's; the address is read from Django's, as axes does.
    http_request = getattr(request, "_request", request)
    return f"ip:{get_client_ip_address(http_request) or 'unknown'}"


def _refusal_detail(request: HttpRequest, retry_after: int) -> str:
    minutes = max(1, math.ceil(retry_after / 60))
    user = getattr(request, "user", None)
    # Token users are authenticated by DRF after the middleware chose the language: answer
    # them in their own language as well.
    language = getattr(user, "language", None) if user is not None else None
    with translation.override(language or translation.get_language()):
        return _("Too many attempts. Try again in %(minutes)d minutes.") % {"minutes": minutes}


def rate_limit_hit(*, request: HttpRequest, action: str) -> RateLimitExceeded | None:
    """Counts one attempt at `action` by whoever sent `request`; None if it is allowed, else
    the refusal. Allows the attempt when Redis cannot be reached (see the module docstring)."""
    limit, window_seconds = settings.RATE_LIMITS[action]
    now = time.time()
    window = int(now // window_seconds)
    key = f"{settings.RATE_LIMIT_KEY_PREFIX}{action}:{_identity(request)}:{window}"
    try:
        pipeline = _redis_client(settings.REDIS_URL).pipeline()
        pipeline.incr(key)
        pipeline.expire(key, window_seconds + 1)
        count, _expiry_set = pipeline.execute()
    except redis.RedisError as error:
        logger.warning("rate limit for %s not checked, Redis unavailable: %s", action, error)
        return None
    if count <= limit:
        return None
    retry_after = max(1, math.ceil((window + 1) * window_seconds - now))
    return RateLimitExceeded(detail=_refusal_detail(request, retry_after), retry_after=retry_after)


class ActionRateLimit(BaseThrottle):
    """DRF throttle for one action, on POST only. Subclasses name the action.

    Raises the 429 itself instead of returning False: DRF's own Throttled body has no `code`.
    """

    action = ""

    def allow_request(self, request, view) -> bool:
        if request.method != "POST":
            return True
        refusal = rate_limit_hit(request=request, action=self.action)
        if refusal is not None:
            raise RateLimited(refusal)
        return True


class RegistrationRateLimit(ActionRateLimit):
    action = "registration"


class TokenLoginRateLimit(ActionRateLimit):
    action = "token_login"


class HelpRequestCreateRateLimit(ActionRateLimit):
    action = "help_request_create"


class OfferCreateRateLimit(ActionRateLimit):
    action = "offer_create"
