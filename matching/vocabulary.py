"""The vocabulary that helpers and requests share: task categories, recurrences, weekly load.

It lives with the helper profiles (the lowest domain layer that uses it): a helper offers
categories, a request asks for one, and eligibility compares a request's weekly load with a
helper's spare hours (CONTRACT.md, "Conventions").
"""

from typing import Protocol

from django.contrib.gis.geos import Point
from django.db import models
from django.db.models import Case, F, Value, When
from django.utils.translation import gettext_lazy as _


class Category(models.TextChoices):
    """Task categories of the contract. Non-medical only: nursing tasks are refused upstream."""

    SHOPPING = "shopping", _("Shopping")
    MEALS = "meals", _("Meals")
    ADMINISTRATION = "administration", _("Paperwork and administration")
    TRANSPORT = "transport", _("Transport and accompanying")
    COMPANY = "company", _("Company")
    GARDENING = "gardening", _("Gardening")
    ODD_JOBS = "odd_jobs", _("Odd jobs")
    HOUSEHOLD = "household", _("Household")
    DIGITAL = "digital", _("Computers and phones")


class Recurrence(models.TextChoices):
    ONCE = "once", _("Once")
    WEEKLY = "weekly", _("Every week")
    EVERY_TWO_WEEKS = "every_two_weeks", _("Every two weeks")
    MONTHLY = "monthly", _("Every month")


# How much of a week one occurrence weighs (CONTRACT.md, "Weekly load of a request"):
# weekly load in hours = duration_minutes / 60 × factor. A one-off task counts fully in its week.
WEEKLY_LOAD_FACTOR: dict[str, float] = {
    Recurrence.ONCE: 1.0,
    Recurrence.WEEKLY: 1.0,
    Recurrence.EVERY_TWO_WEEKS: 0.5,
    Recurrence.MONTHLY: 0.25,
}


def weekly_load_hours(duration_minutes: int, recurrence: str) -> float:
    """Hours a week a request of this duration and recurrence takes from a helper."""
    return duration_minutes / 60 * WEEKLY_LOAD_FACTOR[recurrence]


def weekly_load_hours_expression(prefix: str = ""):
    """The weekly load as a database expression, from the same factor table as the property.

    `prefix` reaches the request through a relation, e.g. "request__" when annotating offers.
    """
    duration = F(f"{prefix}duration_minutes")
    return Case(
        *(
            When(**{f"{prefix}recurrence": recurrence}, then=duration * Value(factor) / 60.0)
            for recurrence, factor in WEEKLY_LOAD_FACTOR.items()
        ),
        output_field=models.FloatField(),
    )


class WorkToMatch(Protocol):
    """What eligibility reads of a request (requests_app.models.HelpRequest has it): matching
    sits below requests, so it names the attributes it needs instead of the model."""

    category: str
    location: Point
    requester_id: int | None

    @property
    def weekly_load_hours(self) -> float: ...
