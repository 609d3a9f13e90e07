"""Web forms of the carers pages: the self-assessment's questions, consent, the diary and the
coordinator's referral update. They parse and render; the rules live in carers.services.

Each question of the engine (carers.engine.questions) gets a plain-words label and an
explanation; the steps group a few of them, and the page shows only those still in the
engine's `missing` list (see carers.views).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from carers.engine.questions import BOOLEAN, CHOICE, INTEGER, NUMBER, QUESTION_KINDS
from carers.models import (
    ClosingOutcome,
    Consent,
    DeclineReason,
    DiaryKind,
    ReferralSource,
    ReferralStatus,
)
from carers.serializers import PHONE

UNKNOWN = "unknown"
YES_NO_UNKNOWN = [("yes", _("Yes")), ("no", _("No")), (UNKNOWN, _("I don't know"))]
DONT_KNOW_NUMBER = _("Leave empty if you don't know.")

EMPLOYMENT_LABELS = [
    ("employee", _("Employee")),
    ("civil_servant", _("Civil servant")),
    ("self_employed", _("Self-employed")),
    ("jobseeker", _("Jobseeker")),
    ("sickness_or_maternity_benefit", _("On sickness or maternity benefits")),
    ("retired", _("Retired")),
    ("student", _("Student")),
    ("other", _("Something else")),
]
KATZ_LABELS = [
    ("A", _("Package A")),
    ("B", _("Package B")),
    ("C", _("Package C")),
    ("Cd", _("Package C with disorientation (Cd)")),
]


@dataclass(frozen=True)
class Question:
    label: str
    help_text: str
    maximum: int = 100


QUESTIONS: dict[str, Question] = {
    "carer.trust_relationship": Question(
        _("Are you close to the person you help, or do you trust each other?"),
        _("For example family, a friend or a neighbour: someone you know well or live near."),
    ),
    "carer.resides_in_belgium": Question(
        _("Do you live in Belgium, permanently?"),
        _("Your real, permanent home is in Belgium."),
    ),
    "carer.in_population_register": Question(
        _("Are you registered with your municipality in Belgium?"),
        _(
            "In the population register or the foreigners' register: you have a Belgian "
            "identity card or residence card."
        ),
    ),
    "carer.unpaid_non_professional": Question(
        _("Do you help for free, and not as your job?"),
        _("You are not paid for this help and it is not your profession."),
    ),
    "carer.professional_involved": Question(
        _("Is at least one professional also involved?"),
        _("For example the family doctor, a nurse or a home-help service."),
    ),
    "carer.respects_life_project": Question(
        _("Do you respect the choices of the person you help about their own life?"),
        _("The law calls this their “life project”: how they want to live."),
    ),
    "cared_for.resides_in_belgium": Question(
        _("Does the person you help live in Belgium?"),
        _("Their main home is in Belgium."),
    ),
    "cared_for.dependent": Question(
        _("Does the person depend on help because of old age, illness or a disability?"),
        _("They cannot manage everyday life alone."),
    ),
    "cared_for.permanent_residential_care_days": Question(
        _("For how many days in a row has the person lived permanently in a care home?"),
        _("Write 0 if they live at home. A short stay to give you a break does not count."),
        maximum=130 * 366,
    ),
    "carer.hours_per_month": Question(
        _("About how many hours a month do you help?"),
        _("Count care training and carer support groups too."),
        maximum=31 * 24,
    ),
    "carer.hours_per_year": Question(
        _("About how many hours a year do you help?"),
        _("Over the last 12 months, counting care training and carer support groups."),
        maximum=366 * 24,
    ),
    "cared_for.recognised_carers": Question(
        _("How many other people are already recognised as carers of this person?"),
        _("Recognised by a mutualité (health insurance fund). Write 0 if none."),
    ),
    "cared_for.age": Question(
        _("How old is the person you help?"),
        _("In years."),
        maximum=130,
    ),
    "cared_for.indicators.autonomy_points": Question(
        _("How many points did they get on the autonomy scale for the integration allowance?"),
        _("The points for loss of autonomy in the decision on a disability allowance."),
    ),
    "cared_for.indicators.disability_allowance_12_points": Question(
        _("Do they receive a disability or elderly allowance with at least 12 points?"),
        _(
            "The income replacement, integration or assistance-to-the-elderly allowance, or the "
            "Flemish care budget for older people."
        ),
    ),
    "cared_for.indicators.third_party_help": Question(
        _("Do they receive an allowance for help from a third person?"),
        _("Help from a third person (“aide d'une tierce personne”)."),
    ),
    "cared_for.indicators.civil_servant_medical_pension_third_party": Question(
        _("Are they a civil servant with a pension for medical reasons and third-person help?"),
        _("Only for public-sector workers."),
    ),
    "cared_for.indicators.chronic_illness_package": Question(
        _("Do they meet a medical condition of the care package for the chronically ill?"),
        _("A yearly allowance the mutualité pays to chronically ill people."),
    ),
    "cared_for.indicators.bel_scale_points": Question(
        _("How many points do they have on the BEL scale (Flemish care insurance)?"),
        _("Used in Flanders for the care budget."),
    ),
    "cared_for.indicators.belrai_screener_score": Question(
        _("What is their BelRAI screener score?"),
        _("An assessment of needs used by home-care services."),
    ),
    "cared_for.indicators.belrai_adl_iadl_points": Question(
        _("How many points for the ADL and IADL parts of the BelRAI screener together?"),
        _("Everyday activities such as washing, dressing, cooking, shopping."),
    ),
    "cared_for.indicators.avq_cps_score": Question(
        _("What is their score on the AVQ/CPS medico-social scale?"),
        _("Used in Wallonia and Brussels."),
    ),
    "cared_for.indicators.katz_package": Question(
        _("Which Katz package are they entitled to?"),
        _("The Katz scale decides the package for nursing care at home."),
    ),
    "cared_for.indicators.child_scale_points": Question(
        _("How many points did the child get over the three pillars of the disability assessment?"),
        _("The assessment for supplementary family allowance for a child."),
    ),
    "cared_for.indicators.child_pillar3_points": Question(
        _("How many points did the child get in the third pillar (consequences for the family)?"),
        _("Out of 18."),
        maximum=18,
    ),
    "cared_for.indicators.increased_family_allowance": Question(
        _("Does the child receive increased (supplementary) family allowance?"),
        _("Extra family allowance for a child with a disability or illness."),
    ),
    "carer.employment": Question(
        _("What is your work situation?"),
        _("This decides whether carer's leave can apply to you."),
    ),
}


@dataclass(frozen=True)
class Step:
    slug: str
    title: str
    questions: tuple[str, ...]


STEPS: tuple[Step, ...] = (
    Step(
        "you",
        _("About you"),
        ("carer.trust_relationship", "carer.resides_in_belgium", "carer.in_population_register"),
    ),
    Step(
        "your-help",
        _("The help you give"),
        (
            "carer.unpaid_non_professional",
            "carer.professional_involved",
            "carer.respects_life_project",
        ),
    ),
    Step(
        "person",
        _("The person you help"),
        (
            "cared_for.resides_in_belgium",
            "cared_for.dependent",
            "cared_for.permanent_residential_care_days",
        ),
    ),
    Step(
        "hours",
        _("How much you help"),
        ("carer.hours_per_month", "carer.hours_per_year", "cared_for.recognised_carers"),
    ),
    Step("age", _("Their age"), ("cared_for.age",)),
    Step(
        "allowances",
        _("Allowances they receive"),
        (
            "cared_for.indicators.autonomy_points",
            "cared_for.indicators.disability_allowance_12_points",
            "cared_for.indicators.third_party_help",
            "cared_for.indicators.civil_servant_medical_pension_third_party",
            "cared_for.indicators.chronic_illness_package",
        ),
    ),
    Step(
        "scales",
        _("Assessments of their needs"),
        (
            "cared_for.indicators.katz_package",
            "cared_for.indicators.belrai_screener_score",
            "cared_for.indicators.belrai_adl_iadl_points",
            "cared_for.indicators.avq_cps_score",
            "cared_for.indicators.bel_scale_points",
        ),
    ),
    Step(
        "child",
        _("For a child or young person"),
        (
            "cared_for.indicators.child_scale_points",
            "cared_for.indicators.child_pillar3_points",
            "cared_for.indicators.increased_family_allowance",
        ),
    ),
    Step("work", _("Your work"), ("carer.employment",)),
)

# Every engine question is asked in exactly one step (a test checks it).
STEP_QUESTIONS = [path for step in STEPS for path in step.questions]


def field_name(path: str) -> str:
    """A dotted question path as a form field name (dots would confuse some tools)."""
    return path.replace(".", "__")


def _field_for(path: str, initial=None) -> forms.Field:
    question = QUESTIONS[path]
    kind = QUESTION_KINDS[path]
    common = {"label": question.label, "required": False, "initial": initial}
    if kind == BOOLEAN:
        return forms.ChoiceField(
            choices=YES_NO_UNKNOWN,
            widget=forms.RadioSelect,
            help_text=question.help_text,
            **common,
        )
    if kind == INTEGER:
        return forms.IntegerField(
            min_value=0,
            max_value=question.maximum,
            help_text=f"{question.help_text} {DONT_KNOW_NUMBER}",
            widget=forms.NumberInput(attrs={"inputmode": "numeric", "size": "6"}),
            **common,
        )
    if kind == NUMBER:
        return forms.DecimalField(
            min_value=Decimal("0"),
            max_value=Decimal(question.maximum),
            decimal_places=2,
            help_text=f"{question.help_text} {DONT_KNOW_NUMBER}",
            widget=forms.NumberInput(attrs={"inputmode": "decimal", "size": "6", "step": "any"}),
            **common,
        )
    if kind == CHOICE:
        options = EMPLOYMENT_LABELS if path == "carer.employment" else KATZ_LABELS
        return forms.ChoiceField(
            choices=[*options, (UNKNOWN, _("I don't know"))],
            widget=forms.RadioSelect,
            help_text=question.help_text,
            **common,
        )
    raise ValueError(path)


class QuestionsForm(forms.Form):
    """The questions of one step, built from their paths."""

    def __init__(self, *args, paths: list[str], initial_answers: dict | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.paths = paths
        for path in paths:
            self.fields[field_name(path)] = _field_for(path, (initial_answers or {}).get(path))

    def answers(self) -> dict[str, object]:
        """{path: answer} for the questions answered; "I don't know" and empty are left out."""
        answered: dict[str, object] = {}
        for path in self.paths:
            value = self.cleaned_data.get(field_name(path))
            if value in (None, "", UNKNOWN):
                continue
            kind = QUESTION_KINDS[path]
            if kind == BOOLEAN:
                answered[path] = value == "yes"
            elif kind == NUMBER:
                answered[path] = float(value)
            else:
                answered[path] = value
        return answered


class StartForm(forms.Form):
    postcode = forms.CharField(
        label=_("Postcode where you live (optional)"),
        max_length=4,
        required=False,
        help_text=_("Four digits, for example 5000. We use it only to show services near you."),
        widget=forms.TextInput(
            attrs={"autocomplete": "postal-code", "inputmode": "numeric", "size": "6"}
        ),
    )

    def clean_postcode(self) -> str:
        from geo.selectors import postcode_is_known

        value = self.cleaned_data["postcode"].strip()
        if value and not postcode_is_known(code=value):
            raise forms.ValidationError(_("This is not a current Belgian postcode."))
        return value


class ConsentForm(forms.Form):
    agree = forms.BooleanField(
        label=_("I agree to be contacted, as written above."),
        required=True,
        error_messages={"required": _("Tick the box if you want to be contacted.")},
    )
    email = forms.EmailField(
        label=_("Email address"),
        required=False,
        max_length=254,
        help_text=_("An email address or a phone number is enough."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=32,
        help_text=_("For example 0470 12 34 56."),
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )

    def clean_phone(self) -> str:
        value = self.cleaned_data["phone"].strip()
        if value and not PHONE.fullmatch(value):
            raise forms.ValidationError(_("Enter a phone number (digits, spaces, +)."))
        return value

    def clean(self):
        cleaned = super().clean()
        if not cleaned.get("email") and not cleaned.get("phone") and "email" not in self.errors:
            self.add_error("email", _("Give an email address or a phone number."))
        return cleaned


class DiaryEntryForm(forms.Form):
    date = forms.DateField(
        label=_("Date"),
        help_text=_("Year-month-day, for example 2025-03-14."),
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    hours = forms.DecimalField(
        label=_("Hours"),
        min_value=Decimal("0.25"),
        max_value=Decimal("24"),
        decimal_places=2,
        help_text=_("From a quarter of an hour (0.25) to 24."),
        widget=forms.NumberInput(attrs={"step": "0.25", "inputmode": "decimal", "size": "6"}),
    )
    kind = forms.ChoiceField(
        label=_("What kind of time"),
        choices=DiaryKind.choices,
        help_text=_("Care training and carer support groups count towards the hours too."),
    )
    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=500,
        help_text=_("Only you see it."),
    )


class QueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("All")), *ReferralStatus.choices],
    )
    source = forms.ChoiceField(
        label=_("Source"),
        required=False,
        choices=[("", _("All")), *ReferralSource.choices],
    )
    municipality = forms.ChoiceField(label=_("Municipality"), required=False, choices=[])

    def __init__(self, *args, municipalities=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["municipality"].choices = [("", _("All"))] + [
            (municipality.refnis, str(municipality)) for municipality in municipalities
        ]


class ReferralUpdateForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=ReferralStatus.choices)
    consent = forms.ChoiceField(
        label=_("Consent of the person"),
        choices=Consent.choices,
        help_text=_("Record “given” only after reading the consent wording to the person."),
    )
    referred_to = forms.ChoiceField(
        label=_("Referred to"),
        required=False,
        choices=[],
        help_text=_("Only with the person's consent."),
    )
    assigned_to = forms.ChoiceField(label=_("Assigned to"), required=False, choices=[])
    outcome = forms.CharField(
        label=_("Outcome"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    note = forms.CharField(
        label=_("Add a note"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Facts useful to follow up. Coordinators only see it."),
    )

    def __init__(self, *args, service_choices=(), coordinators=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referred_to"].choices = [("", _("Nobody yet"))] + [
            (str(service_id), name) for service_id, name in service_choices
        ]
        self.fields["assigned_to"].choices = [("", _("Nobody"))] + [
            (str(user.pk), user.display_name) for user in coordinators
        ]


# --- The closed loop's pages (issue 14; carers/loop_pages.py) ---------------------------------


class ServicePickForm(forms.Form):
    """A coordinator picks one of the services offered for the person's place: to ask the
    person's consent for it, or to send the referral to it."""

    service = forms.TypedChoiceField(label=_("Service"), coerce=int, choices=[])

    def __init__(self, *args, service_choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["service"].choices = [(str(pk), name) for pk, name in service_choices]


class ConsentByCoordinatorForm(ServicePickForm):
    """Consent the person gave to a coordinator (on the phone, during a visit), with how."""

    note = forms.CharField(
        label=_("How the person agreed"),
        max_length=1000,
        help_text=_("For example: by phone on 3 March, after the wording was read to them."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PartnerNoteForm(forms.Form):
    """A service's answer with only an optional note (accept, in progress); the decline and close
    forms add their choice to it."""

    note = forms.CharField(
        label=_("Note (optional)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class PartnerDeclineForm(PartnerNoteForm):
    # Django lists a base form's fields first: the choice is asked before the note.
    field_order = ["reason", "note"]

    reason = forms.ChoiceField(
        label=_("Why you decline"),
        choices=DeclineReason.choices,
        widget=forms.RadioSelect,
    )


class PartnerCloseForm(PartnerNoteForm):
    # Django lists a base form's fields first: the choice is asked before the note.
    field_order = ["outcome", "note"]

    outcome = forms.ChoiceField(
        label=_("Outcome"),
        choices=ClosingOutcome.choices,
        widget=forms.RadioSelect,
    )


class PartnerQueueFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[
            ("", _("All")),
            *[
                (status, label)
                for status, label in ReferralStatus.choices
                if status not in (ReferralStatus.DRAFT, ReferralStatus.CONSENT_ASKED)
            ],
        ],
    )
