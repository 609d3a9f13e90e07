"""`/healthz`: is the database reachable, does the channel layer deliver a message, and do
the background jobs run (no job ready to run waits longer than JOBS_MAX_PENDING_AGE_SECONDS)?

A synchronous view, like the rest of HTTP (config/asgi.py). The channel-layer round trip runs
on the process's background event loop (core/background_loop.py): channels_redis lets only
one event loop at a time receive on a process's channel layer ("Two event loops are trying to
receive() on one channel layer at once!" — every concurrent check failed with it under load when
each check ran its own loop), and concurrent checks on one loop are what it is built for.
"""

import asyncio
import logging

from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connection
from django.http import JsonResponse

from core import background_loop
from core.jobs import oldest_pending_job_age_seconds

logger = logging.getLogger(__name__)

CHECK_TIMEOUT_SECONDS = 2.0


def _check_database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return "ok"
    except Exception as error:  # any failure means "down"; the reason goes to the log
        logger.warning("healthz: database down", extra={"error": repr(error)})
        return "down"


async def _channel_layer_round_trip() -> bool:
    """Send a message to a fresh channel and read it back: proves Redis stores and delivers."""
    layer = get_channel_layer()

    async def round_trip():
        channel = await layer.new_channel("healthz.")
        await layer.send(channel, {"type": "healthz.ping"})
        message = await layer.receive(channel)
        return message.get("type") == "healthz.ping"

    return await asyncio.wait_for(round_trip(), CHECK_TIMEOUT_SECONDS)


def _check_channel_layer() -> str:
    try:
        round_trip = _channel_layer_round_trip()
        delivered = background_loop.run_coroutine(round_trip, timeout=CHECK_TIMEOUT_SECONDS + 1)
        return "ok" if delivered else "down"
    except Exception as error:
        logger.warning("healthz: channel layer down", extra={"error": repr(error)})
        return "down"


def _check_jobs() -> str:
    """ "ok", or how long the oldest job ready to run has waited when that is longer than
    JOBS_MAX_PENDING_AGE_SECONDS (the worker is down or cannot keep up)."""
    try:
        age = oldest_pending_job_age_seconds()
    except Exception as error:
        logger.warning("healthz: jobs unknown", extra={"error": repr(error)})
        return "down"
    if age is not None and age > settings.JOBS_MAX_PENDING_AGE_SECONDS:
        return f"oldest pending job waits {int(age)} s"
    return "ok"


def healthz(request):
    body = {
        "database": _check_database(),
        "channel_layer": _check_channel_layer(),
    }
    # Without the database the queue cannot be read: "unknown", and "database" says why.
    body["jobs"] = _check_jobs() if body["database"] == "ok" else "unknown"
    down = [name for name, state in body.items() if state not in ("ok", "unknown")]
    if down:
        body["down"] = ["redis" if name == "channel_layer" else name for name in down]
        return JsonResponse(body, status=503)
    return JsonResponse(body)
