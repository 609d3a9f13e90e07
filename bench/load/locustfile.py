"""Mixed load on Tandem: the three kinds of users and anonymous visitors (issue 6, item 6).

Not a test and not in CI: bench/load/run.sh starts a server on the benchmark database and runs
this file headless at several user counts. Every simulated user starts one task per second on
average, at random moments (`poisson_arrivals(1)`): N users offer about N requests per second,
so a step whose measured rate falls short of N, or whose latency climbs, has found where the
server saturates. Random moments matter: with locust's `constant_throughput(1)` all users
spawned in the same instant fire in the same instant every second, and the measured latency is
mostly the queue of that burst (measured: a 1 ms static file showed a 95 ms median at 100
users), which is not how independent people use a site.

Users sign in with API tokens prepared by bench/load/accounts.py (BENCH_ACCOUNTS names the
JSON file). Share of the users, and what each does (weights within a user are relative):

- requester (4): own requests, one of them in detail, its candidates, /api/me/, conversations,
  and now and then a new request;
- helper (4): nearby open requests, own profile, conversations, and now and then an offer on
  a nearby request (409 "already offered" is a correct answer, not an error);
- coordinator (1): the referrals queue (each listing writes an audit row per referral), any
  request in detail, the services of a postcode, /healthz;
- anonymous visitor (3): the home page, a postcode lookup, the services of a postcode.

Floor, timed in the same run (run.sh runs them alone first): `StaticFloor` fetches a static file
(WhiteNoise, no database) and `HealthzFloor` /healthz (one database and one Redis round trip).
Name the user classes on the command line (run.sh does), or locust runs all six together:

    locust -f bench/load/locustfile.py Requester Helper Coordinator AnonymousVisitor ...
    locust -f bench/load/locustfile.py StaticFloor HealthzFloor ...
"""

import itertools
import json
import os
import random
import time

from locust import task
from locust.contrib.fasthttp import FastHttpUser

with open(os.environ.get("BENCH_ACCOUNTS", "bench/results/load/accounts.json")) as accounts_file:
    ACCOUNTS = json.load(accounts_file)

# Round robin over the accounts, so that N users are N different people while N allows it.
_next_requester = itertools.count()
_next_helper = itertools.count()

NEW_REQUEST_DESCRIPTIONS = (
    "Besoin d'aide pour les courses : eau, lait, fruits et légumes.",
    "Hulp gezocht voor de boodschappen: water, melk, groenten en fruit.",
    "Quelqu'un pour m'aider à remplir un formulaire en ligne ?",
    "Wie kan mij helpen met mijn smartphone instellen?",
)


# Every request on a new connection ("Connection: close"). With one kept-alive connection per
# simulated user, each user stays on whichever Uvicorn process accepted it, and the processes
# sharing the listening socket accept unevenly: at 150 users the server used 134 % of its 200 %
# CPU while latency climbed everywhere, one process busy and the other half idle. In production
# the reverse proxy spreads requests (deploy/nginx.conf); new connections let the kernel do it.
CLOSE = {"Connection": "close"}


def poisson_arrivals(rate_per_second: float):
    """A wait_time for locust: the user starts tasks as a Poisson process of the given rate
    (exponential gaps between start times, whatever each task took), so N users together are
    a Poisson process of N per second, the usual model of independent visitors."""

    def wait_time(user) -> float:
        now = time.monotonic()
        next_start = getattr(user, "_next_start", None) or now + random.random() / rate_per_second
        next_start = max(next_start, now - 1.0 / rate_per_second)  # never owe a burst
        user._next_start = next_start + random.expovariate(rate_per_second)
        return max(0.0, next_start - now)

    return wait_time


def first_task_staggered() -> None:
    """Wait a random part of a second before a user's first task.

    locust runs a user's first task the moment the user starts and only then waits, so the N
    users of a step, all started at once (`-r N`), fired N requests in the same instant: a burst
    that took the server 300-400 ms to clear and was 1.8 % of a 150-user step's requests, all
    over 150 ms (measured with a per-request timeline), and no real crowd does that.
    """
    time.sleep(random.random())  # gevent-patched under locust: only this user waits


class TandemUser(FastHttpUser):
    abstract = True
    wait_time = poisson_arrivals(1)
    token = ""

    def headers(self) -> dict:
        return {"Authorization": f"Token {self.token}", "Accept-Language": "fr", **CLOSE}

    def get(self, url: str, name: str | None = None):
        return self.client.get(url, headers=self.headers(), name=name or url)


