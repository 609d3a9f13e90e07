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
    """The closed loop (issue 14, docs/REFERRALS.md). The v1 statuses became these (migration
    0005): new → draft, contacted → consent_asked, referred → sent; `contacted` and `referred`
    stay accepted on PATCH as aliases (V1_STATUS_ALIASES)."""

    DRAFT = "draft", _("Draft")
    CONSENT_ASKED = "consent_asked", _("Consent asked")
    SENT = "sent", _("Sent to the service")
    ACCEPTED = "accepted", _("Accepted by the service")
    DECLINED = "declined", _("Declined by the service")
    IN_PROGRESS = "in_progress", _("In progress")
    CLOSED = "closed", _("Closed")


V1_STATUS_ALIASES = {"new": "draft", "contacted": "consent_asked", "referred": "sent"}

# How far along each status is: a coordinator's PATCH only moves forward; accepted and declined
# are the service's two answers at the same step. Closed is final.
REFERRAL_STATUS_RANK = {
    ReferralStatus.DRAFT: 0,
    ReferralStatus.CONSENT_ASKED: 1,
    ReferralStatus.SENT: 2,
    ReferralStatus.ACCEPTED: 3,
    ReferralStatus.DECLINED: 3,
    ReferralStatus.IN_PROGRESS: 4,
    ReferralStatus.CLOSED: 5,
}

# The statuses in which the service the referral was sent to sees it.
SERVICE_VISIBLE_STATUSES = (
    ReferralStatus.SENT,
    ReferralStatus.ACCEPTED,
    ReferralStatus.DECLINED,
    ReferralStatus.IN_PROGRESS,
    ReferralStatus.CLOSED,
)


class DeclineReason(models.TextChoices):
    NOT_OUR_AREA = "not_our_area", _("The person lives outside our area")
    NOT_OUR_REMIT = "not_our_remit", _("This is not what our service does")
    NO_CAPACITY = "no_capacity", _("We cannot take anyone on now")
    ALREADY_KNOWN = "already_known", _("The person is already followed by us")
    OTHER = "other", _("Another reason (see the note)")


class ClosingOutcome(models.TextChoices):
    RECOGNITION_APPLIED = "recognition_applied", _("Carer recognition applied for")
    HOME_HELP_STARTED = "home_help_started", _("Help at home started")
    CPAS_FOLLOW_UP = "cpas_follow_up", _("Followed up by the CPAS")
    NO_NEED = "no_need", _("No need")
    COULD_NOT_REACH = "could_not_reach", _("Could not reach the person")


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
        _("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.DRAFT
    )
    # The v1 free text (coordinators' PATCH `outcome`); the service's closing outcome is
    # `closing_outcome`, from a fixed list, with its note in the referral's steps.
    outcome = models.TextField(_("outcome"), blank=True)
    closing_outcome = models.CharField(
        _("closing outcome"), max_length=30, choices=ClosingOutcome.choices, blank=True
    )
    decline_reason = models.CharField(
        _("reason declined"), max_length=30, choices=DeclineReason.choices, blank=True
    )
    # The service the person is asked to agree to (consent asked), before it is sent.
    proposed_service = models.ForeignKey(
        Service,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="proposed_referrals",
        verbose_name=_("service proposed"),
    )
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    # Reminders about a sent referral nobody at the service answered (carers.services.reminders).
    reminded_at = models.DateTimeField(_("service reminded at"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("coordinators alerted at"), null=True, blank=True)
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


class ConsentGivenBy(models.TextChoices):
    PERSON = "person", _("The person, online")
    COORDINATOR = "coordinator", _("A coordinator, on the person's word")


class ReferralConsent(models.Model):
    """The person's agreement that one referral be shared with one service (issue 14, item 2).

    Per service: sending to another service needs another consent. `shared_fields` lists what
    the service will see (carers.consent.SHARED_FIELDS at the time). Never edited except to
    record its withdrawal (`withdrawn_at`), after which the service no longer sees the referral.
    """

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="consents")
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="+", verbose_name=_("service")
    )
    wording_version = models.CharField(_("version of the consent wording"), max_length=32)
    shared_fields = models.JSONField(_("fields shared"), default=list)
    given_by = models.CharField(_("given by"), max_length=20, choices=ConsentGivenBy.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    note = models.CharField(_("note"), max_length=1000, blank=True)
    given_at = models.DateTimeField(_("given at"), auto_now_add=True)
    withdrawn_at = models.DateTimeField(_("withdrawn at"), null=True, blank=True)
    withdrawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("withdrawn by"),
    )

    class Meta:
        verbose_name = _("referral consent")
        verbose_name_plural = _("referral consents")
        ordering = ["given_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["referral", "service"],
                condition=models.Q(withdrawn_at__isnull=True),
                name="referral_consent_one_live_per_service",
            ),
            # Given on the phone: the coordinator says how (who called whom, when).
            models.CheckConstraint(
                condition=~models.Q(given_by="coordinator") | ~models.Q(note=""),
                name="referral_consent_by_coordinator_has_note",
            ),
        ]

    def __str__(self) -> str:
        return f"Consent {self.pk}: referral {self.referral_id} → service {self.service_id}"


class ReferralStep(models.Model):
    """One move of a referral through the loop: the status reached, when, by whom (and in which
    role), with the decline reason or closing outcome and a note."""

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="steps")
    status = models.CharField(_("status"), max_length=20, choices=ReferralStatus.choices)
    at = models.DateTimeField(_("when"), auto_now_add=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("who"),
    )
    actor_role = models.CharField(_("role"), max_length=20, blank=True)
    service = models.ForeignKey(
        Service, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reason = models.CharField(_("reason or outcome"), max_length=30, blank=True)
    note = models.CharField(_("note"), max_length=4000, blank=True)

    class Meta:
        verbose_name = _("referral step")
        verbose_name_plural = _("referral steps")
        ordering = ["at", "id"]

    def __str__(self) -> str:
        return f"Referral {self.referral_id} → {self.status}"


class ContactPreference(models.Model):
    """ "Don't contact me": the person asked that no service be put in touch with them. While it
    is on, every consent of theirs is withdrawn and none can be recorded."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="contact_preference"
    )
    do_not_contact = models.BooleanField(_("do not contact me"), default=False)
    changed_at = models.DateTimeField(_("changed at"), auto_now=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("changed by"),
    )

    def __str__(self) -> str:
        return f"{self.user_id}: do_not_contact={self.do_not_contact}"


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
