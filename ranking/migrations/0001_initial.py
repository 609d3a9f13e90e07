# Proposals moved from the matching app to the ranking app (issue 12, "Layers"): a change of
# Django's state only. The table stays matching_proposal (ranking.models.Proposal.Meta.db_table).

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('matching', '0006_helperprofile_coverage_spgist'),
        ('requests_app', '0001_initial'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Proposal',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('score', models.FloatField(verbose_name='score')),
                        ('batch_id', models.UUIDField(db_index=True, verbose_name='batch')),
                        ('status', models.CharField(choices=[('proposed', 'Proposed'), ('accepted', 'Accepted'), ('declined', 'Declined'), ('superseded', 'Superseded')], default='proposed', max_length=20, verbose_name='status')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('decided_at', models.DateTimeField(blank=True, null=True, verbose_name='decided at')),
                        ('created_by', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='created by')),
                        ('helper', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='proposals', to=settings.AUTH_USER_MODEL)),
                        ('request', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='proposals', to='requests_app.helprequest')),
                    ],
                    options={
                        'verbose_name': 'proposal',
                        'verbose_name_plural': 'proposals',
                        'ordering': ['-created_at', '-id'],
                        'db_table': 'matching_proposal',
                        'indexes': [models.Index(fields=['helper', 'status'], name='proposal_helper_status')],
                        'constraints': [models.UniqueConstraint(condition=models.Q(('status', 'proposed')), fields=('request',), name='proposal_one_open_per_request')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
