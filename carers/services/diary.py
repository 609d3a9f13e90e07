"""Writes for the care diary of a carer."""

from __future__ import annotations

from datetime import date as date_type
from decimal import Decimal
from typing import Any

from carers.models import CareDiaryEntry, DiaryKind


def diary_entry_create(
    *, user, date: date_type, hours: Decimal, kind: str = DiaryKind.CARE, note: str = ""
) -> CareDiaryEntry:
    """Add hours to a carer's diary (0.25–24 h a day per entry); `kind` defaults to care, as
    the model (and so the API, which may leave it out) says."""
    entry = CareDiaryEntry(user=user, date=date, hours=hours, kind=kind, note=note)
    entry.full_clean()
    entry.save()
    return entry


def diary_entry_update(*, entry: CareDiaryEntry, **fields: Any) -> CareDiaryEntry:
    """Change an entry; `fields` among date, hours, kind, note."""
    for name in ("date", "hours", "kind", "note"):
        if name in fields:
            setattr(entry, name, fields[name])
    entry.full_clean()
    entry.save()
    return entry


def diary_entry_delete(*, entry: CareDiaryEntry) -> None:
    entry.delete()
