"""The access log's table, and the trigger that keeps it append-only (audit/services.py).

UPDATE and DELETE raise, except in a transaction that opened one of the two exits with
set_config(..., true): `tandem.audit_retention` lets DELETE through (the retention purge), and
`tandem.audit_erasure` lets through an UPDATE that only clears reader_id or subject_id (an
account's erasure). current_setting(name, true) is NULL when the setting was never set.
"""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


GUARD_SQL = """
CREATE FUNCTION audit_access_record_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        IF current_setting('tandem.audit_retention', true) = 'on' THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'the access log is append-only: rows are deleted only by the retention purge'
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF current_setting('tandem.audit_erasure', true) = 'on'
        AND (NEW.reader_id IS NULL OR NEW.reader_id = OLD.reader_id)
        AND (NEW.subject_id IS NULL OR NEW.subject_id = OLD.subject_id)
        AND to_jsonb(NEW) - 'reader_id' - 'subject_id' = to_jsonb(OLD) - 'reader_id' - 'subject_id'
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'the access log is append-only: rows are never updated'
        USING ERRCODE = 'insufficient_privilege';
END;
$$;
CREATE TRIGGER audit_access_record_append_only
    BEFORE UPDATE OR DELETE ON audit_accessrecord
    FOR EACH ROW EXECUTE FUNCTION audit_access_record_guard();
"""

UNGUARD_SQL = """
DROP TRIGGER IF EXISTS audit_access_record_append_only ON audit_accessrecord;
DROP FUNCTION IF EXISTS audit_access_record_guard();
"""


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='AccessRecord',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('at', models.DateTimeField(auto_now_add=True, db_index=True, verbose_name='when')),
                ('reader_name', models.CharField(max_length=80, verbose_name="reader's name")),
                ('reader_role', models.CharField(max_length=30, verbose_name="reader's role")),
                ('organisation', models.CharField(blank=True, max_length=200, verbose_name="reader's organisation")),
                ('what', models.CharField(choices=[('referral', 'your referral'), ('request_carer_signal', 'the carer signal of your help request'), ('request_care_details', 'the care details of your help request'), ('feedback', 'feedback you wrote'), ('helper_vetting', 'your helper vetting record'), ('export', 'an export of your data')], max_length=40, verbose_name='what')),
                ('object_id', models.PositiveBigIntegerField(blank=True, null=True, verbose_name='object id')),
                ('purpose', models.CharField(blank=True, max_length=60, verbose_name='purpose')),
                ('route', models.CharField(blank=True, max_length=300, verbose_name='route')),
                ('reader', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='reader')),
                ('subject', models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to=settings.AUTH_USER_MODEL, verbose_name='whose data')),
            ],
            options={
                'verbose_name': 'access record',
                'verbose_name_plural': 'access records',
                'ordering': ['-at', '-id'],
                'indexes': [models.Index(fields=['subject', '-at'], name='access_record_subject_at'), models.Index(fields=['reader', '-at'], name='access_record_reader_at')],
            },
        ),
        migrations.RunSQL(GUARD_SQL, UNGUARD_SQL),
    ]
