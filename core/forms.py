"""Form helpers shared by every app's pages."""

from django import forms
from django.core.exceptions import ValidationError


class ServiceErrorsMixin:
    """Shows a service's ValidationError({field: [messages]}) next to the matching fields."""

    def add_service_errors(self, error: ValidationError) -> None:
        by_field = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}
        for field, messages in by_field.items():
            target = field if field in self.fields else None
            for message in messages:
                self.add_error(target, message)


class ChoiceGroupMixin:
    """Radio buttons or checkboxes shown as a fieldset with a legend (see the choice template).

    Django gives such a group no label target; the error summary still needs one to jump to, so
    the group answers with its first option's id.
    """

    def id_for_label(self, id_, index=None):
        return super().id_for_label(id_, "0" if index is None else index)


class RadioGroup(ChoiceGroupMixin, forms.RadioSelect):
    pass


class CheckboxGroup(ChoiceGroupMixin, forms.CheckboxSelectMultiple):
    pass


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        # The format an <input type="date"> sends and expects, whatever the page language.
        super().__init__(attrs, format="%Y-%m-%d")


class TimeInput(forms.TimeInput):
    input_type = "time"

    def __init__(self, attrs=None):
        super().__init__(attrs, format="%H:%M")
