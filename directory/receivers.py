"""Receivers of other apps' events (core.events), connected in DirectoryConfig.ready."""

from core import events
from directory import personal_data

events.user_data_exporting.connect(
    personal_data.directory_contact_changes_export, dispatch_uid="directory-export-contact-changes"
)
