"""What the ranking stores: proposals of a coordinator's batch run (ranking/batch.py).

The table keeps its name from when proposals lived in the matching app (matching_proposal):
moving a model between apps is a change of Django's state only (migrations 0001 of ranking and
0007 of matching), not of the database.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ProposalStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    # A later batch run replaced it, or the request was matched another way.
    SUPERSEDED = "superseded", _("Superseded")


class Proposal(models.Model):
    """A coordinator's batch run suggests this helper for this request (ranking/batch.py).

    Not a commitment: the helper accepts (which matches the request) or declines.
    """

    request = models.ForeignKey(
        "requests_app.HelpRequest", on_delete=models.CASCADE, related_name="proposals"
    )
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="proposals"
    )
    score = models.FloatField(_("score"))
    # Every proposal of one run shares it, so a run can be looked at (or undone) as a whole.
    batch_id = models.UUIDField(_("batch"), db_index=True)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=ProposalStatus.choices,
        default=ProposalStatus.PROPOSED,
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        db_table = "matching_proposal"
        verbose_name = _("proposal")
        verbose_name_plural = _("proposals")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["helper", "status"], name="proposal_helper_status")]
        constraints = [
            # One open proposal per request: a new run supersedes the old one first.
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(status="proposed"),
                name="proposal_one_open_per_request",
            ),
        ]

    def __str__(self) -> str:
        return f"Proposal #{self.pk} of request #{self.request_id}"
