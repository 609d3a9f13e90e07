"""Helpers: where they live, how far they go, what they offer and when.

Each profile stores, next to its home point, the area it covers (a disc of `radius_km` around
home). Eligibility is then "the covered area holds the request point", answered by a spatial
index, instead of scanning every helper within the largest radius anyone has.

The home and the area are kept twice, derived from `location` and `radius_km` in save():

- `coverage` (geography, WGS 84): the area as the rest of the project sees it;
- `location_metric` and `coverage_metric` (planar geometry in Belgian Lambert 2008, EPSG:3812):
  the same home and the very same disc before it is turned into WGS 84. The matching queries use
  these: a point-in-polygon test on a plane is several times cheaper than on the ellipsoid, and
  their (SP-GiST) indexes are partial, one per category, on the helpers who may be matched at all
  (active and verified), so a query only ever meets helpers who offer the request's category.
  Both polygons are stored out of the row (migration 0005), keeping the rows the queries read
  small.

Bulk writes (bulk_create, queryset.update of location or radius, raw SQL) bypass save(): call
`profile.derive_places()` before bulk_create, or in SQL set, with `home` the WGS 84 point:
`location_metric = ST_Transform(home::geometry, 3812)`,
`coverage_metric = ST_Buffer(ST_Transform(home::geometry, 3812), radius_km * 1000, 16)` and
`coverage = ST_Transform(coverage_metric, 4326)::geography` (bench/matching/seed_large.py).
"""

import functools

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.gis.gdal import CoordTransform, SpatialReference
from django.contrib.gis.geos import Point, Polygon
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import SpGistIndex
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import F, Func, Q, Value
from django.utils.translation import gettext_lazy as _

from accounts.models import Language
from matching.vocabulary import Category

RADIUS_KM_RANGE = (0.5, 50.0)  # CONTRACT.md, "Helpers"
WEEKLY_HOURS_RANGE = (1.0, 40.0)  # CONTRACT.md, "Helpers"
# Float slack when comparing sums of weekly loads with weekly_hours.
COMMITTED_HOURS_TOLERANCE = 1e-9

# Belgian Lambert 2008: a conformal projection whose scale stays within about 0.01 % of true
# over the whole country, so a buffer in its metres is a geodesic disc to a few metres.
METRIC_SRID = 3812
# Vertices per quarter circle: 16 keeps the polygon within 0.2 % of the true circle inside.
COVERAGE_QUADRANT_SEGMENTS = 16


@functools.cache
def _transformations() -> tuple[CoordTransform, CoordTransform]:
    # Built once per process: setting up a PROJ transformation costs milliseconds, far more
    # than using it, and bulk loads compute thousands of coverages.
    wgs84, lambert = SpatialReference(4326), SpatialReference(METRIC_SRID)
    return CoordTransform(wgs84, lambert), CoordTransform(lambert, wgs84)


def metric_point(point: Point) -> Point:
    """`point` (WGS 84) in Belgian Lambert 2008 metres (EPSG:3812)."""
    to_metric, _to_wgs84 = _transformations()
    projected = point.transform(to_metric, clone=True)
    projected.srid = METRIC_SRID
    return projected


def metric_coverage_polygon(*, home: Point, radius_km: float) -> Polygon:
    """The disc of `radius_km` around `home` (WGS 84), as a polygon in EPSG:3812 metres.

    A buffer with COVERAGE_QUADRANT_SEGMENTS vertices per quarter circle, the same as
    `ST_Buffer(ST_Transform(home::geometry, 3812), radius_m, 16)` in SQL.
    """
    disc = metric_point(home).buffer(float(radius_km) * 1000.0, quadsegs=COVERAGE_QUADRANT_SEGMENTS)
    disc.srid = METRIC_SRID
    return disc


def coverage_polygon(*, home: Point, radius_km: float) -> Polygon:
    """The disc of `radius_km` around `home`, as a WGS84 polygon (metric buffer in EPSG:3812)."""
    _to_metric, to_wgs84 = _transformations()
    disc = metric_coverage_polygon(home=home, radius_km=radius_km)
    disc.transform(to_wgs84)
    disc.srid = 4326
    return disc


def coverage_index_name(category: str) -> str:
    """The name of the partial SP-GiST index on coverage_metric of the helpers of `category`."""
    return f"helper_coverage_{category}"


# The shares of a helper's radius around home that the "near" indexes cover (the batch looks at
# the pairs of the smallest first: ranking.scoring.pairs_sql, docs/MATCHING.md).
NEAR_SHARES = (0.25, 0.5)


def near_index_name(category: str, share: float) -> str:
    """The name of the partial SP-GiST index of the boxes of `share` × radius around home."""
    return f"helper_near{round(share * 100)}_{category}"


def near_box_expression(share: float):
    """The box of half-side `share` × radius_km around home (EPSG:3812), an index expression.

    ranking.scoring writes the same expression in SQL (`ST_Expand(h.location_metric,
    h.radius_km * <metres per km × share>)`) so the planner matches it with the index.
    """
    return Func(
        F("location_metric"),
        F("radius_km") * Value(1000.0 * share),
        function="ST_Expand",
        output_field=models.PolygonField(srid=METRIC_SRID),
    )


