"""Web forms of the request pages: they parse and render; the rules live in requests_app.services.

The forms only turn what a browser sends into the types the services take (an int of minutes, an
aware datetime in Brussels time, a Decimal of hours). Every check a service makes anyway (ranges,
the medical guard, the place) is left to the service, whose messages are shown next to the fields
(core.forms.ServiceErrorsMixin), so the web and the API refuse the same things in the same
words.
"""

import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from core.forms import CheckboxGroup, DateInput, RadioGroup, ServiceErrorsMixin, TimeInput  # noqa: F401
from matching.vocabulary import Category, Recurrence
from requests_app.models import FeedbackKind, Relationship
from requests_app.templatetags.request_pages import duration

# What the "How long?" select offers: from a quarter of an hour to a working day (CONTRACT.md:
# 15–480 minutes). A short list of round values is easier to pick than a number to type.
DURATION_CHOICES = [
    (minutes, lazy(duration, str)(minutes))
    for minutes in (15, 30, 45, 60, 90, 120, 180, 240, 360, 480)
]
DEFAULT_DURATION_MINUTES = 60

FOR_WHOM_CHOICES = [
    ("no", _("For me")),
    ("yes", _("For someone else: a relative, a friend, a neighbour")),
]

VISIT_HOURS_CHOICES = [
    (f"{minutes / 60:g}", lazy(duration, str)(minutes))
    for minutes in (30, 60, 90, 120, 180, 240, 360, 480)
]


