"""What one chat message costs the server in its database thread: messaging.services.message_send
(the transaction, the unread-check scheduling of the notifications app, the broadcast after
commit), timed N times in one process. Not a test; not run in CI.

    source scripts/env.sh
    DATABASE_URL=postgis://tandem@127.0.0.1:54329/tandem_bench_messaging \\
        .venv/bin/python bench/messaging/send_cost.py --sends 300

The database is one a chat benchmark made (bench/messaging/chaos.py or ws_load.py): its first
conversation gets the messages. It prints p50/p95 of message_send and, as the baseline timed in
the same run, of one `SELECT 1` round trip on the same connection. To compare two versions of
the code, run it from each checkout in turn on the same database (alternating).
"""

import argparse
import os
import statistics
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sends", type=int, default=300)
    arguments = parser.parse_args()

    import django

    django.setup()
    from django.db import connection

    from messaging.models import Conversation, Participant
    from messaging.services import message_send

    conversation = Conversation.objects.order_by("id").first()
    if conversation is None:
        sys.exit("no conversation in this database: run a chat benchmark on it first")
    sender = Participant.objects.filter(conversation=conversation).select_related("user").first()

    def timed(action) -> float:
        started = time.perf_counter()
        action()
        return (time.perf_counter() - started) * 1000

    def send() -> None:
        message_send(
            conversation=conversation, sender=sender.user, body="bench", client_id=uuid.uuid4()
        )

    def round_trip() -> None:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchall()

    send()  # the first one pays the connection
    sends = [timed(send) for _ in range(arguments.sends)]
    trips = [timed(round_trip) for _ in range(arguments.sends)]
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(
        f"message_send: n={len(sends)} p50={percentile(sends, 0.5):.2f} ms"
        f" p95={percentile(sends, 0.95):.2f} ms mean={statistics.mean(sends):.2f} ms"
    )
    print(
        f"baseline SELECT 1: p50={percentile(trips, 0.5):.2f} ms"
        f" p95={percentile(trips, 0.95):.2f} ms  [load average {load}]"
    )


if __name__ == "__main__":
    main()
