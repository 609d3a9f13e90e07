"""Shapes of the request-flow API (CONTRACT.md, "Requests and matching").

Input fields are strict about JSON types (a count is a JSON integer, a flag a JSON boolean), so a
wrong type is a 400 naming the field, never a silent conversion or a 500. The services check the
same rules again for callers that are not the API.
"""

from __future__ import annotations

from types import SimpleNamespace

from rest_framework import serializers

from accounts.models import Language
from core.api_values import date_time_text
from core.fast_rows import FinishedRepresentation, computed
from core.strict_fields import (
    StrictBooleanField,
    StrictCharField,
    StrictChoiceField,
    StrictIntegerField,
    StrictNumberField,
)
from matching.vocabulary import Category, Recurrence, weekly_load_hours
from requests_app import services
from requests_app.models import Feedback, FeedbackKind, Offer, Relationship, Visit
from requests_app.selectors import (
    acts_for_requester,
    carer_signal_of,
    orientation_of,
    sees_exact_place,
)


class RequestPointSerializer(serializers.Serializer):
    """A place as {"lat", "lon"} in WGS84 degrees."""

    lat = StrictNumberField(min_value=-90, max_value=90)
    lon = StrictNumberField(min_value=-180, max_value=180)


# --- Help requests ---------------------------------------------------------------------------


class HelpRequestCreateInputSerializer(serializers.Serializer):
    category = StrictChoiceField(choices=Category.choices)
    description = StrictCharField(max_length=services.DESCRIPTION_MAX_LENGTH)
    postcode = StrictCharField(required=False, allow_blank=True, max_length=4, min_length=4)
    location = RequestPointSerializer(required=False, allow_null=True)
    duration_minutes = StrictIntegerField(
        min_value=services.DURATION_MINUTES_RANGE[0], max_value=services.DURATION_MINUTES_RANGE[1]
    )
    recurrence = StrictChoiceField(choices=Recurrence.choices)
    starts_at = serializers.DateTimeField(required=False, allow_null=True)
    languages = serializers.ListField(
        child=StrictChoiceField(choices=Language.choices),
        required=False,
        allow_empty=True,
        max_length=len(Language.choices),
    )
    for_someone_else = StrictBooleanField(required=False, default=False)
    relationship = StrictChoiceField(
        choices=Relationship.choices, required=False, allow_blank=True, default=""
    )
    cared_for_age = StrictIntegerField(
        required=False,
        allow_null=True,
        min_value=services.CARED_FOR_AGE_RANGE[0],
        max_value=services.CARED_FOR_AGE_RANGE[1],
    )
    care_hours_per_week = StrictNumberField(
        required=False,
        allow_null=True,
        min_value=float(services.CARE_HOURS_PER_WEEK_RANGE[0]),
        max_value=float(services.CARE_HOURS_PER_WEEK_RANGE[1]),
    )
    # Extension of the contract: a coordinator taking a request by phone names the person
    # (a user id). Anyone else may only name themselves.
    requester = StrictIntegerField(required=False, min_value=1, max_value=2**63 - 1)
    # Without a postcode and a place, help_request_create refuses (or, for a coordinator, uses
    # the person's postcode): the one rule for the API and the pages.


class DegreesField(serializers.FloatField):
    """Degrees to the micro-degree (about 10 cm): the API's precision for a place."""

    def to_representation(self, value) -> float:
        return round(float(value), 6)


class RequestPointOutputSerializer(serializers.Serializer):
    """A point as {"lat", "lon"} in WGS84 degrees."""

    lat = DegreesField(source="y")
    lon = DegreesField(source="x")


# The reader-dependent fields, removed for readers who do not act for the requester.
_CARER_FIELDS = (
    "relationship",
    "cared_for_age",
    "care_hours_per_week",
    "carer_signal",
    "orientation",
)


