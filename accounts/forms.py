"""Form pieces about a person's account that several apps' pages share."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import ContactPreference, Language
from core.forms import CheckboxGroup, RadioGroup, ServiceErrorsMixin

# Each language written in its own words: a person looking for their language may not read
# the one the page is in.
LANGUAGE_NAMES_IN_THEMSELVES = {
    Language.FRENCH: "Français",
    Language.DUTCH: "Nederlands",
    Language.GERMAN: "Deutsch",
    Language.ENGLISH: "English",
}


class LanguageSelect(forms.Select):
    """A select whose options carry their own `lang`, so screen readers pronounce them right."""

    def create_option(self, name, value, *args, **kwargs):
        option = super().create_option(name, value, *args, **kwargs)
        if value:
            option["attrs"]["lang"] = value
        return option


# --- The account pages' forms (accounts/page_views.py) -----------------------------------------


class PasswordResetForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("The address you sign in with. We send a link to it."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )


class NewPasswordForm(ServiceErrorsMixin, forms.Form):
    new_password = forms.CharField(
        label=_("New password"),
        strip=False,
        max_length=4096,
        help_text=_("At least 10 characters. A short sentence is easy to remember."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )


class PasswordChangeForm(ServiceErrorsMixin, forms.Form):
    current_password = forms.CharField(
        label=_("Current password"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
    new_password = NewPasswordForm.base_fields["new_password"]


class EmailChangeForm(ServiceErrorsMixin, forms.Form):
    email = forms.EmailField(
        label=_("New email address"),
        max_length=254,
        help_text=_("We send a link to it; your address changes once you open that link."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label=_("Your password, to confirm"),
        strip=False,
        max_length=4096,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )


class OneTimeCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_(
            "The six digits your authenticator app shows now, or one of your recovery codes."
        ),
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "spellcheck": "false", "size": "12"}
        ),
    )


class PrivacyNoticeAcceptForm(forms.Form):
    accept = forms.BooleanField(
        label=_("I have read the privacy notice and I accept it"),
        error_messages={"required": _("Tick the box to accept the privacy notice.")},
    )


# --- People without e-mail (accounts/people_pages.py) ------------------------------------------


class ManagedPersonForm(ServiceErrorsMixin, forms.Form):
    """A person who phoned and has no e-mail: what the coordinator writes down
    (accounts.services.managed_person_create checks the phone, postcode and the rest)."""

    display_name = forms.CharField(label=_("Their name"), max_length=80)
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=40,
        help_text=_("With its prefix: 0… in Belgium, +… abroad."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off", "size": "18"}),
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=4,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": "6"}),
    )
    address = forms.CharField(
        label=_("Postal address"),
        max_length=200,
        required=False,
        help_text=_("Needed if they want letters. Helpers see it only once matched."),
    )
    language = forms.ChoiceField(
        label=_("Their language"),
        choices=list(LANGUAGE_NAMES_IN_THEMSELVES.items()),
        widget=LanguageSelect,
    )
    contact_preference = forms.ChoiceField(
        label=_("How do they want to be reached?"),
        choices=ContactPreference.choices,
        widget=RadioGroup,
    )
    consent = forms.BooleanField(
        label=_("I read the privacy notice to them and they agreed to it"),
        error_messages={"required": _("Read them the privacy notice and record their consent.")},
    )
    consent_note = forms.CharField(
        label=_("Note about their consent (optional)"),
        max_length=500,
        required=False,
        help_text=_("For example: read out on the phone, agreed; their daughter was present."),
    )
    # The version the page showed: a notice changed meanwhile must be read out again.
    consent_wording_version = forms.CharField(widget=forms.HiddenInput, max_length=20)
    co_managers = forms.TypedMultipleChoiceField(
        label=_("Coordinators who manage them with you"),
        help_text=_("They all see the offers and messages for this person."),
        coerce=int,
        required=False,
        widget=CheckboxGroup,
    )

    def __init__(self, *args, colleagues=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["co_managers"].choices = [(user.pk, str(user)) for user in colleagues]


class ManagedPersonLoginForm(ServiceErrorsMixin, forms.Form):
    email = forms.EmailField(
        label=_("Their new email address"),
        max_length=254,
        help_text=_("We send a link to confirm it; then they choose a password."),
        widget=forms.EmailInput(attrs={"spellcheck": "false"}),
    )
