"""Warm database connections (issue 17): every connection the pool opens runs the hot queries once
(ranking/warmup.py, config/database.py) — harmlessly, and without ever stopping a connection."""

from unittest import mock

import pytest
from django.contrib.gis.geos import Point
from django.db import connection

from config.database import WarmConnection
from matching.vocabulary import Category
from ranking.warmup import warm_up_statements
from tests.matching.factories import VerifiedHelperFactory
from tests.requests_app.factories import HelpRequestFactory

pytestmark = pytest.mark.django_db

GRAND_PLACE = Point(4.3525, 50.8467, srid=4326)


def test_the_hot_queries_run_for_every_category_and_nearby_and_find_nothing():
    # A helper and an open request right where the warm-up looks: still nothing comes back,
    # since the warm-up asks about ids that do not exist.
    VerifiedHelperFactory(location=GRAND_PLACE, postcode="1000", categories=Category.values)
    HelpRequestFactory(location=GRAND_PLACE, postcode="1000")
    statements = warm_up_statements()
    candidates = [sql for sql, _ in statements if "partial_score" in sql]
    assert len(candidates) == len(Category.values)
    assert any("found AS MATERIALIZED" in sql for sql, _ in statements)  # nearby
    for sql, params in statements[1:]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            assert cursor.fetchall() == []


def _connection_parameters() -> dict:
    parameters = connection.get_connection_params()
    parameters.pop("pool", None)
    parameters["autocommit"] = True
    return parameters


def test_a_warm_connection_runs_the_statements_as_soon_as_it_is_open():
    marker = [("SELECT set_config('tandem.warmed', 'yes', false)", [])]
    with mock.patch("ranking.warmup.warm_up_statements", return_value=marker):
        warm = WarmConnection.connect(**_connection_parameters())
    try:
        assert warm.execute("SELECT current_setting('tandem.warmed')").fetchone() == ("yes",)
    finally:
        warm.close()


def test_a_failing_statement_is_skipped_and_the_connection_still_works():
    statements = [
        ("SELECT * FROM no_such_table_here", []),
        ("SELECT set_config('tandem.warmed', 'yes', false)", []),
    ]
    with mock.patch("ranking.warmup.warm_up_statements", return_value=statements):
        warm = WarmConnection.connect(**_connection_parameters())
    try:
        assert warm.execute("SELECT current_setting('tandem.warmed')").fetchone() == ("yes",)
    finally:
        warm.close()
