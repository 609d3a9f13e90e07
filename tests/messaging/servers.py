"""Real server processes for end-to-end tests: Uvicorn running config.asgi, and a private Redis.

Uvicorn runs with the production settings module (config.settings) against the test database
that pytest-django created, so the data a transactional test commits is what the servers see.
"""

import os
import random
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings

PROJECT_ROOT = Path(__file__).resolve().parents[2]
# This interpreter with `-m uvicorn` rather than .venv/bin/uvicorn: a virtualenv copied from
# another checkout keeps script lines that point at the other one's Python and packages.
UVICORN = [sys.executable, "-m", "uvicorn"]
# Imports take 17–28 s per process at a load average of 9–17 on 2 cores (several test servers
# start at once): a start-up limit, not a property under test.
STARTUP_SECONDS = 60


def free_port() -> int:
    """A TCP port on the loopback interface that nobody listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def database_url_of_this_run() -> str:
    """The URL of the database this test run uses (the test database, not the real one)."""
    database = settings.DATABASES["default"]
    user = database.get("USER") or ""
    password = f":{database['PASSWORD']}" if database.get("PASSWORD") else ""
    credentials = f"{user}{password}@" if user else ""
    host = database.get("HOST") or "127.0.0.1"
    port = database.get("PORT") or 5432
    return f"postgis://{credentials}{host}:{port}/{database['NAME']}"


def isolated_redis_url() -> str:
    """The shared Redis, in a numbered database picked at random, so concurrent test runs do not
    share channel groups (group names contain conversation ids, which every test database
    starts from 1)."""
    base = settings.REDIS_URL.rsplit("/", 1)[0]
    return f"{base}/{random.randint(1, 15)}"


def wait_until_serving(base_url: str, process: subprocess.Popen) -> None:
    """Return once the server at `base_url` answers /healthz (any status); raise RuntimeError
    when its process exits or it does not answer within STARTUP_SECONDS. The messaging
    benchmarks (bench/messaging) wait for their servers with it too."""
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"uvicorn exited with {process.returncode}")
        try:
            urllib.request.urlopen(base_url + "/healthz", timeout=2)
            return
        except urllib.error.HTTPError:
            return  # it answers (503 would only mean a dependency is down)
        except OSError:
            time.sleep(0.1)
    raise RuntimeError(f"uvicorn at {base_url} did not start within {STARTUP_SECONDS} s")


def uvicorn_process_start(*, port: int, environment: dict, log_level: str) -> subprocess.Popen:
    """One Uvicorn process serving config.asgi on a loopback port (not waited for)."""
    return subprocess.Popen(
        [
            *UVICORN,
            "config.asgi:application",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--log-level",
            log_level,
            "--no-access-log",
            "--ws-per-message-deflate",
            "false",
        ],
        cwd=PROJECT_ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
    )


def uvicorn_processes_stop(processes: list[subprocess.Popen]) -> None:
    """Terminate the processes still running, and kill those that do not stop within 10 s."""
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def server_environment(*, redis_url: str, extra_env: dict | None = None) -> dict:
    """The environment of a server process: production settings on this run's test database."""
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": database_url_of_this_run(),
        "REDIS_URL": redis_url,
        "LOG_LEVEL": "warning",
        **(extra_env or {}),
    }


@contextmanager
def uvicorn_servers(count: int, *, redis_url: str | None = None, extra_env: dict | None = None):
    """Start `count` Uvicorn processes on free loopback ports; yields their base URLs."""
    environment = server_environment(
        redis_url=redis_url or isolated_redis_url(), extra_env=extra_env
    )
    processes, urls = [], []
    try:
        for _ in range(count):
            port = free_port()
            processes.append(
                uvicorn_process_start(port=port, environment=environment, log_level="warning")
            )
            urls.append(f"http://127.0.0.1:{port}")
        for url, process in zip(urls, processes, strict=True):
            wait_until_serving(url, process)
        yield urls
    finally:
        uvicorn_processes_stop(processes)


class PrivateRedis:
    """A throw-away redis-server on a free loopback port, that a test may stop and restart
    (never the shared one: other test runs use it). Nothing is persisted to disk."""

    def __init__(self):
        self.port = free_port()
        self.directory = tempfile.mkdtemp(prefix="tandem-redis-")
        self.process: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                self.directory,
            ],
            stdout=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as connection:
                    connection.sendall(b"PING\r\n")
                    if connection.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        raise RuntimeError("private redis-server did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=10)
        self.process = None
