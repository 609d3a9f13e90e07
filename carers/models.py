"""Carers: self-assessments, referrals and the care diary (the services referred to are in
the directory app)."""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Language
from directory.models import Service


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


# --- Referrals (issue 5, item 5) -------------------------------------------------------------


class ReferralSource(models.TextChoices):
    REQUEST = "request", _("Help request")
    ASSESSMENT = "assessment", _("Self-assessment")
    HELPER_CONCERN = "helper_concern", _("Concern raised by a helper")
    MANUAL = "manual", _("Entered by a coordinator")


class ReferralStatus(models.TextChoices):
    NEW = "new", _("New")
    CONTACTED = "contacted", _("Contacted")
    REFERRED = "referred", _("Referred")
    CLOSED = "closed", _("Closed")


# The order a referral moves in: forward only, and closed is final.
REFERRAL_STATUS_ORDER = [
    ReferralStatus.NEW,
    ReferralStatus.CONTACTED,
    ReferralStatus.REFERRED,
    ReferralStatus.CLOSED,
]


class Consent(models.TextChoices):
    PENDING = "pending", _("Not asked yet")
    GIVEN = "given", _("Given")
    REFUSED = "refused", _("Refused")


class ConcernKind(models.TextChoices):
    ISOLATION = "isolation", _("Isolation")
    EXHAUSTION = "exhaustion", _("Exhaustion")
    NEGLECT = "neglect", _("Neglect")


class Referral(models.Model):
    """Someone the coordinators should reach out to, why, and what came of it.

    `reasons` are codes with parameters (rendered in the reader's language by
    carers.referral_reasons), never free text about the person. Sharing with a service
    (`referred_to`) needs `consent` given: carers.services.referrals.referral_update enforces it.
    """

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carer_referrals",
        verbose_name=_("person"),
    )
    source = models.CharField(_("source"), max_length=20, choices=ReferralSource.choices)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ReferralStatus.choices, default=ReferralStatus.NEW
    )
    outcome = models.TextField(_("outcome"), blank=True)
    referred_to = models.ForeignKey(
        Service,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("referred to"),
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_referrals",
        verbose_name=_("assigned to"),
    )
    consent = models.CharField(
        _("consent"), max_length=10, choices=Consent.choices, default=Consent.PENDING
    )
    consent_at = models.DateTimeField(_("consent recorded at"), null=True, blank=True)
    consent_wording_version = models.CharField(
        _("version of the consent wording"), max_length=32, blank=True
    )
    municipality = models.ForeignKey(
        "geo.Municipality",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carer_referrals",
        verbose_name=_("municipality"),
    )
    postcode = models.CharField(_("postcode"), max_length=4, blank=True)
    help_request = models.ForeignKey(
        "requests_app.HelpRequest",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="carer_referrals",
        verbose_name=_("help request"),
    )
    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="referrals",
        verbose_name=_("assessment"),
    )
    raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="raised_referrals",
        verbose_name=_("raised by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "source"], name="referral_status_source"),
        ]
        constraints = [
            # One referral per help request and per assessment: opening is idempotent.
            models.UniqueConstraint(
                fields=["help_request"],
                condition=models.Q(source="request"),
                name="referral_once_per_request",
            ),
            models.UniqueConstraint(
                fields=["assessment"],
                condition=models.Q(source="assessment"),
                name="referral_once_per_assessment",
            ),
            # A service only hears about someone who agreed to it.
            models.CheckConstraint(
                condition=models.Q(referred_to__isnull=True) | models.Q(consent="given"),
                name="referral_shared_only_with_consent",
            ),
            models.CheckConstraint(
                condition=models.Q(consent="pending") | models.Q(consent_at__isnull=False),
                name="referral_consent_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Referral {self.pk} ({self.source}, {self.status})"


class ReferralNote(models.Model):
    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("author"),
    )
    text = models.TextField(_("text"), max_length=4000)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("referral note")
        verbose_name_plural = _("referral notes")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"Note {self.pk} on referral {self.referral_id}"


class AuditAction(models.TextChoices):
    CREATE = "create", _("created")
    LIST = "list", _("listed")
    READ = "read", _("read")
    UPDATE = "update", _("updated")
    EXPORT = "export", _("exported")


class ReferralAudit(models.Model):
    """Who saw or changed a referral, and when. Written by carers.services, never edited."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="audit")
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("who"),
    )
    action = models.CharField(_("action"), max_length=10, choices=AuditAction.choices)
    at = models.DateTimeField(_("when"), auto_now_add=True)
    details = models.JSONField(_("details"), default=dict, blank=True)

    class Meta:
        verbose_name = _("referral audit entry")
        verbose_name_plural = _("referral audit entries")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["referral", "at"], name="referral_audit_when")]

    def __str__(self) -> str:
        return f"{self.action} referral {self.referral_id} by {self.actor_id}"


# --- Care diary (issue 5, item 3) ------------------------------------------------------------


class DiaryKind(models.TextChoices):
    CARE = "care", _("Care and help")
    # Seed 001: "Le temps consacré à la formation aux soins (manutention) et au soutien de
    # l'aidant (groupes de parole) est comptabilisé."
    TRAINING = "training", _("Care training")
    SUPPORT_GROUP = "support_group", _("Carer support group")


class CareDiaryEntry(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="care_diary_entries",
        verbose_name=_("carer"),
    )
    date = models.DateField(_("date"))
    hours = models.DecimalField(
        _("hours"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(Decimal("24"))],
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=DiaryKind.choices, default=DiaryKind.CARE
    )
    note = models.CharField(_("note"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("care diary entry")
        verbose_name_plural = _("care diary entries")
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["user", "date"], name="care_diary_user_date")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hours__gt=0, hours__lte=24), name="care_diary_hours_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.hours} h on {self.date}"