class HelpRequestOutputSerializer(FinishedRepresentation, serializers.Serializer):
    """One request as the API shows it to `context["viewer"]`, from a HelpRequest or a row of
    requests_app.selectors (core.fast_rows). The exact place only to those who may see it
    (requests_app.selectors.sees_exact_place), the approximate one to everyone. The carer fields
    and the carer signal are about the person and their family: only the requester's side and
    coordinators see them, not the helper; the signal unless `context["carer_signal"]` is False.
    The orientation (needs beyond the task and where to turn, detection.orientation) goes with
    the signal: the same readers, the same responses (the new request and its own page).
    """

    id = serializers.IntegerField()
    status = serializers.CharField()
    category = serializers.CharField()
    description = serializers.CharField()
    postcode = serializers.CharField()
    location = RequestPointOutputSerializer(allow_null=True)
    location_is_exact = computed(serializers.BooleanField)
    approximate_location = RequestPointOutputSerializer(allow_null=True)
    duration_minutes = serializers.IntegerField()
    recurrence = serializers.CharField()
    weekly_load_hours = computed(serializers.FloatField)
    starts_at = serializers.DateTimeField(allow_null=True)
    languages = serializers.ListField(child=serializers.CharField())
    for_someone_else = serializers.BooleanField()
    requester = serializers.IntegerField(source="requester_id", allow_null=True)
    created_by = serializers.IntegerField(source="created_by_id", allow_null=True)
    matched_helper = serializers.IntegerField(source="matched_helper_id", allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    relationship = serializers.CharField(required=False)
    cared_for_age = serializers.IntegerField(required=False, allow_null=True)
    care_hours_per_week = serializers.FloatField(required=False, allow_null=True)
    carer_signal = computed(serializers.DictField, required=False)
    orientation = computed(serializers.DictField, required=False)

    @staticmethod
    def finish_data(data: dict, context: dict) -> dict:
        viewer = context["viewer"]
        request = SimpleNamespace(
            requester_id=data["requester"],
            created_by_id=data["created_by"],
            matched_helper_id=data["matched_helper"],
        )
        exact = sees_exact_place(help_request=request, user=viewer)
        if not exact:
            data["location"] = data["approximate_location"]
        data["location_is_exact"] = exact
        data["weekly_load_hours"] = round(
            weekly_load_hours(data["duration_minutes"], data["recurrence"]), 4
        )
        if not acts_for_requester(help_request=request, user=viewer):
            for name in _CARER_FIELDS:
                del data[name]
        elif context.get("carer_signal", True):
            signal = carer_signal_of(
                help_request=SimpleNamespace(
                    description=data["description"],
                    for_someone_else=data["for_someone_else"],
                    relationship=data["relationship"],
                    cared_for_age=data["cared_for_age"],
                    care_hours_per_week=data["care_hours_per_week"],
                )
            )
            data["carer_signal"] = {"likely_carer": signal.likely_carer, "reasons": signal.reasons}
            data["orientation"] = orientation_of(
                help_request=SimpleNamespace(
                    description=data["description"], postcode=data["postcode"]
                )
            )
        else:
            del data["carer_signal"]
            del data["orientation"]
        return data


# --- Offers ----------------------------------------------------------------------------------


class OfferCreateInputSerializer(serializers.Serializer):
    message = StrictCharField(
        required=False, allow_blank=True, default="", max_length=services.OFFER_MESSAGE_MAX_LENGTH
    )


class OfferOutputSerializer(serializers.ModelSerializer):
    request = serializers.IntegerField(source="request_id")
    helper = serializers.IntegerField(source="helper_id")
    helper_display_name = serializers.CharField(source="helper.display_name")

    class Meta:
        model = Offer
        fields = [
            "id",
            "request",
            "helper",
            "helper_display_name",
            "message",
            "status",
            "created_at",
        ]


def offer_data(offer: Offer) -> dict:
    """An offer as OfferOutputSerializer shows it (the schema and the reference), built as a
    plain dict: a ModelSerializer costs more than the rest of the answer. `offer.helper` is read
    for the display name: load it with the offer (select_related) for lists."""
    return {
        "id": offer.pk,
        "request": offer.request_id,
        "helper": offer.helper_id,
        "helper_display_name": offer.helper.display_name,
        "message": offer.message,
        "status": str(offer.status),
        "created_at": date_time_text(offer.created_at),
    }


class OfferAcceptOutputSerializer(serializers.Serializer):
    status = serializers.CharField()
    conversation = serializers.IntegerField()


# --- Visits ----------------------------------------------------------------------------------


class VisitCreateInputSerializer(serializers.Serializer):
    date = serializers.DateField()
    hours = StrictNumberField(
        min_value=float(services.VISIT_HOURS_RANGE[0]),
        max_value=float(services.VISIT_HOURS_RANGE[1]),
    )


class VisitOutputSerializer(serializers.ModelSerializer):
    request = serializers.IntegerField(source="request_id")
    helper = serializers.IntegerField(source="helper_id", allow_null=True)
    hours = serializers.FloatField()
    confirmed = serializers.BooleanField(source="confirmed_by_requester")

    class Meta:
        model = Visit
        fields = ["id", "request", "helper", "date", "hours", "confirmed", "confirmed_at"]


# --- Feedback --------------------------------------------------------------------------------


class FeedbackCreateInputSerializer(serializers.Serializer):
    kind = StrictChoiceField(choices=FeedbackKind.choices)
    text = StrictCharField(
        required=False,
        allow_blank=True,
        default="",
        max_length=services.FEEDBACK_TEXT_MAX_LENGTH,
        trim_whitespace=True,
    )


class FeedbackOutputSerializer(serializers.ModelSerializer):
    request = serializers.IntegerField(source="request_id")
    author = serializers.IntegerField(source="author_id", allow_null=True)
    about = serializers.IntegerField(source="about_id", allow_null=True)

    class Meta:
        model = Feedback
        fields = ["id", "request", "author", "about", "kind", "text", "created_at"]
