"""The access log's part of a person's export and erasure, and of any account's deletion."""

from django.conf import settings
from django.db.models.signals import pre_delete

from audit import personal_data
from core import events

events.user_data_exporting.connect(
    personal_data.access_log_export, dispatch_uid="audit-export-access-log"
)
events.user_erasing.connect(personal_data.access_log_erase, dispatch_uid="audit-erase-access-log")


def _account_deleting(sender, instance, **kwargs) -> None:
    # Any deletion of an account (the erasure above, the admin, a shell) clears its links in the
    # log first: the foreign keys are DO_NOTHING, and a row still naming a deleted account would
    # fail the foreign-key check at commit.
    personal_data.access_log_erase(user=instance)


pre_delete.connect(
    _account_deleting, sender=settings.AUTH_USER_MODEL, dispatch_uid="audit-account-deleting"
)
