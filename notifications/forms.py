"""The notification settings page's form: it parses and renders; the rules (which kinds exist,
what a valid choice is) live in notifications.kinds and notifications.services."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.forms import RadioGroup, TimeInput
from notifications.kinds import Kind
from notifications.models import NotificationSettings


def email_field_name(kind: str) -> str:
    return f"email:{kind}"


def push_field_name(kind: str) -> str:
    return f"push:{kind}"


class NotificationSettingsForm(forms.Form):
    """One e-mail and one push checkbox per kind the person can receive, the digest and the
    quiet hours. `kinds` are those of the person's role; `current` is
    selectors.channel_settings_of (defaults merged with the person's choices)."""

    digest = forms.ChoiceField(
        label=_("E-mails about messages and new requests nearby"),
        choices=[
            (NotificationSettings.Digest.OFF, _("One e-mail each time")),
            (NotificationSettings.Digest.DAILY, _("One e-mail a day, in the morning")),
        ],
        widget=RadioGroup,
    )
    quiet_hours = forms.BooleanField(
        label=_("Hold e-mails and notifications during quiet hours"), required=False
    )
    quiet_start = forms.TimeField(label=_("Quiet from"), required=False, widget=TimeInput)
    quiet_end = forms.TimeField(label=_("Quiet until"), required=False, widget=TimeInput)

    def __init__(self, *args, kinds: list[Kind], current: dict, **kwargs):
        quiet = current["quiet_hours"]
        initial = {
            "digest": current["digest"],
            "quiet_hours": quiet is not None,
            "quiet_start": quiet["start"] if quiet else "22:00",
            "quiet_end": quiet["end"] if quiet else "08:00",
        }
        for kind in kinds:
            initial[email_field_name(kind.name)] = current["email"][kind.name]
            initial[push_field_name(kind.name)] = current["push"][kind.name]
        super().__init__(*args, initial=initial, **kwargs)
        self.kinds = kinds
        for kind in kinds:
            self.fields[email_field_name(kind.name)] = forms.BooleanField(
                label=_("By e-mail"), required=False
            )
            self.fields[push_field_name(kind.name)] = forms.BooleanField(
                label=_("On my phone or computer"), required=False
            )

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("quiet_hours"):
            for name in ("quiet_start", "quiet_end"):
                if cleaned.get(name) is None and name not in self.errors:
                    self.add_error(name, _("Give an hour, for example 22:00."))
        return cleaned

    def rows(self) -> list[dict]:
        """Per kind: its label and its two bound checkboxes, for the template."""
        return [
            {
                "label": kind.label,
                "email": self[email_field_name(kind.name)],
                "push": self[push_field_name(kind.name)],
            }
            for kind in self.kinds
        ]

    def changes(self) -> dict:
        """The choices in the shape notifications.services.notification_settings_update takes."""
        data = self.cleaned_data
        quiet = None
        if data["quiet_hours"]:
            quiet = {
                "start": data["quiet_start"].strftime("%H:%M"),
                "end": data["quiet_end"].strftime("%H:%M"),
            }
        return {
            "email": {kind.name: data[email_field_name(kind.name)] for kind in self.kinds},
            "push": {kind.name: data[push_field_name(kind.name)] for kind in self.kinds},
            "digest": data["digest"],
            "quiet_hours": quiet,
        }
