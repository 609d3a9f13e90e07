"""Carers: the self-assessments people run on the recognition of informal carers."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Language


class Assessment(models.Model):
    """One run of the recognition check, as answered and as evaluated.

    `outcome` holds the engine's result in codes, parameters and sources (no text), so it can
    be shown again in any language; `rules_version` says which rules produced it. Personal
    data is kept to the minimum: `contact` is stored only with `contact_consent`, and the
    answers never contain names.
    """

    answers = models.JSONField(_("answers"), default=dict, blank=True)
    outcome = models.JSONField(_("outcome"), default=dict)
    rules_version = models.CharField(_("rules version"), max_length=32)
    language = models.CharField(_("language"), max_length=2, choices=Language.choices)
    postcode = models.CharField(_("postcode"), max_length=4, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carer_assessments",
        verbose_name=_("user"),
    )
    contact_consent = models.BooleanField(_("agrees to be contacted"), default=False)
    contact = models.JSONField(_("contact details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("carer assessment")
        verbose_name_plural = _("carer assessments")
        ordering = ["-created_at"]
        constraints = [
            # Contact details without consent would be personal data kept for nothing.
            models.CheckConstraint(
                condition=models.Q(contact_consent=True) | models.Q(contact={}),
                name="carers_assessment_contact_needs_consent",
            ),
        ]

    def __str__(self) -> str:
        return f"Assessment {self.pk} ({self.rules_version})"