class Requester(TandemUser):
    weight = 4

    def on_start(self) -> None:
        person = ACCOUNTS["requesters"][next(_next_requester) % len(ACCOUNTS["requesters"])]
        self.token = person["token"]
        self.postcode = person["postcode"] or "1000"
        self.request_ids = list(person["requests"])
        first_task_staggered()

    @task(4)
    def own_requests(self) -> None:
        self.get("/api/requests/")

    @task(3)
    def request_detail(self) -> None:
        self.get(f"/api/requests/{random.choice(self.request_ids)}/", name="/api/requests/[id]/")

    @task(3)
    def candidates(self) -> None:
        self.get(
            f"/api/requests/{random.choice(self.request_ids)}/candidates/?limit=10",
            name="/api/requests/[id]/candidates/",
        )

    @task(1)
    def me(self) -> None:
        self.get("/api/me/")

    @task(1)
    def conversations(self) -> None:
        self.get("/api/conversations/")

    @task(1)
    def new_request(self) -> None:
        response = self.client.post(
            "/api/requests/",
            json={
                "category": random.choice(["shopping", "administration", "digital"]),
                "description": random.choice(NEW_REQUEST_DESCRIPTIONS),
                "postcode": self.postcode,
                "duration_minutes": random.choice([30, 60, 90]),
                "recurrence": random.choice(["once", "weekly"]),
            },
            headers=self.headers(),
            name="/api/requests/",
        )
        if response.status_code == 201:
            self.request_ids.append(response.json()["id"])


class Helper(TandemUser):
    weight = 4

    def on_start(self) -> None:
        helper = ACCOUNTS["helpers"][next(_next_helper) % len(ACCOUNTS["helpers"])]
        self.token = helper["token"]
        self.nearby_ids: list[int] = []
        first_task_staggered()

    @task(5)
    def nearby(self) -> None:
        response = self.get("/api/requests/nearby/")
        if response.status_code == 200:
            self.nearby_ids = [item["id"] for item in response.json()]

    @task(2)
    def own_profile(self) -> None:
        self.get("/api/helpers/me/")

    @task(1)
    def conversations(self) -> None:
        self.get("/api/conversations/")

    @task(1)
    def offer(self) -> None:
        if not self.nearby_ids:
            return
        request_id = random.choice(self.nearby_ids)
        with self.client.post(
            f"/api/requests/{request_id}/offers/",
            json={"message": "Je peux passer cette semaine."},
            headers=self.headers(),
            name="/api/requests/[id]/offers/",
            catch_response=True,
        ) as response:
            # Offering twice on the same request is refused by design (CONTRACT.md: 409).
            if response.status_code == 409:
                response.success()


class Coordinator(TandemUser):
    weight = 1

    def on_start(self) -> None:
        self.token = random.choice(ACCOUNTS["coordinators"])["token"]
        first_task_staggered()

    @task(3)
    def referrals(self) -> None:
        self.get("/api/referrals/")

    @task(2)
    def any_request(self) -> None:
        self.get(
            f"/api/requests/{random.choice(ACCOUNTS['request_ids'])}/",
            name="/api/requests/[id]/ (coordinator)",
        )

    @task(2)
    def services(self) -> None:
        self.get(
            f"/api/services/?postcode={random.choice(ACCOUNTS['postcodes'])}",
            name="/api/services/?postcode=",
        )

    @task(1)
    def healthz(self) -> None:
        self.get("/healthz")


class AnonymousVisitor(FastHttpUser):
    weight = 3
    wait_time = poisson_arrivals(1)

    def on_start(self) -> None:
        first_task_staggered()

    @task(2)
    def home(self) -> None:
        self.client.get("/", headers={"Accept-Language": "fr", **CLOSE})

    @task(2)
    def postcode(self) -> None:
        self.client.get(
            f"/api/geo/postcodes/{random.choice(ACCOUNTS['postcodes'])}/",
            name="/api/geo/postcodes/[code]/",
            headers=CLOSE,
        )

    @task(1)
    def services(self) -> None:
        self.client.get(
            f"/api/services/?postcode={random.choice(ACCOUNTS['postcodes'])}",
            name="/api/services/?postcode= (anonymous)",
            headers=CLOSE,
        )


# --- Floor: what the server costs with (almost) no application work --------------------------


class StaticFloor(FastHttpUser):
    weight = 1
    wait_time = poisson_arrivals(1)

    def on_start(self) -> None:
        first_task_staggered()

    @task
    def static_file(self) -> None:
        self.client.get("/static/frontend/site.css", name="floor: static file", headers=CLOSE)


class HealthzFloor(FastHttpUser):
    weight = 1
    wait_time = poisson_arrivals(1)

    def on_start(self) -> None:
        first_task_staggered()

    @task
    def healthz(self) -> None:
        self.client.get("/healthz", name="floor: /healthz", headers=CLOSE)
