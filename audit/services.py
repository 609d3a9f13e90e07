"""Writes of the access log: recording a read, the retention purge, an account's erasure.

Higher apps call `access_recorded` (one read) or `accesses_recorded` (a list shown at once)
after a read of someone's sensitive data succeeded. Nothing here updates or deletes a row
except through the two exits the database trigger allows (migration 0001), each opened for the
current transaction only with `set_config(..., true)` (the same as SET LOCAL), and closed
again as soon as the purge or the erasure is done:

- `tandem.audit_retention = 'on'`: DELETE, used only by `access_records_purge`;
- `tandem.audit_erasure = 'on'`: an UPDATE that only clears `reader_id` or `subject_id`, used
  only by `access_records_detach_user` when an account is erased.

This protects the log against application code and hand-typed SQL that forget the rule; a
database owner can still drop the trigger, which no application path does.
"""

from __future__ import annotations

from collections.abc import Iterable
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from audit.models import AccessKind, AccessRecord

RETENTION_SETTING = "tandem.audit_retention"
ERASURE_SETTING = "tandem.audit_erasure"


def _organisation(organisation: str | None) -> str:
    # Coordinators all work for the one organisation running this Tandem; partners' service
    # workers name their service (the caller passes it).
    return settings.TANDEM_ORGANISATION_NAME if organisation is None else organisation


def _is_reader(user) -> bool:
    return user is not None and bool(getattr(user, "is_authenticated", False))


def access_recorded(
    *,
    reader,
    role: str,
    subject_id: int | None,
    what: str,
    object_id: int | None = None,
    purpose: str = "",
    route: str = "",
    organisation: str | None = None,
) -> AccessRecord | None:
    """Record that `reader`, acting as `role`, read `what` (an AccessKind) of the person
    `subject_id` (their user id), object `object_id`, for `purpose` (a short code such as
    `referral_detail`) at `route` (the request's path).

    Call it after the read succeeded, for every read of sensitive data by someone other than
    its subject. Writes nothing (returns None) when the reader is the subject, when nobody is
    signed in, or when the data is about nobody (an erased or unknown person).

    Examples: a coordinator opening a referral,
    `access_recorded(reader=request.user, role="coordinator", subject_id=referral.person_id,
    what=AccessKind.REFERRAL, object_id=referral.pk, purpose="referral_detail",
    route=request.path)`; a service worker of the CPAS of Namur,
    `access_recorded(..., role="service_worker", organisation=service.name_in("fr"))`.
    """
    records = accesses_recorded(
        reader=reader,
        role=role,
        what=what,
        reads=[(subject_id, object_id)],
        purpose=purpose,
        route=route,
        organisation=organisation,
    )
    return records[0] if records else None


def accesses_recorded(
    *,
    reader,
    role: str,
    what: str,
    reads: Iterable[tuple[int | None, int | None]],
    purpose: str = "",
    route: str = "",
    organisation: str | None = None,
) -> list[AccessRecord]:
    """Several reads shown at once (a list page): one row per `(subject_id, object_id)` in
    `reads`, skipping those about the reader or about nobody, as `access_recorded` does."""
    if what not in AccessKind.values:
        raise ValueError(f"Unknown access kind {what!r}")
    if not _is_reader(reader):
        return []
    organisation = _organisation(organisation)
    rows = [
        AccessRecord(
            reader=reader,
            reader_name=reader.display_name or "",
            reader_role=role,
            organisation=organisation,
            subject_id=subject_id,
            what=what,
            object_id=object_id,
            purpose=purpose[:60],
            route=route[:300],
        )
        for subject_id, object_id in reads
        if subject_id is not None and subject_id != reader.pk
    ]
    return AccessRecord.objects.bulk_create(rows) if rows else []


@contextmanager
def _exit_opened(setting: str):
    """Opens one exit of the trigger for the statements inside the block only. set_config(...,
    true) lasts until the end of the transaction, and releasing a savepoint keeps it, so inside
    an outer transaction it is closed again explicitly when the block ends."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT set_config(%s, 'on', true)", [setting])
        try:
            yield
        finally:
            cursor.execute("SELECT set_config(%s, 'off', true)", [setting])


def access_records_purge(*, older_than_days: int | None = None) -> int:
    """Delete the rows older than the retention period (`RETENTION_ACCESS_LOG_DAYS` by
    default); the only delete the database allows. Returns how many went."""
    days = settings.RETENTION_ACCESS_LOG_DAYS if older_than_days is None else older_than_days
    cutoff = timezone.now() - timedelta(days=days)
    with _exit_opened(RETENTION_SETTING):
        deleted, _by_model = AccessRecord.objects.filter(at__lt=cutoff).delete()
    return deleted


def access_records_detach_user(*, user) -> int:
    """An account is being erased: its rows lose the link to it, nothing else changes.

    Rows about the person (subject) stay pseudonymised — what was read, by whom, when and why,
    with no one named as the subject — so the organisation can still account for the reads of
    its coordinators (GDPR art. 5(2)) until the retention purge removes them; the person's own
    copy of the log was theirs to download before erasing. Rows the person wrote as a reader
    keep the name and role copied at the time, because the people whose data they read keep
    their right to know who read it (art. 15(1)(c)). Returns how many rows changed.
    """
    with _exit_opened(ERASURE_SETTING):
        changed = AccessRecord.objects.filter(subject=user).update(subject=None)
        changed += AccessRecord.objects.filter(reader=user).update(reader=None)
    return changed
