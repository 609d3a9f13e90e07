"""A cursor for the hot queries that PostgreSQL may keep prepared (parsed and planned once per
connection), where every other query of the project keeps Django's client-side binding.

Planning the candidates query costs 2–10 ms on each call (EXPLAIN ANALYZE on the benchmark
database: about a fifth of its time) although only its parameters change. psycopg prepares a
query after `prepare_threshold` executions on a connection (config/settings.py,
DB_PREPARE_THRESHOLD), but only through a cursor that binds its parameters on the server:
Django's default cursor (psycopg's ClientCursor) never prepares, and turning server-side binding
on for the whole project would change how every query's parameters are typed. So only the
queries run through `prepared_cursor()` are prepared; they are plain SQL whose parameters are
typed by their use (ids, numbers, EWKB, text arrays).

The cursor still goes through Django's wrappers: its errors are Django's (an outage gives the
usual 503), `connection.execute_wrapper` sees its queries, and the tests count them.
"""

from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
from django.db import connection


@contextmanager
def prepared_cursor() -> Iterator:
    """A Django cursor on the default connection whose queries psycopg may prepare."""
    connection.ensure_connection()
    with connection.wrap_database_errors:
        raw = psycopg.Cursor(connection.connection)
    cursor = (
        connection.make_debug_cursor(raw)
        if connection.queries_logged
        else connection.make_cursor(raw)
    )
    with cursor:
        yield cursor
