"""Reads of the detection app: coordinators' marks (detection.models)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from detection.evaluation import wilson_interval
from detection.models import SignalMark


@dataclass(frozen=True)
class MarkedPrecision:
    """Precision of one detector on the signals coordinators marked in one month and language."""

    detector: str
    month: str  # "2026-12"
    language: str
    marked: int
    right: int

    @property
    def precision(self) -> float:
        return self.right / self.marked

    @property
    def interval(self) -> tuple[float, float]:
        return wilson_interval(self.right, self.marked)


def marked_precision(*, detector: str | None = None) -> list[MarkedPrecision]:
    """Per detector, month (of the mark) and language: how many signals were marked, how many
    right, oldest month first. Every marked signal is one the detector raised, so right/marked is
    its precision in real use."""
    marks = SignalMark.objects.all()
    if detector:
        marks = marks.filter(detector=detector)
    rows = (
        marks.annotate(month=TruncMonth("marked_at"))
        .values("detector", "month", "language")
        .annotate(marked=Count("id"), right=Count("id", filter=Q(correct=True)))
        .order_by("detector", "month", "language")
    )
    return [
        MarkedPrecision(
            detector=row["detector"],
            month=row["month"].strftime("%Y-%m"),
            language=row["language"],
            marked=row["marked"],
            right=row["right"],
        )
        for row in rows
    ]


def mark_of(*, detector: str, subject: str) -> SignalMark | None:
    """The mark a signal was given, if any."""
    return SignalMark.objects.filter(detector=detector, subject=subject).first()
