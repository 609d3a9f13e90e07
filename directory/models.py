"""The service directory: the places a person can be pointed to (CPAS/OCMW/ÖSHZ, CASD, their
mutualité, associations), each entry with where it comes from (docs/SERVICES.md).

The table keeps its first name (`carers_service`): the directory began in the carers app and
moved here, below requests, so that every app that points people somewhere reads one directory.
"""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import Language

OFFICIAL_LANGUAGES = ("fr", "nl", "de")


def service_name_in(names: dict[str, str], language: str, *, key: str) -> str:
    """The name in `language` if the entry has one, else every official name ("CPAS de
    Bruxelles / OCMW van Brussel"), so that nobody sees a name made up by translation; the
    entry's key when it has no name at all."""
    if language in names:
        return names[language]
    official = [names[code] for code in OFFICIAL_LANGUAGES if code in names]
    return " / ".join(official) or names.get("en", key)


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
        db_table = "carers_service"
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
        """The name in `language`, else every official name (service_name_in)."""
        return service_name_in(self.names, language, key=self.key)

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


class ServiceMembership(models.Model):
    """A partner service's worker: the account (role `service_worker`) and the one directory
    entry whose referrals they receive.

    It lives here, not in accounts: it links an account (below) to a directory entry, and
    the directory sits above accounts, so it may point down to users while accounts knows no
    services. One service per worker (the contract's `service: id`); a service has any number.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="service_membership",
        verbose_name=_("worker"),
    )
    service = models.ForeignKey(
        Service, on_delete=models.PROTECT, related_name="members", verbose_name=_("service")
    )
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    invited_at = models.DateTimeField(_("invited at"), auto_now_add=True)

    class Meta:
        verbose_name = _("service member")
        verbose_name_plural = _("service members")
        ordering = ["service", "invited_at"]

    def __str__(self) -> str:
        return f"{self.user_id} works for {self.service_id}"
