"""Writes of the detection app: coordinators' marks on a signal (detection.models)."""

from django.utils import timezone

from core.api_errors import DomainError
from detection.lexicons import LANGUAGES
from detection.models import Detector, SignalMark


def signal_mark(*, detector: str, subject: str, correct: bool, language: str) -> SignalMark:
    """Records whether a signal was right; a second mark on the same signal replaces the first.

    DomainError (400) for an unknown detector or language."""
    if detector not in Detector.values:
        raise DomainError("invalid_detector", f"Unknown detector: {detector!r}.")
    if language not in LANGUAGES:
        raise DomainError("invalid_language", f"Unknown language: {language!r}.")
    mark, _created = SignalMark.objects.update_or_create(
        detector=detector,
        subject=subject,
        defaults={"correct": bool(correct), "language": language, "marked_at": timezone.now()},
    )
    return mark
