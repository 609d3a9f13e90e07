"""Web forms: they parse and render; the rules themselves live in accounts.services.

Django renders the accessibility attributes: `aria-describedby` pointing at the help text
and the error list, and `aria-invalid` on a field with errors (see the field template,
frontend/includes/field.html).
"""

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from accounts.forms import LANGUAGE_NAMES_IN_THEMSELVES, LanguageSelect
from accounts.privacy_notice import PRIVACY_NOTICE_VERSION
from core.forms import ServiceErrorsMixin


class SignupForm(ServiceErrorsMixin, forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        help_text=_("You sign in with it. We never show it to other people."),
        widget=forms.EmailInput(attrs={"autocomplete": "email", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        help_text=_("At least 10 characters. A short sentence is easy to remember."),
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
    )
    display_name = forms.CharField(
        label=_("Your name"),
        max_length=80,
        help_text=_("The name other people see, for example your first name."),
        widget=forms.TextInput(attrs={"autocomplete": "given-name"}),
    )
    language = forms.ChoiceField(
        label=_("Language"),
        choices=list(LANGUAGE_NAMES_IN_THEMSELVES.items()),
        help_text=_("We write to you in this language."),
        widget=LanguageSelect(attrs={"autocomplete": "language"}),
    )
    postcode = forms.CharField(
        label=_("Postcode"),
        max_length=4,
        help_text=_("Four digits, for example 5000. Only your postcode, never your address."),
        widget=forms.TextInput(
            attrs={"autocomplete": "postal-code", "inputmode": "numeric", "size": "6"}
        ),
    )

    privacy_notice = forms.BooleanField(
        label=_("I have read the privacy notice and I accept it"),
        error_messages={"required": _("Tick the box to accept the privacy notice.")},
    )
    # The version shown on the page: the service refuses it if the notice changed meanwhile.
    privacy_notice_version = forms.CharField(widget=forms.HiddenInput, max_length=20)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["privacy_notice_version"].initial = PRIVACY_NOTICE_VERSION
        # Preselect the language the person is reading the page in.
        current = (get_language() or "fr")[:2]
        if current in LANGUAGE_NAMES_IN_THEMSELVES:
            self.fields["language"].initial = current


class LoginForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "username", "spellcheck": "false"}),
    )
    password = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )
