"""The service directory moves to the directory app (directory 0001): the referral's link now
names `directory.Service`, the same table; nothing is written to the database."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("carers", "0003_referral_reasons_as_codes"),
        ("directory", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="referral",
                    name="referred_to",
                    field=models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="referrals",
                        to="directory.service",
                        verbose_name="referred to",
                    ),
                ),
                migrations.DeleteModel(name="Service"),
            ],
            database_operations=[],
        ),
    ]
