"""Shared set-up of the matching benchmarks: point Django at the benchmark database.

Benchmarks, not tests: they are never collected by pytest (bench/ is outside testpaths) nor run
in CI. Run them from the repository root with the project's interpreter (see docs/MATCHING.md).
"""

import os
import sys
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parents[2]
DEFAULT_DATABASE_URL = "postgis://tandem@127.0.0.1:54329/tandem_bench"


def django_setup(database_url: str | None = None) -> str:
    """Configure Django against the benchmark database (BENCH_DATABASE_URL or the default)."""
    url = database_url or os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    if str(REPOSITORY) not in sys.path:
        sys.path.insert(0, str(REPOSITORY))
    import django

    django.setup()
    return url
