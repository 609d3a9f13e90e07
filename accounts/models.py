"""People: one account per email, with the roles they play on the platform.

Some people have no e-mail address and never sign in: coordinators take their requests by phone
and act for them (ManagedPerson). Their account has no address (`email` is NULL) and no usable
password, and the rest of the platform treats them as any requester.
"""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _


class Language(models.TextChoices):
    FRENCH = "fr", _("French")
    DUTCH = "nl", _("Dutch")
    GERMAN = "de", _("German")
    ENGLISH = "en", _("English")


class Role(models.TextChoices):
    # Words the people themselves use (seed 002): helppies ask, helppers offer hours.
    HELPPIE = "helppie", _("Person asking for help")
    HELPPER = "helpper", _("Neighbour offering help")
    COORDINATOR = "coordinator", _("Coordinator")
    # A member of a partner service (a CPAS/OCMW/ÖSHZ, a CASD...) who receives the referrals
    # sent to that service; invited by a coordinator (directory.ServiceMembership says which).
    SERVICE_WORKER = "service_worker", _("Service partner worker")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields):
        if not email:
            raise ValueError("An email address is required")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        fields.setdefault("roles", [Role.COORDINATOR])
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    # NULL for a person without e-mail, managed by coordinators (ManagedPerson): NULLs never
    # collide in the unique index, and such an account cannot sign in by address.
    email = models.EmailField(_("email address"), unique=True, null=True, blank=True)
    display_name = models.CharField(_("name shown to others"), max_length=80)
    language = models.CharField(
        _("preferred language"), max_length=2, choices=Language.choices, default=Language.FRENCH
    )
    # Postcode only, never a street address: enough to find local services and nearby people.
    postcode = models.CharField(_("postcode"), max_length=4, blank=True)
    roles = ArrayField(
        models.CharField(max_length=20, choices=Role.choices), default=list, blank=True
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # When the person proved `email` is theirs (link sent to it); None until then.
    email_verified_at = models.DateTimeField(_("email address verified"), null=True, blank=True)
    # A new address asked for, not yet proved: `email` stays the sign-in address until it is.
    pending_email = models.EmailField(_("new email address to verify"), blank=True)
    # Part of the session hash (see _get_session_auth_hash): raising it ends every session.
    session_generation = models.PositiveIntegerField(default=0)
    # The privacy notice version last accepted (accounts/privacy_notice.py), and when.
    privacy_notice_version = models.CharField(max_length=20, blank=True)
    privacy_notice_accepted_at = models.DateTimeField(null=True, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["display_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.display_name or self.email

    def has_role(self, role: str) -> bool:
        return role in self.roles

    @property
    def is_coordinator(self) -> bool:
        return self.has_role(Role.COORDINATOR)

    @property
    def is_service_worker(self) -> bool:
        return self.has_role(Role.SERVICE_WORKER)

    @property
    def email_verified(self) -> bool:
        return self.email_verified_at is not None

    def _get_session_auth_hash(self, secret=None):
        """Django's session hash (an HMAC of the password hash), with `session_generation`
        added: Django ends a session whose stored hash no longer matches, so changing the
        password or raising the generation ("log out everywhere") ends every session."""
        key_salt = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"
        return salted_hmac(
            key_salt,
            f"{self.password}:{self.session_generation}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class PrivacyNoticeAcceptance(models.Model):
    """One acceptance of the privacy notice: which wording version, when, in which language.

    Kept as a history (a new row each time the notice changes and is accepted again), so the
    controller can show what a person agreed to and when."""

    user = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="privacy_notice_acceptances"
    )
    version = models.CharField(max_length=20)
    language = models.CharField(max_length=2, choices=Language.choices)
    accepted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["accepted_at", "pk"]

    def __str__(self) -> str:
        return f"{self.user_id} accepted {self.version}"


class ContactPreference(models.TextChoices):
    """How a person without e-mail wants to be reached."""

    COORDINATOR_CALL = "coordinator_call", _("Phone call by the coordinator")
    HELPER_SMS = "helper_sms", _("SMS by the helper")
    LETTER = "letter", _("Letter")


class ManagedPerson(models.Model):
    """A person without e-mail whom coordinators look after: they phoned, a coordinator took
    their details and consent, and coordinators act for them on the platform.

    `user` is their account (no address, no usable password), so their requests, offers and
    visits are those of any requester. `managed_by` is the team of coordinators who manage them:
    everything addressed to the person (offers, the match, visits to confirm, notifications)
    goes to every member, so nobody's absence leaves them unheard. The consent is the one the
    coordinator read out and recorded: the privacy notice's wording version, when, by whom.
    Once the person is given a login (an address, then a password), the record stays: the
    team keeps following them and nothing of their history moves.
    """

    user = models.OneToOneField(
        User, on_delete=models.CASCADE, primary_key=True, related_name="managed_person"
    )
    # E.164 (+3281...), written by accounts.phone.phone_normalise.
    phone = models.CharField(_("phone number"), max_length=20)
    # For letters and for the helper once matched; the postcode is on the account.
    address = models.CharField(_("address"), max_length=200, blank=True)
    contact_preference = models.CharField(
        _("how they want to be reached"), max_length=20, choices=ContactPreference.choices
    )
    managed_by = models.ManyToManyField(
        User, related_name="people_managed", verbose_name=_("managed by")
    )
    consent_wording_version = models.CharField(max_length=20)
    consent_recorded_at = models.DateTimeField(default=timezone.now)
    consent_recorded_by = models.ForeignKey(
        User, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    consent_note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("person without e-mail")
        verbose_name_plural = _("people without e-mail")

    def __str__(self) -> str:
        return f"managed person {self.user_id}"
