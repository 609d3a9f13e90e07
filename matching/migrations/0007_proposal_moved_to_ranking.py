# Proposals moved to the ranking app (ranking/migrations/0001_initial.py): matching forgets the
# model, the table stays where it is and now belongs to ranking.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('matching', '0006_helperprofile_coverage_spgist'),
        ('ranking', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='Proposal')],
            database_operations=[],
        ),
    ]
