"""Places: Belgian municipalities and postcodes, the outline of Belgium, and a geocoder cache.

Loaded by `python manage.py load_places` from packaged data (see geo/sources.py and README.md
for the sources and their licences). Points are geography columns (WGS 84, srid 4326), so a
distance on them is in metres on the ellipsoid; each has a GiST index (Django's default for
spatial fields).
"""

from django.contrib.gis.db import models
from django.utils.translation import gettext_lazy as _

# The approximate place shown of a person who is not matched yet (a request, requests_app.models)
# is the exact point moved by a distance in this range (metres), in a bearing drawn from its own
# salt (CONTRACT.md: "at least 500 m of blur"). The maps draw rough areas of this size (geo.maps).
APPROXIMATE_OFFSET_METRES = (500.0, 900.0)


class Region(models.TextChoices):
    BRUSSELS = "brussels", _("Brussels-Capital Region")
    FLANDERS = "flanders", _("Flemish Region")
    WALLONIA = "wallonia", _("Walloon Region")


class LocationSource(models.TextChoices):
    """Where a postcode's point came from, so that no point is invented silently."""

    # The point the countries-states-cities database gives for the postcode.
    COUNTRYSTATECITY = "countrystatecity", _("countries-states-cities postcode point")
    # No usable point there (see Postcode.location_note): the mean point of the municipality's
    # other postcodes...
    MUNICIPALITY_MEAN = "municipality_mean", _("mean point of the municipality's other postcodes")
    # ...or, for a municipality without any other, a point inside its judicial canton.
    CANTON_POINT = "canton_point", _("a point inside the municipality's judicial canton")


class Municipality(models.Model):
    """A municipality as Statbel lists it (565 since the Flemish mergers of 1 January 2025)."""

    refnis = models.CharField(_("REFNIS code"), max_length=5, primary_key=True)
    name_fr = models.CharField(_("name in French"), max_length=100)
    name_nl = models.CharField(_("name in Dutch"), max_length=100)
    # Empty when the source gives no German name (it gives none at the moment).
    name_de = models.CharField(_("name in German"), max_length=100, blank=True)
    region = models.CharField(_("region"), max_length=10, choices=Region.choices)
    # The mean of the points of the postcodes it is the primary municipality of (geo/sources.py).
    location = models.PointField(_("location"), geography=True, srid=4326)

    class Meta:
        ordering = ["refnis"]
        verbose_name = _("municipality")
        verbose_name_plural = _("municipalities")

    def __str__(self) -> str:
        if self.name_fr == self.name_nl:
            return f"{self.name_fr} ({self.refnis})"
        return f"{self.name_fr} / {self.name_nl} ({self.refnis})"


class Postcode(models.Model):
    """A current Belgian postcode, its municipalities and a representative point."""

    code = models.CharField(_("postcode"), max_length=4, primary_key=True)
    # Almost always one; 1040, 1050 and 1804 belong to two (the street decides).
    municipalities = models.ManyToManyField(
        Municipality, related_name="postcodes", verbose_name=_("municipalities")
    )
    # The one municipality the API shows: the linked one whose name is the locality name,
    # else the lowest REFNIS code (geo/sources.py).
    municipality = models.ForeignKey(
        Municipality,
        on_delete=models.PROTECT,
        related_name="primary_postcodes",
        verbose_name=_("primary municipality"),
    )
    # As the coordinate source names the place of the point; empty where it has no entry.
    locality_name = models.CharField(_("locality name"), max_length=100, blank=True)
    location = models.PointField(_("location"), geography=True, srid=4326)
    location_source = models.CharField(
        _("source of the location"), max_length=20, choices=LocationSource.choices
    )
    # Why the point is not the package's own, when it is not.
    location_note = models.CharField(_("note on the location"), max_length=200, blank=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("postcode")
        verbose_name_plural = _("postcodes")

    def __str__(self) -> str:
        return self.code


class CountryBoundary(models.Model):
    """The outline of a country as one multipolygon; only Belgium ("BE") for now.

    A planar geometry in WGS 84 rather than a geography: the only question asked of it is
    "does this point lie inside" (ST_Covers), which the GiST index answers quickly, and the
    outline is digitised densely enough that straight edges in degrees are exact to the metre.
    """

    country_code = models.CharField(_("country code"), max_length=2, primary_key=True)
    area = models.MultiPolygonField(_("area"), srid=4326)
    source = models.CharField(_("source"), max_length=200)

    class Meta:
        verbose_name = _("country boundary")
        verbose_name_plural = _("country boundaries")

    def __str__(self) -> str:
        return self.country_code


class GeocodedAddress(models.Model):
    """An answer of the external geocoder, kept so that the same address is never asked twice.

    A row without a location records that the geocoder found nothing.
    """

    query = models.CharField(_("normalised address"), max_length=500, unique=True)
    location = models.PointField(_("location"), geography=True, srid=4326, null=True, blank=True)
    # The postcode the geocoder gave for the place, when it is a known one.
    postcode = models.CharField(_("postcode"), max_length=4, blank=True)
    provider = models.CharField(_("provider"), max_length=50)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("geocoded address")
        verbose_name_plural = _("geocoded addresses")

    def __str__(self) -> str:
        return self.query
