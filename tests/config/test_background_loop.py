"""The background event loop: synchronous code runs a coroutine on one long-lived loop."""

import asyncio
import threading
import time

import pytest

from core import background_loop


async def current_loop_and_thread():
    return asyncio.get_running_loop(), threading.current_thread().name


def test_every_call_runs_on_the_same_loop_outside_the_caller_thread():
    first_loop, first_thread = background_loop.run_coroutine(current_loop_and_thread(), timeout=2)
    second_loop, _ = background_loop.run_coroutine(current_loop_and_thread(), timeout=2)
    assert first_loop is second_loop
    assert first_loop.is_running()
    assert first_thread == "background-event-loop" != threading.current_thread().name


def test_calls_from_many_threads_at_once_all_get_their_own_result():
    results = {}

    async def echo(number):
        await asyncio.sleep(0.01)
        return number

    def call(number):
        results[number] = background_loop.run_coroutine(echo(number), timeout=2)

    threads = [threading.Thread(target=call, args=(number,)) for number in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == {number: number for number in range(20)}


def test_a_slow_coroutine_times_out_and_is_cancelled():
    cancelled = threading.Event()

    async def slow():
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            cancelled.set()
            raise

    started = time.monotonic()
    with pytest.raises(TimeoutError):
        background_loop.run_coroutine(slow(), timeout=0.2)
    assert time.monotonic() - started < 1
    assert cancelled.wait(1)


def test_the_coroutine_exception_reaches_the_caller():
    async def broken():
        raise ConnectionError("Redis is down")

    with pytest.raises(ConnectionError):
        background_loop.run_coroutine(broken(), timeout=2)


async def test_async_code_is_told_to_await_instead_of_blocking_its_loop():
    with pytest.raises(RuntimeError):
        background_loop.run_coroutine(current_loop_and_thread(), timeout=2)