def coverage_index_condition(category: str) -> Q:
    """Which helpers that index holds: those who may be matched and offer `category`."""
    return Q(active=True, verification_state="verified", categories__contains=[category])


class VerificationState(models.TextChoices):
    """Where a helper's vetting stands. Only VERIFIED may be matched or offer help.

    The state lives on the profile (the partial indexes and every eligibility query filter on
    it) and is written only by matching.services.helper_vetting_change, which appends a
    VettingChange in the same transaction: the profile holds the current state, the changes its
    history.
    """

    UNVERIFIED = "unverified", _("Not verified yet")
    VERIFIED = "verified", _("Verified")
    SUSPENDED = "suspended", _("Suspended")
    REJECTED = "rejected", _("Rejected")


class IdDocumentType(models.TextChoices):
    """The kind of identity document a coordinator saw. Its number is never recorded."""

    IDENTITY_CARD = "identity_card", _("Identity card")
    RESIDENCE_CARD = "residence_card", _("Residence card")
    PASSPORT = "passport", _("Passport")
    OTHER = "other", _("Other official document")


class VettingCheck(models.TextChoices):
    """Checks an organisation may require on top of the ID and the interview
    (settings.HELPER_VETTING_REQUIRED_CHECKS, none by default). Tandem records that and when a
    coordinator did them, never the documents themselves."""

    REFERENCES = "references", _("References checked")
    GOOD_CONDUCT = "good_conduct", _("Certificate of good conduct seen")


class HelperProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="helper_profile"
    )
    location = models.PointField(_("home"), geography=True, srid=4326)
    # Derived from location and radius_km in save(); see coverage_polygon().
    coverage = models.PolygonField(_("area covered"), geography=True, srid=4326, editable=False)
    # The same home and area in Belgian Lambert 2008 metres, for the matching queries (module
    # docstring). Their indexes are the partial ones in Meta.indexes.
    location_metric = models.PointField(
        _("home (Lambert 2008)"), srid=METRIC_SRID, editable=False, spatial_index=False
    )
    coverage_metric = models.PolygonField(
        _("area covered (Lambert 2008)"), srid=METRIC_SRID, editable=False, spatial_index=False
    )
    postcode = models.CharField(_("postcode"), max_length=4, blank=True)
    radius_km = models.FloatField(
        _("distance willing to travel (km)"),
        validators=[MinValueValidator(RADIUS_KM_RANGE[0]), MaxValueValidator(RADIUS_KM_RANGE[1])],
    )
    categories = ArrayField(
        models.CharField(max_length=20, choices=Category.choices), default=list, blank=True
    )
    weekly_hours = models.FloatField(
        _("hours a week"),
        validators=[
            MinValueValidator(WEEKLY_HOURS_RANGE[0]),
            MaxValueValidator(WEEKLY_HOURS_RANGE[1]),
        ],
    )
    languages = ArrayField(
        models.CharField(max_length=2, choices=Language.choices), default=list, blank=True
    )
    # The weekly load of the requests this helper is currently matched to. Kept on the row (not
    # summed on read) so that accepting an offer can check and raise it under the row lock, and
    # eligibility can compare it with a request's load in the same index-driven query.
    committed_weekly_hours = models.FloatField(_("hours a week already committed"), default=0.0)
    has_car = models.BooleanField(_("has a car"), default=False)
    active = models.BooleanField(_("active"), default=True)
    verification_state = models.CharField(
        _("verification"),
        max_length=20,
        choices=VerificationState.choices,
        default=VerificationState.UNVERIFIED,
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("verified by"),
    )
    verified_at = models.DateTimeField(_("verified at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("helper profile")
        verbose_name_plural = _("helper profiles")
        # `location` and `coverage` get GiST indexes from GeoDjango (spatial_index defaults on);
        # coverage_metric has one partial index per category, on matchable helpers only. A
        # query uses one when its WHERE repeats the condition with the category written as a
        # literal (ranking.scoring.fast_eligibility_sql). SP-GiST rather than GiST: the discs
        # overlap a lot (radii up to 50 km), which a quad-tree of boxes searches faster
        # (measured about 17 % off the candidates query; docs/MATCHING.md).
        indexes = [
            # An expression rather than `fields`: GeoDjango's schema editor drops the condition
            # (and the index type) of an index on a geometry field given by name.
            SpGistIndex(
                F("coverage_metric"),
                name=coverage_index_name(category),
                condition=coverage_index_condition(category),
            )
            for category in Category.values
        ] + [
            # The boxes of a share of the radius around home, for the batch's nearest pairs.
            SpGistIndex(
                near_box_expression(share),
                name=near_index_name(category, share),
                condition=coverage_index_condition(category),
            )
            for share in NEAR_SHARES
            for category in Category.values
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(radius_km__gte=RADIUS_KM_RANGE[0], radius_km__lte=RADIUS_KM_RANGE[1]),
                name="helperprofile_radius_range",
            ),
            models.CheckConstraint(
                condition=Q(
                    weekly_hours__gte=WEEKLY_HOURS_RANGE[0],
                    weekly_hours__lte=WEEKLY_HOURS_RANGE[1],
                ),
                name="helperprofile_weekly_hours_range",
            ),
            # The capacity bound of the contract, enforced by the database as a last line of
            # defence; the small tolerance absorbs float rounding of sums like 0.25 + 0.5 + ...
            models.CheckConstraint(
                condition=Q(committed_weekly_hours__gte=0)
                & Q(committed_weekly_hours__lte=F("weekly_hours") + COMMITTED_HOURS_TOLERANCE),
                name="helperprofile_committed_within_weekly_hours",
            ),
        ]

    def __str__(self) -> str:
        return f"Helper profile of {self.user}"

    @property
    def is_verified(self) -> bool:
        return self.verification_state == VerificationState.VERIFIED

    def derive_places(self) -> None:
        """Set coverage, location_metric and coverage_metric from location and radius_km.

        save() calls it; call it yourself before bulk_create (which skips save()).
        """
        if self.location is None or self.radius_km is None:
            return
        _to_metric, to_wgs84 = _transformations()
        self.location_metric = metric_point(self.location)
        self.coverage_metric = metric_coverage_polygon(home=self.location, radius_km=self.radius_km)
        # The WGS 84 area is the metric one transformed, so both always describe the same disc.
        self.coverage = self.coverage_metric.transform(to_wgs84, clone=True)
        self.coverage.srid = 4326

    def save(self, *args, **kwargs):
        # Recomputed on every save so they can never drift from location and radius.
        # Bulk writes (bulk_create, queryset.update) bypass this: see the module docstring.
        self.derive_places()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"location", "radius_km"} & set(update_fields):
            kwargs["update_fields"] = {
                *update_fields,
                "coverage",
                "location_metric",
                "coverage_metric",
            }
        super().save(*args, **kwargs)


