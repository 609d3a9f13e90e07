"""The service directory: the places a person can be pointed to (CPAS/OCMW/ÖSHZ, CASD, their
mutualité, associations), each entry with where it comes from (docs/SERVICES.md).

The table keeps its first name (`carers_service`): the directory began in the carers app and
moved here, below requests, so that every app that points people somewhere reads one directory.
"""

from datetime import date

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
    # Under which terms the source's data may be reused (an imported row must say; the
    # loader's own entries come from Tandem's seeds and leave it empty).
    licence = models.CharField(_("licence"), max_length=200, blank=True)
    # Where the contact fields come from when a coordinator corrected them after the entry
    # was loaded or imported (its `source` does not cover them then); empty otherwise.
    contact_source = models.TextField(_("source of the contact details"), blank=True)
    contact_source_url = models.URLField(_("address of the contact source"), blank=True)
    # The last day someone checked the entry against its source (a coordinator's correction
    # or confirmation, or an import with a source); entries unverified for 12 months are
    # flagged (needs_verification).
    verified_at = models.DateField(_("verified on"), null=True, blank=True)
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

    def needs_verification(self, today: date) -> bool:
        """Never verified, or not for 12 months (verification_due)."""
        return self.verified_at is None or self.verified_at <= verification_cutoff(today)


VERIFICATION_MONTHS = 12


def verification_cutoff(today: date) -> date:
    """The day 12 months before `today`: an entry last verified on or before it is due.
    (29 February gives 28 February of the year before.)"""
    year = today.year - VERIFICATION_MONTHS // 12
    try:
        return today.replace(year=year)
    except ValueError:
        return today.replace(year=year, day=28)


CONTACT_FIELDS = ("address", "phone", "email", "website")


class ContactChangeVia(models.TextChoices):
    CORRECTION = "correction", _("Coordinator's correction")
    IMPORT = "import", _("Import")


class ServiceContactChange(models.Model):
    """Who changed or confirmed an entry's contact details, when, from which source.

    Append-only history: one row per correction, confirmation or imported change;
    `changes` is {field: [old, new]} over CONTACT_FIELDS ({} when the details were confirmed
    as they are).
    """

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="contact_changes")
    # Kept when the account goes (the history stays; the person is no longer named).
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(auto_now_add=True)
    via = models.CharField(max_length=10, choices=ContactChangeVia.choices)
    changes = models.JSONField(default=dict, blank=True)
    source = models.TextField()
    source_url = models.URLField(blank=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(source=""), name="service_contact_change_has_source"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.service.key} {self.changed_at:%Y-%m-%d}"


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
