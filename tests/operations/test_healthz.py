import urllib.request
from concurrent.futures import ThreadPoolExecutor

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_healthz_reports_database_and_channel_layer_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "channel_layer": "ok", "jobs": "ok"}


def test_healthz_names_jobs_when_the_oldest_pending_job_is_too_old(client, settings):
    import datetime

    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from notifications.jobs import email_deliver

    settings.JOBS_MAX_PENDING_AGE_SECONDS = 60
    email_deliver.enqueue(delivery_id=0)
    assert client.get("/healthz").status_code == 200  # just enqueued: fine

    DBTaskResult.objects.update(enqueued_at=timezone.now() - datetime.timedelta(seconds=90))
    response = client.get("/healthz")

    assert response.status_code == 503
    body = response.json()
    assert body["jobs"].startswith("oldest pending job waits 9")
    assert body["down"] == ["jobs"]


def test_healthz_names_redis_when_redis_is_unreachable(client, settings):
    # Nothing listens on port 1 of loopback: the channel layer cannot reach its Redis.
    settings.CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": ["redis://127.0.0.1:1/0"]},
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["database"] == "ok"
    assert body["channel_layer"] == "down"
    assert "redis" in body["down"]


def test_concurrent_checks_all_succeed(live_server):
    """HTTP requests run in threads (config/asgi.py); channels_redis refuses two event loops
    receiving at once, which made concurrent checks fail before they took turns."""

    def status_of_one_check(_number: int) -> int:
        with urllib.request.urlopen(live_server.url + "/healthz", timeout=10) as response:
            return response.status

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(status_of_one_check, range(40)))

    assert statuses == [200] * 40