class HelpRequestForm(ServiceErrorsMixin, forms.Form):
    """/requests/new/: what, where, how long, how often, when, and for whom."""

    category = forms.ChoiceField(
        label=_("What do you need help with?"),
        choices=Category.choices,
        widget=RadioGroup,
        error_messages={"required": _("Choose what you need help with.")},
    )
    description = forms.CharField(
        label=_("Tell us in a few words"),
        help_text=_(
            "For example: “Carry the shopping up to the second floor.” "
            "Do not write your address: you will give it to your helper yourself."
        ),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Describe in a few words what you need.")},
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        help_text=_(
            "Of the place where help is needed. Others only see the area, never your address."
        ),
        max_length=4,
        widget=forms.TextInput(
            attrs={"autocomplete": "postal-code", "inputmode": "numeric", "size": "6"}
        ),
        error_messages={"required": _("Give the postcode, for example 5000.")},
    )
    duration_minutes = forms.TypedChoiceField(
        label=_("How long will it take?"),
        choices=DURATION_CHOICES,
        coerce=int,
        initial=DEFAULT_DURATION_MINUTES,
    )
    recurrence = forms.ChoiceField(
        label=_("How often?"),
        choices=Recurrence.choices,
        initial=Recurrence.ONCE,
        widget=RadioGroup,
    )
    starts_on = forms.DateField(
        label=_("Day"),
        required=False,
        widget=DateInput,
    )
    starts_time = forms.TimeField(
        label=_("Time"),
        required=False,
        widget=TimeInput,
    )
    for_someone_else = forms.ChoiceField(
        label=_("Who is the help for?"),
        choices=FOR_WHOM_CHOICES,
        initial="no",
        widget=RadioGroup,
    )
    relationship = forms.ChoiceField(
        label=_("Who is this person to you?"),
        choices=[("", _("Choose…")), *Relationship.choices],
        required=False,
    )
    cared_for_age = forms.IntegerField(
        label=_("Their age"),
        required=False,
        min_value=0,
        max_value=130,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    care_hours_per_week = forms.DecimalField(
        label=_("About how many hours a week do you help them?"),
        required=False,
        min_value=0,
        max_value=168,
        decimal_places=1,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.5"}),
    )

    # The fields about the other person, shown together under their own heading (and hidden by
    # the script until "someone else" is chosen).
    CARED_FOR_FIELDS = ("relationship", "cared_for_age", "care_hours_per_week")

    # The service's names for what this form calls otherwise.
    SERVICE_FIELD_NAMES = {"starts_at": "starts_on", "location": "postcode"}

    def add_service_errors(self, error: ValidationError) -> None:
        if hasattr(error, "error_dict"):
            error = ValidationError(
                {
                    self.SERVICE_FIELD_NAMES.get(name, name): errors
                    for name, errors in error.error_dict.items()
                }
            )
        super().add_service_errors(error)

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("for_someone_else") != "yes":
            # Hidden answers about nobody: never an error the person cannot see.
            for name in self.CARED_FOR_FIELDS:
                self.errors.pop(name, None)
                cleaned.pop(name, None)
        day, moment = cleaned.get("starts_on"), cleaned.get("starts_time")
        if day and not moment:
            self.add_error("starts_time", _("Give a time as well, or leave the day empty."))
        elif moment and not day:
            self.add_error("starts_on", _("Give a day as well, or leave the time empty."))
        return cleaned

    def service_arguments(self) -> dict:
        """The cleaned data as help_request_create's keyword arguments.

        The postcode may be empty on the coordinator's form: the service then uses the
        postcode of the person's account.
        """
        data = self.cleaned_data
        for_someone_else = data["for_someone_else"] == "yes"
        starts_at = None
        if data.get("starts_on") and data.get("starts_time"):
            # In the site's zone (Europe/Brussels), as the person means it.
            starts_at = timezone.make_aware(
                datetime.datetime.combine(data["starts_on"], data["starts_time"])
            )
        return {
            "category": data["category"],
            "description": data["description"],
            "postcode": data["postcode"].strip(),
            "duration_minutes": data["duration_minutes"],
            "recurrence": data["recurrence"],
            "starts_at": starts_at,
            "for_someone_else": for_someone_else,
            # The service keeps these only when the help is for someone else.
            "relationship": data.get("relationship", ""),
            "cared_for_age": data.get("cared_for_age"),
            "care_hours_per_week": data.get("care_hours_per_week"),
        }


class OnBehalfHelpRequestForm(HelpRequestForm):
    """/coordinator/requests/new/: the same request, for a person who phoned a coordinator.

    The person is one without e-mail whom the coordinator's team manages (`person`, recorded on
    /coordinator/people/), or someone with an account, picked by its email address.
    """

    person = forms.TypedChoiceField(
        label=_("A person without e-mail you manage"),
        help_text=_("Not in the list? Record them first on the page “People without e-mail”."),
        coerce=int,
        empty_value=None,
        required=False,
    )
    person_email = forms.EmailField(
        label=_("Or: the email address of the person's account"),
        help_text=_("For someone who has a Tandem account. The request will be theirs."),
        max_length=254,
        required=False,
        widget=forms.EmailInput(attrs={"spellcheck": "false"}),
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        help_text=_("Leave empty to use the postcode of the person's account."),
        max_length=4,
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": "6"}),
    )

    field_order = ["person", "person_email"]

    def __init__(self, *args, people=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = [("", "—")] + [
            (person.pk, f"{person.user.display_name} ({person.user.postcode})") for person in people
        ]

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("person") and not cleaned.get("person_email"):
            if "person_email" not in self.errors:
                self.add_error(
                    "person", _("Choose the person, or give the email address of their account.")
                )
        elif cleaned.get("person") and cleaned.get("person_email"):
            self.add_error("person_email", _("Choose the person or give an address, not both."))
        return cleaned


class OfferAcceptForm(forms.Form):
    offer = forms.IntegerField(widget=forms.HiddenInput)


class VisitLogForm(ServiceErrorsMixin, forms.Form):
    date = forms.DateField(label=_("Day of the visit"), widget=DateInput)
    hours = forms.TypedChoiceField(
        label=_("How long did you help?"), choices=VISIT_HOURS_CHOICES, coerce=str, initial="1"
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "visit")
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate


class FeedbackForm(ServiceErrorsMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("What is it about?"),
        choices=FeedbackKind.choices,
        initial=FeedbackKind.COMMENT,
        widget=RadioGroup,
    )
    text = forms.CharField(
        label=_("Your message to the coordinators"),
        help_text=_("Only the coordinators read it, never the other person."),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("prefix", "feedback")
        super().__init__(*args, **kwargs)
