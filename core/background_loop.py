"""One long-lived event loop per process, for synchronous code that must await something.

HTTP views run in plain threads (config/asgi.py), so `asgiref.async_to_sync` has no server loop
to hand a coroutine to: it starts a thread and a fresh event loop for every call, and the
channel layer opens new Redis connections for every fresh loop. `POST /api/requests/` told
the nearest helpers of a new request that way, one call each, and cost 36.7 ms of server CPU;
with the sends here, in one batch, and the two smaller changes of requests_app/notifications.py
it costs 17.6 ms (`bench/load/cost_per_request.py`, bench/load/README.md). Here the loop and its
Redis connections live as long as the process, in one daemon thread, and callers wait for their
coroutine's result with a time limit.

The loop is created on first use and again in a process that forked after it (the child does
not inherit the thread).
"""

import asyncio
import concurrent.futures
import os
import threading
from collections.abc import Coroutine
from typing import Any

_lock = threading.Lock()
_loop: asyncio.AbstractEventLoop | None = None
_thread: threading.Thread | None = None
_owner_pid: int | None = None


def _running_loop() -> asyncio.AbstractEventLoop:
    global _loop, _thread, _owner_pid
    with _lock:
        if _loop is None or _owner_pid != os.getpid() or not _thread.is_alive():
            _loop = asyncio.new_event_loop()
            _thread = threading.Thread(
                target=_loop.run_forever, name="background-event-loop", daemon=True
            )
            _thread.start()
            _owner_pid = os.getpid()
        return _loop


def run_coroutine(coroutine: Coroutine[Any, Any, Any], *, timeout: float) -> Any:
    """Run `coroutine` on the process's background loop and return its result.

    Raises TimeoutError after `timeout` seconds (the coroutine is cancelled), the coroutine's own
    exception if it raised, and RuntimeError when called from a thread that runs an event loop
    itself (blocking there would stall that loop: await the coroutine instead).
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        pass  # no loop in this thread: blocking is fine
    else:
        coroutine.close()
        raise RuntimeError("run_coroutine() blocks: await the coroutine in async code")
    future = asyncio.run_coroutine_threadsafe(coroutine, _running_loop())
    try:
        return future.result(timeout)
    except concurrent.futures.TimeoutError:
        future.cancel()
        raise TimeoutError(f"coroutine still running after {timeout} s") from None
