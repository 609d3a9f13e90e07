"""The coordinators' form on a directory entry's page (directory.page_views)."""

from django import forms
from django.utils.translation import gettext_lazy as _


class ContactCorrectionForm(forms.Form):
    """An entry's contact details as they should be, and where they come from. Unchanged
    fields change nothing; an empty field removes that detail; nothing changed confirms them."""

    address = forms.CharField(label=_("Address"), max_length=300, required=False)
    phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    email = forms.EmailField(label=_("Email"), required=False)
    website = forms.URLField(
        label=_("Website"), max_length=200, required=False, assume_scheme="https"
    )
    source = forms.CharField(
        label=_("Source"),
        max_length=1000,
        help_text=_(
            "Where these details come from: the service's own website or leaflet, a phone "
            "call with the service (when, with whom), a regional directory."
        ),
        error_messages={"required": _("Say where these contact details come from.")},
    )
    source_url = forms.URLField(
        label=_("Address of the source"), required=False, assume_scheme="https"
    )