class Weekday(models.IntegerChoices):
    MONDAY = 0, _("Monday")
    TUESDAY = 1, _("Tuesday")
    WEDNESDAY = 2, _("Wednesday")
    THURSDAY = 3, _("Thursday")
    FRIDAY = 4, _("Friday")
    SATURDAY = 5, _("Saturday")
    SUNDAY = 6, _("Sunday")


class AvailabilitySlot(models.Model):
    """One weekly window a helper is usually free, in Brussels local time.

    A related table rather than JSON, so the ranking can compare slots with a request's start in
    SQL. A slot does not cross midnight: an evening-to-morning window is two slots.
    """

    profile = models.ForeignKey(
        HelperProfile, on_delete=models.CASCADE, related_name="availability_slots"
    )
    weekday = models.PositiveSmallIntegerField(_("weekday"), choices=Weekday.choices)
    start = models.TimeField(_("from"))
    end = models.TimeField(_("until"))

    class Meta:
        verbose_name = _("availability slot")
        verbose_name_plural = _("availability slots")
        ordering = ["weekday", "start"]
        constraints = [
            models.CheckConstraint(condition=Q(weekday__lte=6), name="availability_weekday_range"),
            models.CheckConstraint(
                condition=Q(start__lt=F("end")), name="availability_start_before_end"
            ),
            models.UniqueConstraint(
                fields=["profile", "weekday", "start"], name="availability_unique_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()} {self.start:%H:%M}–{self.end:%H:%M}"


class VettingChange(models.Model):
    """One change of a helper's vetting by a coordinator: append-only, never updated.

    Each row carries the whole record as it stood after the change (the checks and notes), the
    state it moved from and to (the same state when only the record was completed), who did it,
    when and why. The newest row is the current record; the profile's verification_state always
    equals its `state` (both written by matching.services.helper_vetting_change).
    """

    profile = models.ForeignKey(
        HelperProfile, on_delete=models.CASCADE, related_name="vetting_changes"
    )
    previous_state = models.CharField(
        _("previous state"), max_length=20, choices=VerificationState.choices
    )
    state = models.CharField(_("state"), max_length=20, choices=VerificationState.choices)
    # SET_NULL: a coordinator who leaves does not take the helper's history with them.
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    reason = models.TextField(_("reason"))
    # The record after this change: the type of the document seen (never its number) ...
    id_document = models.CharField(
        _("identity document seen"), max_length=20, choices=IdDocumentType.choices, blank=True
    )
    # ... the interview, and the further checks an organisation may require ({code: ISO date}).
    interview_on = models.DateField(_("interview on"), null=True, blank=True)
    interviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("interviewed by"),
    )
    checks_done = models.JSONField(_("further checks done"), default=dict, blank=True)
    notes = models.TextField(_("notes"), blank=True)

    class Meta:
        verbose_name = _("vetting change")
        verbose_name_plural = _("vetting changes")
        ordering = ["profile", "changed_at", "id"]
        indexes = [models.Index(fields=["profile", "-id"], name="vettingchange_newest")]

    def __str__(self) -> str:
        return f"{self.previous_state} → {self.state} ({self.changed_at:%Y-%m-%d})"
