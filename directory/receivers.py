"""Receivers of other apps' events (core.events), connected in DirectoryConfig.ready."""

from core import events
from directory.selectors import service_of_worker


def _service_of_account(*, user) -> dict:
    service = service_of_worker(user=user)
    return {"service": service.pk} if service is not None else {}


events.account_describing.connect(_service_of_account, dispatch_uid="directory-service-of-account")
