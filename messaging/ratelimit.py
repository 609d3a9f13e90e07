"""How fast one person may send messages: token buckets kept in the server process.

Two buckets are checked for every message: one per WebSocket connection and one per person
(shared by all their sockets and REST requests in this process). Both allow a burst of
MESSAGING_RATE_LIMIT_MESSAGES and refill at that many per MESSAGING_RATE_LIMIT_SECONDS
(default 20 messages per 10 s, far above anyone typing).

Kept in memory rather than in Redis on purpose: the limit must keep working while Redis is
down (degraded mode), and it costs no network round trip. The trade-off: a person whose
sockets land on N server processes may send up to N times the limit, which still stops a
runaway client or script. The settings can be overridden in tests.
"""

import threading
import time

from django.conf import settings

DEFAULT_MESSAGES = 20
DEFAULT_SECONDS = 10.0


def _limits() -> tuple[int, float]:
    return (
        getattr(settings, "MESSAGING_RATE_LIMIT_MESSAGES", DEFAULT_MESSAGES),
        getattr(settings, "MESSAGING_RATE_LIMIT_SECONDS", DEFAULT_SECONDS),
    )


class TokenBucket:
    """`capacity` tokens, refilled continuously at `capacity / period` per second."""

    def __init__(self, capacity: int, period_seconds: float):
        self.capacity = capacity
        self.rate = capacity / period_seconds
        self.tokens = float(capacity)
        self.updated = time.monotonic()

    def _refill(self, now: float) -> None:
        self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now

    def take(self) -> bool:
        """Spend one token if there is one."""
        self._refill(time.monotonic())
        if self.tokens >= 1:
            self.tokens -= 1
            return True
        return False

    def retry_after(self) -> float:
        """Seconds until the next token."""
        return max(0.0, (1 - self.tokens) / self.rate)

    def is_full(self) -> bool:
        self._refill(time.monotonic())
        return self.tokens >= self.capacity


_user_buckets: dict[int, TokenBucket] = {}
_user_buckets_lock = threading.Lock()
# Full buckets carry no information; they are dropped when the table grows past this size.
_PRUNE_ABOVE = 10_000


def connection_bucket() -> TokenBucket:
    """A fresh bucket for one WebSocket connection."""
    return TokenBucket(*_limits())


def user_may_send(user_id: int, *, connection: TokenBucket | None = None) -> float | None:
    """None if the person may send a message now (a token is spent from each bucket), else
    the number of seconds to wait."""
    with _user_buckets_lock:
        capacity, period = _limits()
        bucket = _user_buckets.get(user_id)
        if bucket is None or bucket.capacity != capacity:
            if len(_user_buckets) > _PRUNE_ABOVE:
                for key in [key for key, value in _user_buckets.items() if value.is_full()]:
                    del _user_buckets[key]
            bucket = _user_buckets[user_id] = TokenBucket(capacity, period)
        if connection is not None and not connection.take():
            return round(connection.retry_after(), 2)
        if not bucket.take():
            return round(bucket.retry_after(), 2)
        return None


def reset() -> None:
    """Forget every person's bucket (tests)."""
    with _user_buckets_lock:
        _user_buckets.clear()
