"""The connections of the database pool (config/settings.py, DB_POOL_*): warmed before use.

psycopg_pool opens connections in its own worker threads: at start (min_size of them, which
config/asgi.py waits for), to replace one that failed its check or reached max_lifetime, and
when it grows. Each one runs the hot queries once (ranking.warmup) right after connecting, in
that worker thread, so no request ever meets a cold backend (docs/MATCHING.md, "Connections").
Django passes its own `configure` callback to the pool, so the warm-up lives in the connection
class (the pool's `connection_class` option), not in a second callback.
"""

import logging
import time

import psycopg

logger = logging.getLogger(__name__)


def warm_up(connection) -> float:
    """Run ranking.warmup's statements on `connection` (psycopg, autocommit); the seconds spent.

    A statement that fails (a database not migrated yet, say) is logged and skipped: a cold
    connection is slower, never wrong, so warming never stops the pool from connecting.
    """
    from ranking.warmup import warm_up_statements

    started = time.perf_counter()
    for sql, params in warm_up_statements():
        try:
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                cursor.fetchall()
        except psycopg.Error as error:
            logger.info("database warm-up: a statement failed (%s), skipped", error)
            if not connection.autocommit:
                connection.rollback()
    return time.perf_counter() - started


class WarmConnection(psycopg.Connection):
    """A psycopg connection that runs warm_up() once, as soon as it is open."""

    @classmethod
    def connect(cls, *args, **kwargs):
        connection = super().connect(*args, **kwargs)
        seconds = warm_up(connection)
        logger.debug("database warm-up: %.1f ms", seconds * 1000)
        return connection
