"""The partial indexes on coverage_metric become SP-GiST (same names, same conditions).

The helpers' discs overlap a lot (radii up to 50 km); SP-GiST's quad-tree of boxes finds the
ones holding a point faster than GiST's R-tree (docs/MATCHING.md).
"""

import django.contrib.postgres.indexes
from django.db import migrations, models

CATEGORIES = [
    "shopping",
    "meals",
    "administration",
    "transport",
    "company",
    "gardening",
    "odd_jobs",
    "household",
    "digital",
]


def coverage_index(category: str):
    return django.contrib.postgres.indexes.SpGistIndex(
        # An expression, not `fields`: GeoDjango's schema editor drops the condition otherwise.
        models.F("coverage_metric"),
        condition=models.Q(
            ("active", True),
            ("categories__contains", [category]),
            ("verification_state", "verified"),
        ),
        name=f"helper_coverage_{category}",
    )


class Migration(migrations.Migration):
    dependencies = [
        ("matching", "0005_helperprofile_narrow_rows"),
    ]

    operations = [
        *[
            migrations.RemoveIndex(model_name="helperprofile", name=f"helper_coverage_{category}")
            for category in CATEGORIES
        ],
        *[
            migrations.AddIndex(model_name="helperprofile", index=coverage_index(category))
            for category in CATEGORIES
        ],
    ]
