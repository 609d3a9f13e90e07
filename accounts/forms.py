"""Form pieces about a person's account that several apps' pages share."""

from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import Language
from core.forms import ServiceErrorsMixin

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
