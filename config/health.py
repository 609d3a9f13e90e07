"""`/healthz`: is the database reachable, and does the channel layer deliver a message?"""

import asyncio
import logging

from asgiref.sync import sync_to_async
from channels.layers import get_channel_layer
from django.db import connection
from django.http import JsonResponse

logger = logging.getLogger(__name__)

CHECK_TIMEOUT_SECONDS = 2.0


def _database_answers() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


async def _check_database() -> str:
    try:
        await asyncio.wait_for(sync_to_async(_database_answers)(), CHECK_TIMEOUT_SECONDS)
        return "ok"
    except Exception as error:  # any failure means "down"; the reason goes to the log
        logger.warning("healthz: database down", extra={"error": repr(error)})
        return "down"


async def _check_channel_layer() -> str:
    """Send a message to a fresh channel and read it back: proves Redis stores and delivers."""
    layer = get_channel_layer()
    try:

        async def round_trip():
            channel = await layer.new_channel("healthz.")
            await layer.send(channel, {"type": "healthz.ping"})
            message = await layer.receive(channel)
            return message.get("type") == "healthz.ping"

        delivered = await asyncio.wait_for(round_trip(), CHECK_TIMEOUT_SECONDS)
        return "ok" if delivered else "down"
    except Exception as error:
        logger.warning("healthz: channel layer down", extra={"error": repr(error)})
        return "down"


async def healthz(request):
    database, channel_layer = await asyncio.gather(_check_database(), _check_channel_layer())
    body = {"database": database, "channel_layer": channel_layer}
    down = [name for name, state in body.items() if state != "ok"]
    if down:
        body["down"] = ["redis" if name == "channel_layer" else name for name in down]
        return JsonResponse(body, status=503)
    return JsonResponse(body)
