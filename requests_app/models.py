"""Help requests and what happens around them: offers, visits and private feedback.

Business rules (who may offer, accept, confirm...) live in services.py; the models only carry the
data and a few derived values (weekly load, the approximate place shown to others).
"""

import math
import random
import secrets
from decimal import Decimal

from django.conf import settings
from django.contrib.gis.db import models
from django.contrib.gis.geos import Point
from django.contrib.postgres.fields import ArrayField
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from geopy.distance import geodesic

from accounts.models import Language
from geo.models import APPROXIMATE_OFFSET_METRES
from matching.vocabulary import Category, Recurrence, weekly_load_hours


class Relationship(models.TextChoices):
    SPOUSE = "spouse", _("Spouse")
    PARTNER = "partner", _("Partner")
    PARENT = "parent", _("Parent")
    CHILD = "child", _("Child")
    GRANDPARENT = "grandparent", _("Grandparent")
    SIBLING = "sibling", _("Brother or sister")
    OTHER_FAMILY = "other_family", _("Other family")
    FRIEND = "friend", _("Friend")
    NEIGHBOUR = "neighbour", _("Neighbour")


class RequestStatus(models.TextChoices):
    OPEN = "open", _("Open")
    MATCHED = "matched", _("Matched")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")
    EXPIRED = "expired", _("Expired")


def new_location_salt() -> int:
    """A fresh secret per request: nobody can recompute the offset without it."""
    return secrets.randbits(62)


def approximate_point(*, exact: Point, salt: int) -> Point:
    """The exact point moved by 500–900 m (geodesic) in a direction fixed by `salt`.

    A pure function of its inputs, so a request's approximate place never changes as long as its
    exact place does not, and two requests never share an offset by construction.
    """
    draw = random.Random(salt)
    bearing_degrees = draw.uniform(0.0, 360.0)
    # Uniform over the area of the ring rather than over the radius, so the blur does not cluster
    # near the inner edge.
    low, high = APPROXIMATE_OFFSET_METRES
    distance_metres = math.sqrt(draw.uniform(low * low, high * high))
    moved = geodesic(meters=distance_metres).destination((exact.y, exact.x), bearing_degrees)
    return Point(moved.longitude, moved.latitude, srid=4326)


class HelpRequest(models.Model):
    # Nullable only so that erasing an account can anonymise its requests instead of deleting them.
    requester = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="help_requests",
        verbose_name=_("person helped"),
    )
    # The person themselves, or a coordinator taking the request on their behalf by phone.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    category = models.CharField(_("category"), max_length=20, choices=Category.choices)
    description = models.TextField(_("description"), max_length=1000)
    location = models.PointField(_("place"), geography=True, srid=4326)
    # Stored rather than computed on read, so that lists can be sorted and filtered by it.
    approximate_location = models.PointField(
        _("approximate place"), geography=True, srid=4326, editable=False
    )
    location_salt = models.BigIntegerField(default=new_location_salt, editable=False)
    postcode = models.CharField(_("postcode"), max_length=4, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(
        _("duration in minutes"), validators=[MinValueValidator(15), MaxValueValidator(480)]
    )
    recurrence = models.CharField(
        _("how often"), max_length=20, choices=Recurrence.choices, default=Recurrence.ONCE
    )
    starts_at = models.DateTimeField(_("starts at"), null=True, blank=True)
    languages = ArrayField(
        models.CharField(max_length=2, choices=Language.choices), default=list, blank=True
    )
    for_someone_else = models.BooleanField(_("for someone else"), default=False)
    relationship = models.CharField(
        _("relationship"), max_length=20, choices=Relationship.choices, blank=True
    )
    cared_for_age = models.PositiveSmallIntegerField(
        _("age of the person cared for"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(130)],
    )
    care_hours_per_week = models.DecimalField(
        _("hours of care a week"),
        max_digits=5,
        decimal_places=1,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("168"))],
    )
    status = models.CharField(
        _("status"), max_length=20, choices=RequestStatus.choices, default=RequestStatus.OPEN
    )
    matched_helper = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="matched_requests",
        verbose_name=_("matched helper"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("help request")
        verbose_name_plural = _("help requests")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "category"], name="helprequest_status_category"),
            # `location` and `approximate_location` get GiST indexes from GeoDjango itself.
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=15, duration_minutes__lte=480),
                name="helprequest_duration_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_category_display()} #{self.pk}"

    @property
    def weekly_load_hours(self) -> float:
        """Hours a week this request takes from a helper (CONTRACT.md formula)."""
        return weekly_load_hours(self.duration_minutes, self.recurrence)

    def save(self, *args, **kwargs):
        # Deterministic from (exact point, salt): saving again gives the very same point, and the
        # offset is decided once, when the request is created.
        if self.location is not None:
            self.approximate_location = approximate_point(
                exact=self.location, salt=self.location_salt
            )
            update_fields = kwargs.get("update_fields")
            if update_fields is not None and "location" in update_fields:
                kwargs["update_fields"] = {*update_fields, "approximate_location"}
        super().save(*args, **kwargs)


class OfferStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Offer(models.Model):
    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="offers")
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="offers"
    )
    message = models.TextField(_("message"), max_length=1000, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=OfferStatus.choices, default=OfferStatus.PENDING
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("offer")
        verbose_name_plural = _("offers")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["request", "helper"], name="offer_once_per_helper"),
            # Last line of defence against two accepts racing: the database itself refuses a
            # second accepted offer on the same request.
            models.UniqueConstraint(
                fields=["request"],
                condition=Q(status="accepted"),
                name="offer_one_accepted_per_request",
            ),
        ]

    def __str__(self) -> str:
        return f"Offer #{self.pk} on request #{self.request_id}"


class Visit(models.Model):
    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="visits")
    helper = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="visits"
    )
    date = models.DateField(_("date"))
    hours = models.DecimalField(
        _("hours"),
        max_digits=4,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.25")), MaxValueValidator(Decimal("24"))],
    )
    confirmed_by_requester = models.BooleanField(_("confirmed by the person helped"), default=False)
    confirmed_at = models.DateTimeField(_("confirmed at"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("visit")
        verbose_name_plural = _("visits")
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(hours__gt=0, hours__lte=24), name="visit_hours_range"
            ),
            models.CheckConstraint(
                condition=Q(confirmed_by_requester=False) | Q(confirmed_at__isnull=False),
                name="visit_confirmation_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Visit on {self.date} for request #{self.request_id}"


class FeedbackKind(models.TextChoices):
    COMMENT = "comment", _("Comment")
    NO_SHOW = "no_show", _("Did not come")
    CONCERN = "concern", _("Concern")


class Feedback(models.Model):
    """Private notes for the coordinators; never shown to the person they are about."""

    request = models.ForeignKey(HelpRequest, on_delete=models.CASCADE, related_name="feedback")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="feedback_written",
    )
    about = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="feedback_received",
    )
    kind = models.CharField(
        _("kind"), max_length=20, choices=FeedbackKind.choices, default=FeedbackKind.COMMENT
    )
    text = models.TextField(_("text"), max_length=2000, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("feedback")
        verbose_name_plural = _("feedback")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on request #{self.request_id}"
