"""Receivers of other apps' events (core.events), connected in DirectoryConfig.ready."""

from core import events
from directory import personal_data
from directory.selectors import service_of_worker


def _service_of_account(*, user) -> dict:
    service = service_of_worker(user=user)
    return {"service": service.pk} if service is not None else {}


events.user_data_exporting.connect(
    personal_data.directory_contact_changes_export, dispatch_uid="directory-export-contact-changes"
)
events.account_describing.connect(_service_of_account, dispatch_uid="directory-service-of-account")
