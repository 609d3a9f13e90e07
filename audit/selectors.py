"""Reads of the access log: a person's own log, and the organisation's for coordinators."""

from __future__ import annotations

from datetime import datetime

from django.db.models import QuerySet

from audit.models import AccessRecord

DEFAULT_LIMIT = 200


def access_log_of(*, subject, limit: int | None = DEFAULT_LIMIT) -> QuerySet[AccessRecord]:
    """Reads of `subject`'s data by other people, newest first (at most `limit`)."""
    records = AccessRecord.objects.filter(subject=subject).order_by("-at", "-id")
    return records[:limit] if limit is not None else records


def access_log_of_organisation(
    *,
    organisation: str | None = None,
    subject_id: int | None = None,
    reader_id: int | None = None,
    what: str | None = None,
    since: datetime | None = None,
    limit: int = DEFAULT_LIMIT,
) -> QuerySet[AccessRecord]:
    """Reads within the organisation, newest first, narrowed by the filters given.

    `organisation` None means every organisation: this Tandem's coordinators answer for the
    reads of their own colleagues and of the partner services they share data with.
    """
    records = AccessRecord.objects.all()
    if organisation is not None:
        records = records.filter(organisation=organisation)
    if subject_id is not None:
        records = records.filter(subject_id=subject_id)
    if reader_id is not None:
        records = records.filter(reader_id=reader_id)
    if what is not None:
        records = records.filter(what=what)
    if since is not None:
        records = records.filter(at__gte=since)
    return records.order_by("-at", "-id")[:limit]
