"""The access log: who read a person's sensitive data, in which role, what, when and why.

One row per read by someone other than the person the data is about (issue 14, item 4). Rows
are written by `audit.services` and never changed: a trigger in the database (migration 0001)
refuses UPDATE and DELETE on the table, except the two narrow exits `audit.services` opens for
one transaction at a time — the retention purge may delete rows past their period, and an
account's erasure may clear the link to that account (nothing else in the row). The names shown
to the person (`reader_name`, `reader_role`, `organisation`) are copied when the row is written:
the log says who read, even after the reader's account is gone.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AccessKind(models.TextChoices):
    """What was read. Apps that record reads use these codes; adding one is a migration here."""

    REFERRAL = "referral", _("your referral")
    REQUEST_CARER_SIGNAL = "request_carer_signal", _("the carer signal of your help request")
    REQUEST_CARE_DETAILS = "request_care_details", _("the care details of your help request")
    FEEDBACK = "feedback", _("feedback you wrote")
    HELPER_VETTING = "helper_vetting", _("your helper vetting record")
    EXPORT = "export", _("an export of your data")


class AccessRecord(models.Model):
    """One read of `subject`'s data of kind `what` by `reader` (never edited; see the module)."""

    at = models.DateTimeField(_("when"), auto_now_add=True, db_index=True)
    reader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        # The erasure of the reader's account clears this link (audit.personal_data) before
        # the user row goes; the copied name and role stay.
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("reader"),
    )
    reader_name = models.CharField(_("reader's name"), max_length=80)
    reader_role = models.CharField(_("reader's role"), max_length=30)
    organisation = models.CharField(_("reader's organisation"), max_length=200, blank=True)
    subject = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("whose data"),
    )
    what = models.CharField(_("what"), max_length=40, choices=AccessKind.choices)
    object_id = models.PositiveBigIntegerField(_("object id"), null=True, blank=True)
    purpose = models.CharField(_("purpose"), max_length=60, blank=True)
    route = models.CharField(_("route"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("access record")
        verbose_name_plural = _("access records")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["subject", "-at"], name="access_record_subject_at"),
            models.Index(fields=["reader", "-at"], name="access_record_reader_at"),
        ]

    def __str__(self) -> str:
        return f"{self.reader_name} ({self.reader_role}) read {self.what} {self.object_id}"
