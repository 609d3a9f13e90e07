"""Where one kind of request spends its CPU: Django's WSGI handler called in-process, no server.

Not a test and not in CI. Calls the project's WSGI application directly (the handler the server
runs, config/asgi.py) with one request N times, prints the CPU per request and its p50/p95 time,
with a static file timed the same way as the baseline, then a cProfile of N more calls. No
network, no Uvicorn: what remains is the application's own work plus its PostgreSQL and Redis
round trips, so a change to a view, a selector or a serializer shows here first. The figures are
lower than bench/load/cost_per_request.py's (no server, warm CPU caches): compare like with like.

Reads the benchmark database and accounts of bench/load/run.sh (run it once, or `--serve`):

    source scripts/env.sh
    DATABASE_URL=postgis://tandem@127.0.0.1:54329/tandem_bench_load DEBUG=false \\
    ALLOWED_HOSTS=127.0.0.1 SECRET_KEY=profile DB_POOL_MAX_SIZE=8 \\
        .venv/bin/python bench/load/profile_request.py /api/requests/nearby/ --as helper
    ... profile_request.py "/api/services/?postcode=1000" --sort tottime
    ... profile_request.py /api/requests/ --as requester --post '{"category": "shopping", ...}'

`--as` is requester (the second requester of accounts.json: owns its requests), helper,
coordinator or nobody (the default). `--dump FILE` writes the last response body, to compare
two versions of the code byte for byte.
"""

import argparse
import cProfile
import io
import json
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(PROJECT_ROOT))


def token_of(persona: str, accounts: dict) -> str | None:
    return {
        "requester": accounts["requesters"][1]["token"],
        "helper": accounts["helpers"][0]["token"],
        "coordinator": accounts["coordinators"][0]["token"],
        "nobody": None,
    }[persona]


def caller(application, path: str, *, token: str | None, body: bytes | None, language: str):
    """A function that sends the request through `application` and returns (status, body)."""
    path_only, _, query = path.partition("?")

    def call() -> tuple[str, bytes]:
        environ = {
            "REQUEST_METHOD": "POST" if body is not None else "GET",
            "PATH_INFO": path_only,
            "QUERY_STRING": query,
            "SERVER_NAME": "127.0.0.1",
            "SERVER_PORT": "443",
            "REMOTE_ADDR": "127.0.0.1",
            "HTTP_HOST": "127.0.0.1",
            "HTTP_ACCEPT_LANGUAGE": language,
            # As behind the TLS proxy: production settings redirect plain HTTP.
            "wsgi.url_scheme": "https",
            "wsgi.input": io.BytesIO(body or b""),
        }
        if body is not None:
            environ["CONTENT_TYPE"] = "application/json"
            environ["CONTENT_LENGTH"] = str(len(body))
        if token:
            environ["HTTP_AUTHORIZATION"] = f"Token {token}"
        status = []
        content = b"".join(application(environ, lambda line, headers, *_: status.append(line)))
        return status[0], content

    return call


def timed(call, count: int) -> tuple[float, float, float]:
    """CPU ms per call, p50 and p95 wall ms."""
    durations = []
    cpu_before = time.process_time()
    for _ in range(count):
        started = time.perf_counter()
        call()
        durations.append((time.perf_counter() - started) * 1000)
    cpu = (time.process_time() - cpu_before) * 1000 / count
    durations.sort()
    return cpu, statistics.median(durations), durations[int(len(durations) * 0.95)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("path")
    parser.add_argument(
        "--as",
        dest="persona",
        default="nobody",
        choices=["requester", "helper", "coordinator", "nobody"],
    )
    parser.add_argument("--post", help="JSON body: send a POST instead of a GET")
    parser.add_argument("--language", default="fr")
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--sort", default="cumulative", help="cProfile order (e.g. tottime)")
    parser.add_argument("--lines", type=int, default=50)
    parser.add_argument("--accounts", default="bench/results/load/accounts.json")
    parser.add_argument("--dump", help="write the last response body to this file")
    arguments = parser.parse_args()

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    from config.asgi import django_wsgi_application  # the server's handler, set up as it is

    accounts = json.loads(Path(arguments.accounts).read_text())
    body = arguments.post.encode() if arguments.post is not None else None
    call = caller(
        django_wsgi_application,
        arguments.path,
        token=token_of(arguments.persona, accounts),
        body=body,
        language=arguments.language,
    )
    baseline = caller(
        django_wsgi_application,
        "/static/frontend/site.css",
        token=None,
        body=None,
        language=arguments.language,
    )
    for _ in range(20):  # warm-up: lazy imports, pool connections, catalogues
        status, content = call()
        baseline()
    print(f"{arguments.path} as {arguments.persona}: {status}, {len(content)} bytes")
    if arguments.dump:
        Path(arguments.dump).write_bytes(content)
    for name, function in (("baseline: static file", baseline), (arguments.path, call)):
        cpu, p50, p95 = timed(function, arguments.calls)
        print(
            f"{name}: CPU {cpu:.2f} ms per request, p50 {p50:.2f} ms, p95 {p95:.2f} ms "
            f"({arguments.calls} calls)"
        )

    profile = cProfile.Profile()
    profile.enable()
    for _ in range(arguments.calls):
        call()
    profile.disable()
    report = io.StringIO()
    pstats.Stats(profile, stream=report).sort_stats(arguments.sort).print_stats(arguments.lines)
    print(report.getvalue())


if __name__ == "__main__":
    main()
