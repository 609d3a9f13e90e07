"""Coordinators' marks on the detectors' signals (issue 16, item 5): whether a signal was right.

A mark is a verdict, never free text: which detector, on what (a referral, "referral:<id>"),
right or wrong, the language of the description, and when. It names no coordinator and no person,
so it holds no personal data of its own (the referral it points to is the carers app's, with its
own export and erasure); `manage.py detection_report` counts them per month and language.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Detector(models.TextChoices):
    CARER_SIGNAL = "carer_signal", _("Hidden-carer signal")
    ORIENTATION = "orientation", _("Orientation needs")


class SignalMark(models.Model):
    detector = models.CharField(_("detector"), max_length=20, choices=Detector.choices)
    # What was marked, as "<kind>:<id>" (a referral of the carers app: "referral:12"): a plain
    # key, since the detectors sit below the apps that hold what they judge.
    subject = models.CharField(_("subject"), max_length=40)
    correct = models.BooleanField(_("the signal was right"))
    language = models.CharField(_("language of the description"), max_length=2)
    marked_at = models.DateTimeField(_("marked at"), default=timezone.now)

    class Meta:
        verbose_name = _("signal mark")
        verbose_name_plural = _("signal marks")
        constraints = [
            # One verdict per signal: marking again replaces it.
            models.UniqueConstraint(fields=["detector", "subject"], name="signal_mark_once"),
        ]

    def __str__(self) -> str:
        return f"{self.detector} {self.subject}: {'right' if self.correct else 'wrong'}"
