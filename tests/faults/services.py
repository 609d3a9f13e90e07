"""Real services a fault test may break: a private PostgreSQL cluster, and Uvicorn processes
whose process ids the test can check (or kill).

The shared PostgreSQL (and Redis) are never stopped: other test runs use them. The private
cluster uses the same PostgreSQL binaries as scripts/services.sh and, like it, runs the server
as the `postgres` user when the tests run as root (PostgreSQL refuses root). Its files live in
a fresh folder under the system's temporary directory, owned by whoever runs the server, so it
works wherever the repository is (even in a folder `postgres` may not enter).
"""

import os
import shutil
import signal
import subprocess
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from tests.messaging.servers import (
    free_port,
    isolated_redis_url,
    server_environment,
    uvicorn_process_start,
    uvicorn_processes_stop,
    wait_until_serving,
)


def postgres_bin_directory() -> Path:
    """PostgreSQL 15's binaries (as scripts/services.sh), else those on the PATH."""
    debian = Path("/usr/lib/postgresql/15/bin")
    if debian.is_dir():
        return debian
    pg_ctl = shutil.which("pg_ctl")
    if pg_ctl is None:
        raise RuntimeError("PostgreSQL's pg_ctl is not installed")
    return Path(pg_ctl).parent


def _as_server_owner(command: list[str]) -> list[str]:
    # As scripts/services.sh: PostgreSQL refuses to run as root, so root runs it as `postgres`.
    if os.geteuid() == 0:
        return ["runuser", "-u", "postgres", "--", *command]
    return command


class PrivatePostgres:
    """A throw-away PostgreSQL cluster on a free loopback port (trust authentication, user
    `tandem`, no fsync: it holds test data for a few seconds), that a test may stop and start."""

    user = "tandem"

    def __init__(self):
        self.bin = postgres_bin_directory()
        self.port = free_port()
        if os.geteuid() == 0:
            # In /tmp itself (not $TMPDIR, which may be a folder `postgres` cannot enter).
            self.directory = Path(tempfile.mkdtemp(prefix="tandem-faults-pg-", dir="/tmp"))
            shutil.chown(self.directory, user="postgres")
        else:
            self.directory = Path(tempfile.mkdtemp(prefix="tandem-faults-pg-"))
        self.data = self.directory / "data"
        self._run_as_owner(
            [
                str(self.bin / "initdb"),
                "-D",
                str(self.data),
                "-U",
                self.user,
                "--auth=trust",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
                "--no-sync",
            ]
        )

    def _run_as_owner(self, command: list[str]) -> None:
        # cwd "/": the server's user may not be allowed into the current folder.
        subprocess.run(
            _as_server_owner(command), cwd="/", check=True, capture_output=True, timeout=60
        )

    def _client(self, tool: str, *arguments: str, **options) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(self.bin / tool), "-h", "127.0.0.1", "-p", str(self.port), "-U", self.user]
            + list(arguments),
            check=True,
            capture_output=True,
            timeout=60,
            **options,
        )

    def url(self, database: str) -> str:
        return f"postgis://{self.user}@127.0.0.1:{self.port}/{database}"

    def start(self) -> None:
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.directory} -c fsync=off"
            " -c full_page_writes=off -c synchronous_commit=off"
        )
        self._run_as_owner(
            [
                str(self.bin / "pg_ctl"),
                "-D",
                str(self.data),
                "-l",
                str(self.directory / "server.log"),
                "-w",
                "-t",
                "30",
                "-o",
                options,
                "start",
            ]
        )

    def stop(self, mode: str = "fast") -> None:
        """Stop the server ("fast": roll back open transactions and close every connection,
        what a restart by an operator or a service manager does)."""
        self._run_as_owner(
            [str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", mode, "-w", "stop"]
        )

    def is_running(self) -> bool:
        status = subprocess.run(
            _as_server_owner([str(self.bin / "pg_ctl"), "-D", str(self.data), "status"]),
            cwd="/",
            capture_output=True,
        )
        return status.returncode == 0

    def copy_database(self, source_url_parts: dict, name: str) -> None:
        """Create `name` here as a copy (schema and data, PostGIS included) of a database of
        another server: `pg_dump -Fc | pg_restore`, about a second for the test database."""
        self._client("createdb", name)
        source = dict(source_url_parts)
        environment = {**os.environ}
        if source.get("PASSWORD"):
            environment["PGPASSWORD"] = source["PASSWORD"]
        dump = subprocess.Popen(
            [
                str(self.bin / "pg_dump"),
                "-Fc",
                "-h",
                source.get("HOST") or "127.0.0.1",
                "-p",
                str(source.get("PORT") or 5432),
                "-U",
                source.get("USER") or self.user,
                source["NAME"],
            ],
            stdout=subprocess.PIPE,
            env=environment,
        )
        try:
            self._client(
                "pg_restore", "--no-owner", "--exit-on-error", "-d", name, stdin=dump.stdout
            )
        finally:
            dump.stdout.close()
            if dump.wait(timeout=60) != 0:
                raise RuntimeError("pg_dump failed")

    def query(self, database: str, sql: str) -> str:
        return self._client("psql", "-d", database, "-tAc", sql).stdout.decode().strip()

    def remove(self) -> None:
        if self.is_running():
            self.stop("immediate")
        shutil.rmtree(self.directory, ignore_errors=True)


def this_runs_database() -> dict:
    """HOST, PORT, USER, PASSWORD, NAME of the database this test run uses."""
    return settings.DATABASES["default"]


@dataclass
class Server:
    """One Uvicorn process serving config.asgi."""

    url: str
    process: subprocess.Popen

    @property
    def websocket_url(self) -> str:
        return self.url.replace("http://", "ws://")

    def kill(self) -> None:
        """SIGKILL: the process dies at once, mid-request, as in a crash or an OOM kill."""
        self.process.send_signal(signal.SIGKILL)
        self.process.wait(timeout=10)


@contextmanager
def uvicorn_processes(environments: list[dict]):
    """One Uvicorn process per entry of `environments` (its extra environment variables, e.g.
    DATABASE_URL; the test database by default), on free loopback ports, all on one Redis
    database of their own. Like tests.messaging.servers.uvicorn_servers, but yields Server
    objects, so that a test can check a process id or kill one process."""
    servers: list[Server] = []
    redis_url = isolated_redis_url()
    try:
        for extra in environments:
            port = free_port()
            environment = server_environment(
                redis_url=redis_url, extra_env={"LOG_LEVEL": "error", **extra}
            )
            process = uvicorn_process_start(
                port=port, environment=environment, log_level="critical"
            )
            servers.append(Server(url=f"http://127.0.0.1:{port}", process=process))
        for server in servers:
            wait_until_serving(server.url, server.process)
        yield servers
    finally:
        uvicorn_processes_stop([server.process for server in servers])


def wait_for(condition, *, timeout: float, interval: float = 0.05):
    """The first truthy value of `condition()` within `timeout` seconds, else None."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(interval)
    return None
