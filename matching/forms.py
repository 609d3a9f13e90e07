"""Web forms of the helper and coordinator pages; the rules live in matching.services.

They turn what a browser sends into helper_profile_upsert's arguments (floats, lists, time
slots). Ranges, postcodes and slot overlaps are checked by the service, whose messages are shown
next to the fields.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.forms import LANGUAGE_NAMES_IN_THEMSELVES
from accounts.models import Role, User
from core.forms import CheckboxGroup, DateInput, ServiceErrorsMixin, TimeInput
from matching.models import IdDocumentType, VerificationState, VettingCheck, Weekday
from matching.services import VETTING_NOTES_MAX_LENGTH, VETTING_REASON_MAX_LENGTH
from matching.vocabulary import Category

RADIUS_CHOICES = [
    (0.5, _("500 metres")),
    (1.0, _("1 km")),
    (2.0, _("2 km")),
    (3.0, _("3 km")),
    (5.0, _("5 km")),
    (10.0, _("10 km")),
    (15.0, _("15 km")),
    (20.0, _("20 km")),
    (30.0, _("30 km")),
    (50.0, _("50 km")),
]
DEFAULT_RADIUS_KM = 3.0
DEFAULT_WEEKLY_HOURS = 2
# Empty rows offered under the saved ones, so that a slot can be added without JavaScript.
EMPTY_SLOT_ROWS = 2
MAX_SLOTS = 21


class HelperProfileForm(ServiceErrorsMixin, forms.Form):
    postcode = forms.CharField(
        label=_("Your postcode"),
        help_text=_("We count distances from here. Nobody sees your address."),
        max_length=4,
        widget=forms.TextInput(
            attrs={"autocomplete": "postal-code", "inputmode": "numeric", "size": "6"}
        ),
    )
    radius_km = forms.TypedChoiceField(
        label=_("How far would you go to help?"),
        choices=RADIUS_CHOICES,
        coerce=float,
        initial=DEFAULT_RADIUS_KM,
    )
    categories = forms.MultipleChoiceField(
        label=_("What would you like to help with?"),
        choices=Category.choices,
        widget=CheckboxGroup,
        error_messages={"required": _("Choose at least one kind of help.")},
    )
    weekly_hours = forms.FloatField(
        label=_("How many hours a week, at most?"),
        help_text=_("From 1 to 40. You never get more than this."),
        min_value=1,
        max_value=40,
        initial=DEFAULT_WEEKLY_HOURS,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.5"}),
    )
    languages = forms.MultipleChoiceField(
        label=_("Languages you speak"),
        choices=list(LANGUAGE_NAMES_IN_THEMSELVES.items()),
        widget=CheckboxGroup,
        required=False,
    )
    has_car = forms.BooleanField(label=_("I have a car and can drive someone"), required=False)
    active = forms.BooleanField(
        label=_("Show me requests now"),
        help_text=_("Untick this while you are away: nobody will ask you."),
        required=False,
        initial=True,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A radius set through the API may be any value in range: keep it selectable.
        current = self.initial.get("radius_km")
        choices = list(RADIUS_CHOICES)
        if current is not None and float(current) not in {value for value, _l in choices}:
            choices = sorted([*choices, (float(current), f"{float(current):g} km")])
        self.fields["radius_km"].choices = choices

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "postcode": data["postcode"].strip(),
            "radius_km": float(data["radius_km"]),
            "categories": list(data["categories"]),
            "weekly_hours": float(data["weekly_hours"]),
            "languages": list(data["languages"]),
            "has_car": data["has_car"],
            "active": data["active"],
        }


class AvailabilitySlotForm(forms.Form):
    """One row: a weekday, from, until. A row without a day is left out."""

    weekday = forms.TypedChoiceField(
        label=_("Day"),
        choices=[("", _("No day")), *Weekday.choices],
        coerce=int,
        empty_value=None,
        required=False,
    )
    start = forms.TimeField(label=_("From"), required=False, widget=TimeInput)
    end = forms.TimeField(label=_("Until"), required=False, widget=TimeInput)

    def clean(self):
        cleaned = super().clean()
        weekday, start, end = cleaned.get("weekday"), cleaned.get("start"), cleaned.get("end")
        if weekday is None:
            if start or end:
                self.add_error("weekday", _("Choose the day, or empty the times."))
            return cleaned
        if start is None and "start" not in self.errors:
            self.add_error("start", _("Give the time you are free from."))
        if end is None and "end" not in self.errors:
            self.add_error("end", _("Give the time you are free until."))
        if start and end and end <= start:
            self.add_error("end", _("The end must come after the start."))
        return cleaned


class BaseAvailabilityFormSet(forms.BaseFormSet):
    def slots(self) -> list[dict]:
        """The filled-in rows as helper_profile_upsert's availability."""
        return [
            {
                "weekday": form.cleaned_data["weekday"],
                "start": form.cleaned_data["start"],
                "end": form.cleaned_data["end"],
            }
            for form in self.forms
            if form.cleaned_data.get("weekday") is not None
        ]


