"""The person's access log in their export, and what an account's erasure does to the log.

Connected in audit.receivers to core.events.user_data_exporting and user_erasing. The choice on
erasure (audit.services.access_records_detach_user): rows stay, pseudonymised, until the
retention purge; only the link to the erased account is cleared.
"""

from typing import Any

from audit.selectors import access_log_of
from audit.services import access_records_detach_user


def access_log_export(*, user) -> dict[str, Any]:
    return {
        "access_log": [
            {
                "at": record.at.isoformat(),
                "reader": {
                    "display_name": record.reader_name,
                    "role": record.reader_role,
                    "organisation": record.organisation,
                },
                "what": record.what,
                "object_id": record.object_id,
                "purpose": record.purpose,
                "route": record.route,
            }
            for record in access_log_of(subject=user, limit=None)
        ]
    }


def access_log_erase(*, user) -> None:
    access_records_detach_user(user=user)
