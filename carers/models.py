"""Carers: self-assessments, the service directory, referrals and the care diary."""

from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
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


# --- Service directory (issue 5, item 6) ------------------------------------------------------


class ServiceKind(models.TextChoices):
    # CPAS (fr), OCMW (nl), ÖSHZ (de): the public social-welfare centre, one per municipality.
    CPAS = "cpas", _("Public social welfare centre (CPAS/OCMW/ÖSHZ)")
    CASD = "casd", _("Home-care coordination centre (CASD)")
    MUTUALITY = "mutuality", _("Health insurance fund (mutualité)")
    OTHER = "other", _("Other service")


class Service(models.Model):
    """A place a carer can turn to, as a verifiable source lists it.

    Nothing here is invented: `source` names where the entry comes from (a seed document, or
    the file a coordinator imported), and the contact fields stay empty unless that source
    gives them. Where a service serves people is `coverage` (municipalities) or `nationwide`;
    `municipality` is the one municipality a CPAS belongs to.
    """

    # A stable identifier for loading and CSV import/export ("cpas-92094", "mutuality-own").
    key = models.SlugField(_("key"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=ServiceKind.choices)
    name_fr = models.CharField(_("name in French"), max_length=200, blank=True)
    name_nl = models.CharField(_("name in Dutch"), max_length=200, blank=True)
    name_de = models.CharField(_("name in German"), max_length=200, blank=True)
    name_en = models.CharField(_("name in English"), max_length=200, blank=True)
    description_fr = models.TextField(_("description in French"), blank=True)
    description_nl = models.TextField(_("description in Dutch"), blank=True)
    description_de = models.TextField(_("description in German"), blank=True)
    description_en = models.TextField(_("description in English"), blank=True)
    municipality = models.ForeignKey(
        "geo.Municipality",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="own_services",
        verbose_name=_("municipality"),
    )
    coverage = models.ManyToManyField(
        "geo.Municipality",
        blank=True,
        related_name="services_covering",
        verbose_name=_("municipalities served"),
    )
    nationwide = models.BooleanField(_("serves all of Belgium"), default=False)
    address = models.CharField(_("address"), max_length=300, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    languages = ArrayField(
        models.CharField(max_length=2, choices=Language.choices), default=list, blank=True
    )
    source = models.TextField(_("source"))
    source_url = models.URLField(_("source address"), blank=True)
    # An entry the directory no longer lists (a municipality merged away) stays for the
    # referrals that point to it, but is not offered any more.
    active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["kind", "key"]
        constraints = [
            # Every entry says where it comes from; contact details are only as good as that.
            models.CheckConstraint(condition=~models.Q(source=""), name="service_has_source"),
            # One public social-welfare centre per municipality (DOMAIN.md, seed 003).
            models.UniqueConstraint(
                fields=["municipality"],
                condition=models.Q(kind="cpas", active=True),
                name="service_one_cpas_per_municipality",
            ),
        ]

    def __str__(self) -> str:
        return self.name_in("fr")

    @property
    def names(self) -> dict[str, str]:
        return {
            language: name
            for language, name in (
                ("fr", self.name_fr),
                ("nl", self.name_nl),
                ("de", self.name_de),
                ("en", self.name_en),
            )
            if name
        }

    def name_in(self, language: str) -> str:
        """The name in `language` if the entry has one, else every official name ("CPAS de
        Bruxelles / OCMW van Brussel"), so that nobody sees a name made up by translation."""
        names = self.names
        if language in names:
            return names[language]
        official = [names[code] for code in ("fr", "nl", "de") if code in names]
        return " / ".join(official) or names.get("en", self.key)

    def description_in(self, language: str) -> str:
        descriptions = {
            "fr": self.description_fr,
            "nl": self.description_nl,
            "de": self.description_de,
            "en": self.description_en,
        }
        return descriptions.get(language) or ""

    @property
    def has_contact_details(self) -> bool:
        return any((self.address, self.phone, self.email, self.website))


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
