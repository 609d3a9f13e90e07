"""A coordinator's corrections of directory entries in their data export (GDPR art. 15, 20).

Erasure needs nothing here: the history of an entry's contact details stays (it says where
public contact details come from), and the account's deletion sets `changed_by` to null
(on delete set null), so the person is no longer named.
"""

from core.export_values import export_time
from directory.models import ServiceContactChange


def directory_contact_changes_export(*, user) -> dict:
    """The contact details the person added, corrected or confirmed, with their sources."""
    return {
        "directory_contact_changes": [
            {
                "service": change.service.key,
                "changed_at": export_time(change.changed_at),
                "via": change.via,
                "changes": change.changes,
                "source": change.source,
                "source_url": change.source_url,
            }
            for change in ServiceContactChange.objects.filter(changed_by=user)
            .select_related("service")
            .order_by("changed_at", "pk")
        ]
    }
