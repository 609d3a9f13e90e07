"""What accounts holds about a person beyond the account row: the record of a person without
e-mail (ManagedPerson). Part of the export (accounts.services.user_data_export); erasure needs
nothing here: the record goes with the user row (CASCADE), and a coordinator erased leaves the
teams they were in (the many-to-many rows go with them) and the consents they recorded (the
recorder becomes NULL, the consent stays)."""

from __future__ import annotations

from typing import Any

from accounts.models import ManagedPerson, User


def managed_person_export(user: User) -> dict[str, Any] | None:
    """The person's managed-person record, or None if coordinators do not manage them. Their
    team appears as user ids only (other people's data is never exported)."""
    person = ManagedPerson.objects.filter(pk=user.pk).first()
    if person is None:
        return None
    return {
        "phone": person.phone,
        "address": person.address,
        "contact_preference": person.contact_preference,
        "managed_by": sorted(person.managed_by.values_list("pk", flat=True)),
        "consent": {
            "wording_version": person.consent_wording_version,
            "recorded_at": person.consent_recorded_at.isoformat(),
            "recorded_by": person.consent_recorded_by_id,
            "note": person.consent_note,
        },
        "created_at": person.created_at.isoformat(),
    }
