"""Form pieces about a person's account that several apps' pages share."""

from django import forms

from accounts.models import Language

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


