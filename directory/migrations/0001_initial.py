"""The service directory moves from the carers app (issue 14): the table stays `carers_service`
(and its coverage table `carers_service_coverage`), so only Django's idea of who owns it changes;
no row is copied, nothing is written to the database."""

import django.contrib.postgres.fields
import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("geo", "0001_initial"),
        # The table was created by the carers app's migrations.
        ("carers", "0003_referral_reasons_as_codes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='Service',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('key', models.SlugField(max_length=60, unique=True, verbose_name='key')),
                        ('kind', models.CharField(choices=[('cpas', 'Public social welfare centre (CPAS/OCMW/ÖSHZ)'), ('casd', 'Home-care coordination centre (CASD)'), ('mutuality', 'Health insurance fund (mutualité)'), ('other', 'Other service')], max_length=10, verbose_name='kind')),
                        ('name_fr', models.CharField(blank=True, max_length=200, verbose_name='name in French')),
                        ('name_nl', models.CharField(blank=True, max_length=200, verbose_name='name in Dutch')),
                        ('name_de', models.CharField(blank=True, max_length=200, verbose_name='name in German')),
                        ('name_en', models.CharField(blank=True, max_length=200, verbose_name='name in English')),
                        ('description_fr', models.TextField(blank=True, verbose_name='description in French')),
                        ('description_nl', models.TextField(blank=True, verbose_name='description in Dutch')),
                        ('description_de', models.TextField(blank=True, verbose_name='description in German')),
                        ('description_en', models.TextField(blank=True, verbose_name='description in English')),
                        ('nationwide', models.BooleanField(default=False, verbose_name='serves all of Belgium')),
                        ('address', models.CharField(blank=True, max_length=300, verbose_name='address')),
                        ('phone', models.CharField(blank=True, max_length=40, verbose_name='phone')),
                        ('email', models.EmailField(blank=True, max_length=254, verbose_name='email')),
                        ('website', models.URLField(blank=True, verbose_name='website')),
                        ('languages', django.contrib.postgres.fields.ArrayField(base_field=models.CharField(choices=[('fr', 'French'), ('nl', 'Dutch'), ('de', 'German'), ('en', 'English')], max_length=2), blank=True, default=list, size=None)),
                        ('source', models.TextField(verbose_name='source')),
                        ('source_url', models.URLField(blank=True, verbose_name='source address')),
                        ('active', models.BooleanField(default=True, verbose_name='active')),
                        ('created_at', models.DateTimeField(auto_now_add=True, verbose_name='created at')),
                        ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated at')),
                        ('coverage', models.ManyToManyField(blank=True, related_name='services_covering', to='geo.municipality', verbose_name='municipalities served')),
                        ('municipality', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='own_services', to='geo.municipality', verbose_name='municipality')),
                    ],
                    options={
                        'verbose_name': 'service',
                        'verbose_name_plural': 'services',
                        'db_table': 'carers_service',
                        'ordering': ['kind', 'key'],
                        'constraints': [models.CheckConstraint(condition=models.Q(('source', ''), _negated=True), name='service_has_source'), models.UniqueConstraint(condition=models.Q(('active', True), ('kind', 'cpas')), fields=('municipality',), name='service_one_cpas_per_municipality')],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
