"""Planar (EPSG:3812) copies of each helper's home and covered area, with partial GiST indexes.

Additive: existing rows get their values from `location` and `radius_km` with the very
computation of matching.models.metric_coverage_polygon() (a buffer of 16 segments per quarter
circle in Belgian Lambert 2008), then the columns become NOT NULL.
"""

import django.contrib.gis.db.models.fields
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

FILL = """
UPDATE matching_helperprofile
SET location_metric = ST_Transform(location::geometry, 3812),
    coverage_metric = ST_Buffer(ST_Transform(location::geometry, 3812), radius_km * 1000.0, 16)
"""


def coverage_index(category: str):
    return django.contrib.postgres.indexes.GistIndex(
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
        ("matching", "0003_proposal"),
    ]

    operations = [
        migrations.AddField(
            model_name="helperprofile",
            name="coverage_metric",
            field=django.contrib.gis.db.models.fields.PolygonField(
                null=True,
                editable=False,
                spatial_index=False,
                srid=3812,
                verbose_name="area covered (Lambert 2008)",
            ),
        ),
        migrations.AddField(
            model_name="helperprofile",
            name="location_metric",
            field=django.contrib.gis.db.models.fields.PointField(
                null=True,
                editable=False,
                spatial_index=False,
                srid=3812,
                verbose_name="home (Lambert 2008)",
            ),
        ),
        migrations.RunSQL(FILL, migrations.RunSQL.noop),
        migrations.AlterField(
            model_name="helperprofile",
            name="coverage_metric",
            field=django.contrib.gis.db.models.fields.PolygonField(
                editable=False,
                spatial_index=False,
                srid=3812,
                verbose_name="area covered (Lambert 2008)",
            ),
        ),
        migrations.AlterField(
            model_name="helperprofile",
            name="location_metric",
            field=django.contrib.gis.db.models.fields.PointField(
                editable=False,
                spatial_index=False,
                srid=3812,
                verbose_name="home (Lambert 2008)",
            ),
        ),
        *[
            migrations.AddIndex(model_name="helperprofile", index=coverage_index(category))
            for category in CATEGORIES
        ],
    ]
