"""Conversation.referral_id, a plain integer until now, becomes a foreign key to carers.Referral.

The column keeps its name (`referral_id`, the foreign key's own column name) and its values:
1. ids of referrals that no longer exist are set to NULL first, or the constraint could not be
   added;
2. the hand-made index on the column goes (the foreign key brings its own);
3. in Django's state only, the integer field `referral_id` becomes a field `referral` stored in
   the same `referral_id` column, so that
4. AlterField turns it into the foreign key without renaming anything in the database: it drops
   the integer's "not negative" check and adds the constraint and its index.
"""

import django.db.models.deletion
from django.db import migrations, models

NULL_MISSING_REFERRALS = """
UPDATE messaging_conversation AS conversation
SET referral_id = NULL
WHERE conversation.referral_id IS NOT NULL
  AND NOT EXISTS (
    SELECT 1 FROM carers_referral AS referral WHERE referral.id = conversation.referral_id
  )
"""


class Migration(migrations.Migration):
    dependencies = [
        ("carers", "0002_directory_referrals_diary"),
        ("messaging", "0001_initial"),
    ]

    operations = [
        migrations.RunSQL(NULL_MISSING_REFERRALS, reverse_sql=migrations.RunSQL.noop),
        migrations.RemoveIndex(model_name="conversation", name="conversation_referral"),
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(model_name="conversation", name="referral_id"),
                migrations.AddField(
                    model_name="conversation",
                    name="referral",
                    field=models.PositiveBigIntegerField(
                        blank=True, db_column="referral_id", null=True, verbose_name="referral"
                    ),
                ),
            ],
        ),
        migrations.AlterField(
            model_name="conversation",
            name="referral",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="conversations",
                to="carers.referral",
                verbose_name="referral",
            ),
        ),
    ]
