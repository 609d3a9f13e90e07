"""The access log's part of a person's export and erasure."""

from audit import personal_data
from core import events

events.user_data_exporting.connect(
    personal_data.access_log_export, dispatch_uid="audit-export-access-log"
)
events.user_erasing.connect(personal_data.access_log_erase, dispatch_uid="audit-erase-access-log")
