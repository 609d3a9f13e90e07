"""People: one account per email, with the roles they play on the platform."""

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
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
    email = models.EmailField(_("email address"), unique=True)
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