AvailabilityFormSet = forms.formset_factory(
    AvailabilitySlotForm,
    formset=BaseAvailabilityFormSet,
    extra=EMPTY_SLOT_ROWS,
    max_num=MAX_SLOTS,
    validate_max=True,
)


def _id_document_choices():
    return [("", _("Not seen yet")), *IdDocumentType.choices]


class HelperVerifyForm(ServiceErrorsMixin, forms.Form):
    """The quick verification on the list of helpers to verify: what the coordinator saw and
    when they talked with the helper, recorded in the vetting history (matching.services)."""

    id_document = forms.ChoiceField(
        label=_("Identity document seen"),
        help_text=_("Only the kind of document: never write down its number."),
        choices=_id_document_choices,
        error_messages={"required": _("Verify only after seeing their identity document.")},
    )
    interview_on = forms.DateField(
        label=_("Talked with them on"),
        widget=DateInput,
        initial=timezone.localdate,
        error_messages={"required": _("Verify only after talking with them.")},
    )
    reason = forms.CharField(
        label=_("Why you verify them"),
        help_text=_("Kept in the helper's history, for the other coordinators."),
        max_length=VETTING_REASON_MAX_LENGTH,
        widget=forms.TextInput(attrs={"size": "40"}),
    )

    def service_arguments(self) -> dict:
        data = self.cleaned_data
        return {
            "state": VerificationState.VERIFIED,
            "reason": data["reason"],
            "record": {"id_document": data["id_document"], "interview_on": data["interview_on"]},
        }


class HelperVettingForm(ServiceErrorsMixin, forms.Form):
    """The whole vetting record on the coordinator's page of one helper: the decision (the
    state, which may stay as it is while the record is completed), why, and the record."""

    state = forms.ChoiceField(label=_("Decision"), choices=VerificationState.choices)
    reason = forms.CharField(
        label=_("Why"),
        help_text=_("Kept in the helper's history, for the other coordinators."),
        max_length=VETTING_REASON_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    id_document = forms.ChoiceField(
        label=_("Identity document seen"),
        help_text=_("Only the kind of document: never write down its number."),
        choices=_id_document_choices,
        required=False,
    )
    interview_on = forms.DateField(label=_("Interview on"), widget=DateInput, required=False)
    interviewed_by = forms.ModelChoiceField(
        label=_("Interview by"),
        queryset=User.objects.none(),
        required=False,
        empty_label=_("You"),
    )
    references = forms.DateField(
        label=VettingCheck.REFERENCES.label, widget=DateInput, required=False
    )
    good_conduct = forms.DateField(
        label=VettingCheck.GOOD_CONDUCT.label, widget=DateInput, required=False
    )
    notes = forms.CharField(
        label=_("Notes"),
        help_text=_("For the coordinators only. Facts, not opinions about the person."),
        max_length=VETTING_NOTES_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )

    def __init__(self, *args, required_checks=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["interviewed_by"].queryset = User.objects.filter(
            roles__contains=[Role.COORDINATOR], is_active=True
        ).order_by("display_name", "id")
        self.fields["interviewed_by"].label_from_instance = lambda user: user.display_name
        for code in VettingCheck.values:
            if code in required_checks:
                self.fields[code].help_text = _("Your organisation requires it before verifying.")

    @classmethod
    def initial_from(cls, record: dict) -> dict:
        """The form's initial values from matching.selectors.helper_vetting_record."""
        checks = record["checks"]
        return {
            "state": record["state"],
            "id_document": checks["id_document"],
            "interview_on": checks["interview_on"],
            "interviewed_by": (checks["interviewed_by"] or {}).get("id"),
            **{code: checks[code] for code in VettingCheck.values},
            "notes": record["notes"],
        }

    def service_arguments(self) -> dict:
        """helper_vetting_change's arguments: the page always sends the whole record."""
        data = self.cleaned_data
        return {
            "state": data["state"],
            "reason": data["reason"],
            "record": {
                "id_document": data["id_document"],
                "interview_on": data["interview_on"],
                "interviewed_by": data["interviewed_by"],
                "checks_done": {code: data[code] for code in VettingCheck.values},
                "notes": data["notes"],
            },
        }


def split_service_errors(error: ValidationError) -> tuple[dict[str, list[str]], list[str]]:
    """A service's ValidationError as (profile field messages, availability messages).

    The home given as a point ("location") is shown on the postcode, the only way to give it
    here.
    """
    if not hasattr(error, "error_dict"):
        return {None: error.messages}, []
    by_field = dict(error.message_dict)
    availability = by_field.pop("availability", [])
    if "location" in by_field:
        by_field.setdefault("postcode", []).extend(by_field.pop("location"))
    return by_field, availability
